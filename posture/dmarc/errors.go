package dmarc

import (
	"errors"
	"fmt"
)

// ErrSyntax is wrapped by every [*SyntaxError]: the TXT value starts with
// v=DMARC1 but is otherwise malformed (RFC 9989, Section 4.8). Receivers
// ignore the malformed tags and use their defaults, which is rarely what
// the domain owner meant.
var ErrSyntax = errors.New("dmarc: syntax error")

// Errors of record selection and discovery.
var (
	// ErrNoRecord: no TXT value at the name begins with v=DMARC1. The
	// name publishes no DMARC policy; a receiver goes on with the DNS Tree
	// Walk (RFC 9989, Section 4.10).
	ErrNoRecord = errors.New("dmarc: no dmarc txt record")
	// ErrMultipleRecords: more than one TXT value begins with v=DMARC1.
	// Receivers discard them all and treat the name as having no record
	// (RFC 9989, Section 4.10, step 2).
	ErrMultipleRecords = errors.New("dmarc: multiple dmarc txt records")
	// ErrInvalidDomain: the name given to [Discover] is not a domain name.
	ErrInvalidDomain = errors.New("dmarc: invalid domain name")
	// ErrLookup: a DNS lookup failed (a timeout, SERVFAIL, ...). This is
	// not "no record": the name may well have one. Try again later.
	ErrLookup = errors.New("dmarc: dns lookup failed")
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
