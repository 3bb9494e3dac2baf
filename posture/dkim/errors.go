package dkim

import (
	"errors"
	"fmt"
)

// Errors returned by the parser. Match them with errors.Is; a [*SyntaxError]
// says where the problem is.
var (
	// ErrSyntax: the key record does not follow RFC 6376, Section 3.6.1, or
	// its key cannot be read. Verifiers fail every signature that uses it
	// (a permanent failure).
	ErrSyntax = errors.New("dkim: syntax error")
)

// Errors of key lookup (RFC 6376, Section 3.6.2).
var (
	// ErrNoRecord: there is no TXT record at <selector>._domainkey.<domain>.
	// Verifiers fail signatures made with the selector.
	ErrNoRecord = errors.New("dkim: no dkim key dns txt record")
	// ErrMultipleRecords: more than one TXT record is published at the
	// selector's name. RFC 6376, Section 3.6.2.2 leaves the result
	// undefined; this package, like go-msgauth, treats it as a failure.
	ErrMultipleRecords = errors.New("dkim: multiple dkim key dns txt records")
)

// SyntaxError is a parse error with its place in the record.
type SyntaxError struct {
	// Offset is the 0-based byte offset of the problem in the record.
	Offset int
	// Msg describes the problem.
	Msg string
	// Err is ErrSyntax.
	Err error
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v: at offset %d: %s", e.Err, e.Offset, e.Msg)
}

// Unwrap returns the sentinel, for errors.Is.
func (e *SyntaxError) Unwrap() error { return e.Err }
