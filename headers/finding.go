package headers

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says how much a finding matters. The package stands alone, so
// it has its own copy of posturekit's finding shape, with the same JSON
// field names.
type Severity string

// The severities, from worst to mildest.
const (
	// Error: the header is broken or will not have its intended effect.
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

// Finding is one observation about a header set, a header or a part of
// one.
type Finding struct {
	// Code is stable and machine-readable, "headers.what" (for example
	// "headers.csp_unsafe_inline"). Messages may change; codes do not.
	Code string `json:"code"`
	// Severity is error, warning or info.
	Severity Severity `json:"severity"`
	// Message says in one line what is wrong or worth knowing.
	Message string `json:"message"`
	// Header is the header concerned, in its canonical spelling
	// ("Content-Security-Policy"), or "" when the finding is about the
	// set as a whole.
	Header string `json:"header,omitempty"`
	// Line is the 1-based line of the input the finding is about, or 0.
	Line int `json:"line,omitempty"`
	// Where names the part concerned (for example "script-src" or a
	// file name and tag).
	Where string `json:"where,omitempty"`
	// RFC is the specification section behind the rule, when there is one.
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
	fmt.Fprintf(&b, "%s: ", f.Severity)
	if f.Header != "" {
		fmt.Fprintf(&b, "%s: ", f.Header)
	}
	b.WriteString(f.Message)
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

// Findings is a list of findings.
type Findings []Finding

// HasErrors reports whether any finding has severity [Error].
func (l Findings) HasErrors() bool {
	for _, f := range l {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Has reports whether a finding with the given code is present.
func (l Findings) Has(code string) bool {
	for _, f := range l {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Worst returns the most severe severity in the list, or "" when it is
// empty.
func (l Findings) Worst() Severity {
	var worst Severity
	for _, f := range l {
		if worst == "" || f.Severity.rank() < worst.rank() {
			worst = f.Severity
		}
	}
	return worst
}

// Sort orders the findings by line, then severity (worst first), then
// header, then code, keeping the original order among equals.
func (l Findings) Sort() {
	slices.SortStableFunc(l, func(a, b Finding) int {
		if a.Line != b.Line {
			return cmp.Compare(a.Line, b.Line)
		}
		if a.Severity != b.Severity {
			return cmp.Compare(a.Severity.rank(), b.Severity.rank())
		}
		if a.Header != b.Header {
			return strings.Compare(a.Header, b.Header)
		}
		return strings.Compare(a.Code, b.Code)
	})
}
