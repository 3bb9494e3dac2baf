package sectxt

import (
	"errors"
	"fmt"
)

// ErrSyntax is wrapped by every error [Parse] returns: the text does not
// follow RFC 9116 (its grammar in Section 4 and the rules of Section 2).
// Researchers' tools may reject such a file; fix it before publishing.
var ErrSyntax = errors.New("sectxt: syntax error")

// SyntaxError is a parse error with its place in the text.
type SyntaxError struct {
	// Line is the 1-based line of the problem, or 0 when it concerns the
	// whole file (a required field is missing).
	Line int
	// Msg describes the problem.
	Msg string
	// Err is ErrSyntax.
	Err error
}

// Error implements error.
func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%v: line %d: %s", e.Err, e.Line, e.Msg)
	}
	return fmt.Sprintf("%v: %s", e.Err, e.Msg)
}

// Unwrap returns the sentinel, for errors.Is.
func (e *SyntaxError) Unwrap() error { return e.Err }
