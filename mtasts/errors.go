package mtasts

import (
	"errors"
	"fmt"
)

// Errors returned by the parsers. Match them with errors.Is; a
// [*SyntaxError] says where the problem is.
var (
	// ErrPolicySyntax: the policy text does not follow RFC 8461, Section
	// 3.2. A sender must treat the domain as having no usable policy.
	ErrPolicySyntax = errors.New("mtasts: policy syntax error")
	// ErrRecordSyntax: the TXT record starts with v=STSv1 but is otherwise
	// malformed (RFC 8461, Section 3.1). Treat as no MTA-STS.
	ErrRecordSyntax = errors.New("mtasts: record syntax error")
)

// Errors of record discovery (RFC 8461, Section 3.1).
var (
	// ErrNoRecord: no TXT record at _mta-sts.<domain> begins with v=STSv1.
	// The domain does not use MTA-STS; deliver as usual.
	ErrNoRecord = errors.New("mtasts: no mta-sts dns txt record")
	// ErrMultipleRecords: more than one TXT record begins with v=STSv1.
	// Senders must treat the domain as having no policy.
	ErrMultipleRecords = errors.New("mtasts: multiple mta-sts dns txt records")
)

// SyntaxError is a parse error with its place in the input.
type SyntaxError struct {
	// Line is the 1-based line in a policy; 0 for a TXT record.
	Line int
	// Offset is the 0-based byte offset of the problem in a TXT record, or
	// -1 when not known.
	Offset int
	// Msg describes the problem.
	Msg string
	// Err is ErrPolicySyntax or ErrRecordSyntax.
	Err error
}

// Error implements error.
func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%v: line %d: %s", e.Err, e.Line, e.Msg)
	}
	if e.Offset >= 0 {
		return fmt.Sprintf("%v: at offset %d: %s", e.Err, e.Offset, e.Msg)
	}
	return fmt.Sprintf("%v: %s", e.Err, e.Msg)
}

// Unwrap returns the sentinel, for errors.Is.
func (e *SyntaxError) Unwrap() error { return e.Err }
