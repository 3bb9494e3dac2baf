package spf

import (
	"errors"
	"fmt"
)

// Errors returned by the parser and by record selection. Match them with
// errors.Is; a [*SyntaxError] says where the problem is.
var (
	// ErrSyntax: the TXT value begins with v=spf1 but is malformed (RFC
	// 7208, Section 4.6). Receivers return "permerror": the record protects
	// nothing until it is fixed.
	ErrSyntax = errors.New("spf: syntax error")
	// ErrNoRecord: no TXT value of the name is an SPF record (RFC 7208,
	// Section 4.5). Receivers return "none": the domain says nothing about
	// its senders.
	ErrNoRecord = errors.New("spf: no spf record")
	// ErrMultipleRecords: more than one TXT value of the name is an SPF
	// record (RFC 7208, Section 4.5). Receivers return "permerror"; keep
	// exactly one.
	ErrMultipleRecords = errors.New("spf: multiple spf records")
)

// SyntaxError is a parse error with its place in the record.
type SyntaxError struct {
	// Offset is the 0-based byte offset of the problem in the TXT value.
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
