package tlsrpt

import (
	"errors"
	"fmt"
)

// Errors returned by the parser. Match them with errors.Is; a [*SyntaxError]
// says where the problem is.
var (
	// ErrSyntax: the TXT record begins with v=TLSRPTv1 but does not follow
	// RFC 8460, Section 3. Senders treat the domain as not using TLS-RPT.
	ErrSyntax = errors.New("tlsrpt: syntax error")
)

// Errors of record discovery (RFC 8460, Section 3).
var (
	// ErrNoRecord: no TXT record at _smtp._tls.<domain> begins with
	// v=TLSRPTv1. The domain does not ask for reports.
	ErrNoRecord = errors.New("tlsrpt: no tls-rpt dns txt record")
	// ErrMultipleRecords: more than one TXT record begins with v=TLSRPTv1.
	// Senders must assume the domain does not implement TLS-RPT.
	ErrMultipleRecords = errors.New("tlsrpt: multiple tls-rpt dns txt records")
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
