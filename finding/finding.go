// Package finding holds the one shape every posturekit check reports in: a
// [Finding] with a stable machine code, a severity, a message a person
// understands, where it applies, the RFC section behind it and, where one is
// known, the fix.
//
// Parsers report syntax problems and checkers report what is legal but
// unwise, both as findings, so that the command line, the browser page and Go
// callers show the same answers.
package finding

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says how much a finding matters.
type Severity string

// The severities, from worst to mildest.
const (
	// Error: the thing is broken or will not have its intended effect.
	Error Severity = "error"
	// Warning: legal but unwise, or likely to surprise.
	Warning Severity = "warning"
	// Info: worth knowing; nothing needs to change.
	Info Severity = "info"
)

// rank orders severities so that a lower number is worse.
func (s Severity) rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	case Info:
		return 2
	}
	return 3
}

// Finding is one observation about a record, policy or header.
type Finding struct {
	// Code is stable and machine-readable, "package.what" (for example
	// "mtasts.max_age_too_long"). Messages may change; codes do not.
	Code string `json:"code"`
	// Severity is error, warning or info.
	Severity Severity `json:"severity"`
	// Message says in one line what is wrong or worth knowing.
	Message string `json:"message"`
	// Line is the 1-based line of the input the finding is about, or 0 when
	// it concerns the input as a whole.
	Line int `json:"line,omitempty"`
	// Where names the part concerned when a line number does not say it
	// (for example "mx mail.example.com" or "_mta-sts.example.com").
	Where string `json:"where,omitempty"`
	// RFC is the section the rule comes from, as "RFC 8461, Section 3.2".
	RFC string `json:"rfc,omitempty"`
	// Fix says what to change, when it can be said.
	Fix string `json:"fix,omitempty"`
}

// String renders the finding on one line, for logs and terminals.
func (f Finding) String() string {
	var b strings.Builder
	if f.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", f.Line)
	}
	fmt.Fprintf(&b, "%s: %s", f.Severity, f.Message)
	if f.Where != "" {
		fmt.Fprintf(&b, " (%s)", f.Where)
	}
	fmt.Fprintf(&b, " [%s", f.Code)
	if f.RFC != "" {
		fmt.Fprintf(&b, "; %s", f.RFC)
	}
	b.WriteString("]")
	if f.Fix != "" {
		fmt.Fprintf(&b, "\n    fix: %s", f.Fix)
	}
	return b.String()
}

// List is a set of findings.
type List []Finding

// HasErrors reports whether any finding has severity [Error].
func (l List) HasErrors() bool {
	for _, f := range l {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Has reports whether a finding with the given code is present.
func (l List) Has(code string) bool {
	for _, f := range l {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Worst returns the most severe severity in the list, or "" when it is empty.
func (l List) Worst() Severity {
	var worst Severity
	for _, f := range l {
		if worst == "" || f.Severity.rank() < worst.rank() {
			worst = f.Severity
		}
	}
	return worst
}

// Sort orders the findings by line, then severity (worst first), then code,
// keeping the original order among equals.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Finding) int {
		if a.Line != b.Line {
			return cmp.Compare(a.Line, b.Line)
		}
		if a.Severity != b.Severity {
			return cmp.Compare(a.Severity.rank(), b.Severity.rank())
		}
		return strings.Compare(a.Code, b.Code)
	})
}
