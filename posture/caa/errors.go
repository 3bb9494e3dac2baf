package caa

import (
	"errors"
	"fmt"
)

// Errors returned by the parsers. Match them with errors.Is; a
// [*SyntaxError] says where the problem is.
var (
	// ErrSyntax: the text is not a CAA record in zone-file presentation
	// form (RFC 8659, Section 4.1.1), or its flags or tag are invalid
	// (Section 4.1). Nothing can be published or checked from it; fix the
	// text.
	ErrSyntax = errors.New("caa: syntax error")
	// ErrIssueSyntax: the value of an issue, issuewild, issuemail or
	// issuevmc property does not follow its grammar (RFC 8659, Section
	// 4.2). The record is still a valid CAA record, but CAs treat it as
	// naming no issuer: alone, it forbids issuance.
	ErrIssueSyntax = errors.New("caa: issue value syntax error")
)

// ErrDomain is returned by [LookupRelevant] for a name that is not a domain
// name; nothing was looked up.
var ErrDomain = errors.New("caa: not a domain name")

// SyntaxError is a parse error with its place in the input.
type SyntaxError struct {
	// Line is the 1-based line of a record in the text given to
	// [ParseSet]; 0 for a single record.
	Line int
	// Offset is the 0-based byte offset of the problem in the record (in
	// its line for [ParseSet]) or in the issue value, or -1 when not known.
	Offset int
	// Msg describes the problem.
	Msg string
	// Err is ErrSyntax or ErrIssueSyntax.
	Err error
}

// Error implements error.
func (e *SyntaxError) Error() string {
	switch {
	case e.Line > 0 && e.Offset >= 0:
		return fmt.Sprintf("%v: line %d, offset %d: %s", e.Err, e.Line, e.Offset, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%v: line %d: %s", e.Err, e.Line, e.Msg)
	case e.Offset >= 0:
		return fmt.Sprintf("%v: at offset %d: %s", e.Err, e.Offset, e.Msg)
	}
	return fmt.Sprintf("%v: %s", e.Err, e.Msg)
}

// Unwrap returns the sentinel, for errors.Is.
func (e *SyntaxError) Unwrap() error { return e.Err }
