package mtasts

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
	"golang.org/x/net/idna"
)

// maxPolicySize is the most a sender reads of a policy: RFC 8461, Section
// 3.3 suggests 64 kilobytes.
const maxPolicySize = 64 << 10

// Section names cited in findings.
const (
	rfcRecord  = "RFC 8461, Section 3.1"
	rfcPolicy  = "RFC 8461, Section 3.2"
	rfcFetch   = "RFC 8461, Section 3.3"
	rfcMatch   = "RFC 8461, Section 4.1"
	rfcCaching = "RFC 8461, Section 5.1"
	rfcTLSRPT  = "RFC 8460, Section 3"
)

// ParsePolicy parses the text of a policy (RFC 8461, Section 3.2) and returns
// the first syntax error as a [*SyntaxError] wrapping [ErrPolicySyntax].
//
// Lines may end in LF, CRLF or a mix of both (the grammar allows either,
// and large senders serve LF). Fields other than mx may appear more than
// once: the first one counts. Unknown fields are kept in Extensions. Empty
// lines, which the grammar does not allow, are tolerated; [CheckPolicy]
// reports them.
func ParsePolicy(text string) (*Policy, error) {
	ps := policyParser{}
	ps.parse(text)
	if ps.err != nil {
		return nil, ps.err
	}
	return ps.p, nil
}

// CheckPolicy parses the text of a policy and reports every syntax problem
// and everything legal but unwise, each with its line. The policy returned
// is never nil: it holds what could be read, even when there are errors. A
// sender would reject the policy when a finding has severity error (and
// [ParsePolicy] fails whenever one of its syntax findings does).
func CheckPolicy(text string) (*Policy, finding.List) {
	ps := policyParser{collect: true}
	if strings.TrimSpace(text) == "" {
		// One clear finding rather than every required field missing.
		return &Policy{MX: []string{}}, finding.List{{Code: "mtasts.policy_empty", Severity: finding.Error, Message: "the policy is empty", RFC: rfcPolicy,
			Fix: "serve version, mode, mx and max_age lines"}}
	}
	ps.parse(text)
	ps.lintText(text)
	ps.findings = append(ps.findings, lintPolicy(ps.p, ps.lines)...)
	ps.findings.Sort()
	return ps.p, ps.findings
}

// Validate reports the problems of a policy built in code: invalid values,
// as [CheckPolicy] would find them in its text, and what is legal but
// unwise.
func (p *Policy) Validate() finding.List {
	var l finding.List
	add := func(code, where, msg, fix string) {
		l = append(l, finding.Finding{Code: code, Severity: finding.Error, Message: msg, Where: where, RFC: rfcPolicy, Fix: fix})
	}
	if p.Version != "" && p.Version != Version {
		add("mtasts.version_invalid", "version", fmt.Sprintf("version is %q; the only version is %s", p.Version, Version), "version: "+Version)
	}
	if !p.Mode.Valid() {
		add("mtasts.mode_invalid", "mode", fmt.Sprintf("mode %q is not enforce, testing or none", p.Mode), modeFix(string(p.Mode)))
	}
	if p.MaxAge < 0 {
		add("mtasts.max_age_invalid", "max_age", "max_age is negative", fmt.Sprintf("max_age: %d", RecommendedMaxAge))
	} else if p.MaxAge > MaxMaxAge {
		add("mtasts.max_age_too_long", "max_age", fmt.Sprintf("max_age %d is over the limit of %d seconds (about a year)", p.MaxAge, MaxMaxAge), fmt.Sprintf("max_age: %d", MaxMaxAge))
	}
	for _, mx := range p.MX {
		if msg := mxSyntax(mx); msg != "" {
			add("mtasts.mx_invalid", "mx: "+mx, msg, "")
		}
	}
	if len(p.MX) == 0 && p.Mode != ModeNone {
		add("mtasts.mx_missing", "mx", "no mx: a policy in mode "+string(p.Mode)+" must list at least one MX pattern", "mx: <each MX host of the domain>")
	}
	for _, e := range p.Extensions {
		if msg := extNameSyntax(e.Key); msg != "" {
			add("mtasts.extension_invalid", e.Key, msg, "")
		} else if msg := extValueSyntax(e.Value); msg != "" {
			add("mtasts.extension_invalid", e.Key, msg, "")
		}
	}
	l = append(l, lintPolicy(p, policyLines{})...)
	l.Sort()
	return l
}

// policyLines records where each field was, for findings.
type policyLines struct {
	parsed                bool // from text; false for a policy built in code
	maxAgeOK              bool // max_age was read and valid
	version, mode, maxAge int
	mx                    []int // line of each p.MX entry
}

func (pl policyLines) mxLine(i int) int {
	if i < len(pl.mx) {
		return pl.mx[i]
	}
	return 0
}

type policyParser struct {
	collect  bool // report every problem instead of stopping at the first
	p        *Policy
	err      *SyntaxError
	findings finding.List
	lines    policyLines
	blank    []int // empty lines
	lfLine   int   // first line ended by a bare LF
	crlf     bool  // some line ended by CRLF
	nlines   int
}

// syntax records a syntax error. It reports whether parsing should go on.
func (ps *policyParser) syntax(line int, code, msg, fix string) bool {
	if !ps.collect {
		if ps.err == nil {
			ps.err = &SyntaxError{Line: line, Offset: -1, Msg: msg, Err: ErrPolicySyntax}
		}
		return false
	}
	ps.findings = append(ps.findings, finding.Finding{Code: code, Severity: finding.Error, Message: msg, Line: line, RFC: rfcPolicy, Fix: fix})
	return true
}

func (ps *policyParser) warn(line int, code, msg, fix string) {
	if ps.collect {
		ps.findings = append(ps.findings, finding.Finding{Code: code, Severity: finding.Warning, Message: msg, Line: line, RFC: rfcPolicy, Fix: fix})
	}
}

func (ps *policyParser) parse(text string) {
	ps.p = &Policy{MX: make([]string, 0, 4)}
	ps.lines.parsed = true
	rest := text
	for line := 1; rest != ""; line++ {
		var l string
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
			if n := len(l); n > 0 && l[n-1] == '\r' {
				l = l[:n-1]
				ps.crlf = true
			} else if ps.lfLine == 0 {
				ps.lfLine = line
			}
		} else {
			l, rest = rest, ""
		}
		ps.nlines = line
		if l == "" {
			if ps.collect {
				ps.blank = append(ps.blank, line)
			}
			continue
		}
		if !ps.field(line, l) {
			return
		}
	}
	ps.required()
}

func isWSP(c byte) bool { return c == ' ' || c == '\t' }

// field parses one non-empty line. It reports whether parsing should go on.
func (ps *policyParser) field(line int, l string) bool {
	colon := strings.IndexByte(l, ':')
	if colon < 0 {
		return ps.syntax(line, "mtasts.policy_syntax", fmt.Sprintf("%q is not a field: no ':' after the field name", msgtext.Clip(l)), "")
	}
	name := l[:colon]
	// RFC 8461, Section 3.2: field-delim = ":" *WSP; a field is followed by
	// *WSP before the line terminator.
	i, j := colon+1, len(l)
	for i < j && isWSP(l[i]) {
		i++
	}
	for j > i && isWSP(l[j-1]) {
		j--
	}
	value := l[i:j]
	p := ps.p
	switch name {
	case "version":
		if ps.lines.version != 0 {
			ps.duplicate(line, name, value, ps.lines.version)
			return true
		}
		ps.lines.version = line
		if value != Version {
			return ps.syntax(line, "mtasts.version_invalid", fmt.Sprintf("version is %q; it must be exactly %s (case matters)", msgtext.Clip(value), Version), "version: "+Version)
		}
		p.Version = value
	case "mode":
		if ps.lines.mode != 0 {
			ps.duplicate(line, name, value, ps.lines.mode)
			return true
		}
		ps.lines.mode = line
		m := Mode(value)
		if !m.Valid() {
			return ps.syntax(line, "mtasts.mode_invalid", fmt.Sprintf("mode %q is not enforce, testing or none (case matters)", msgtext.Clip(value)), modeFix(value))
		}
		p.Mode = m
	case "max_age":
		if ps.lines.maxAge != 0 {
			ps.duplicate(line, name, value, ps.lines.maxAge)
			return true
		}
		ps.lines.maxAge = line
		return ps.maxAge(line, value)
	case "mx":
		if msg := mxSyntax(value); msg != "" {
			return ps.syntax(line, "mtasts.mx_invalid", msg, mxFix(value))
		}
		p.MX = append(p.MX, value)
		if ps.collect {
			ps.lines.mx = append(ps.lines.mx, line)
		}
	default:
		return ps.extension(line, name, value)
	}
	return true
}

func (ps *policyParser) maxAge(line int, value string) bool {
	// RFC 8461, Section 3.2: sts-policy-max-age-value = 1*10DIGIT, at most
	// 31557600.
	if value == "" || len(value) > 10 {
		return ps.syntax(line, "mtasts.max_age_invalid", fmt.Sprintf("max_age %q is not a number of seconds of 1 to 10 digits", msgtext.Clip(value)), fmt.Sprintf("max_age: %d", RecommendedMaxAge))
	}
	n := 0
	for k := 0; k < len(value); k++ {
		c := value[k]
		if c < '0' || c > '9' {
			return ps.syntax(line, "mtasts.max_age_invalid", fmt.Sprintf("max_age %q is not a whole number of seconds", msgtext.Clip(value)), fmt.Sprintf("max_age: %d", RecommendedMaxAge))
		}
		n = n*10 + int(c-'0')
	}
	if n > MaxMaxAge {
		return ps.syntax(line, "mtasts.max_age_too_long", fmt.Sprintf("max_age %d is over the limit of %d seconds (about a year)", n, MaxMaxAge), fmt.Sprintf("max_age: %d", MaxMaxAge))
	}
	ps.p.MaxAge = n
	ps.lines.maxAgeOK = true
	return true
}

func (ps *policyParser) duplicate(line int, name, value string, first int) {
	ps.warn(line, "mtasts.duplicate_field",
		fmt.Sprintf("second %s field (%q) is ignored: the first, on line %d, counts", name, msgtext.Clip(value), first),
		"remove one of the "+name+" lines")
}

var knownFields = [...]string{"version", "mode", "max_age", "mx"}

func (ps *policyParser) extension(line int, name, value string) bool {
	if msg := extNameSyntax(name); msg != "" {
		return ps.syntax(line, "mtasts.policy_syntax", msg, "")
	}
	if msg := extValueSyntax(value); msg != "" {
		return ps.syntax(line, "mtasts.extension_invalid", fmt.Sprintf("field %s: %s", name, msg), "")
	}
	ps.p.Extensions = append(ps.p.Extensions, Extension{Key: name, Value: value})
	if !ps.collect {
		return true
	}
	// An unknown field is legal and ignored, but a near miss of a known
	// name is almost always a typo that silently drops the field.
	for _, k := range knownFields {
		if strings.EqualFold(name, k) || msgtext.NearMiss(strings.ToLower(name), k) {
			ps.warn(line, "mtasts.unknown_field",
				fmt.Sprintf("unknown field %q is ignored by senders; field names are case-sensitive: did you mean %q?", name, k),
				k+": "+value)
			return true
		}
	}
	ps.findings = append(ps.findings, finding.Finding{Code: "mtasts.unknown_field", Severity: finding.Info,
		Message: fmt.Sprintf("unknown field %q is ignored by senders", name), Line: line, RFC: rfcPolicy})
	return true
}

// required checks the fields RFC 8461, Section 3.2 requires.
func (ps *policyParser) required() {
	p := ps.p
	if ps.lines.version == 0 {
		ps.syntax(0, "mtasts.version_missing", "no version field", "version: "+Version)
	}
	if ps.lines.mode == 0 {
		ps.syntax(0, "mtasts.mode_missing", "no mode field", "mode: enforce")
	}
	if ps.lines.maxAge == 0 {
		ps.syntax(0, "mtasts.max_age_missing", "no max_age field", fmt.Sprintf("max_age: %d", RecommendedMaxAge))
	}
	// mx is required at least once, except in mode none.
	if len(p.MX) == 0 && p.Mode != ModeNone && (p.Mode != "" || ps.lines.mode == 0) {
		ps.syntax(0, "mtasts.mx_missing", "no mx field: a policy must list at least one MX pattern unless its mode is none", "mx: <each MX host of the domain>")
	}
}

// lintText reports what is about the text rather than the values.
func (ps *policyParser) lintText(text string) {
	if len(text) > maxPolicySize {
		ps.findings = append(ps.findings, finding.Finding{Code: "mtasts.policy_too_large", Severity: finding.Error,
			Message: fmt.Sprintf("policy is %d bytes; senders read at most %d", len(text), maxPolicySize), RFC: rfcFetch})
	}
	if ps.lfLine != 0 {
		msg := "lines end with LF; RFC 8461 says CRLF (its grammar and most senders accept LF)"
		if ps.crlf {
			msg = "line endings mix LF and CRLF; RFC 8461 says CRLF"
		}
		ps.findings = append(ps.findings, finding.Finding{Code: "mtasts.lf_line_endings", Severity: finding.Info,
			Message: msg, Line: ps.lfLine, RFC: rfcPolicy, Fix: "end every line with CRLF"})
	}
	// Empty lines are not in the grammar and strict parsers (mox among
	// them) reject the policy; trailing ones are the usual editor accident.
	trailing := len(ps.blank)
	for trailing > 0 && ps.blank[trailing-1] == ps.nlines-(len(ps.blank)-trailing) {
		trailing--
	}
	for k, line := range ps.blank {
		code, msg := "mtasts.blank_line", "empty line; the policy grammar allows none and strict senders reject the policy"
		if k >= trailing {
			code, msg = "mtasts.trailing_blank_line", "empty line at the end; the policy grammar allows at most one final line break and strict senders reject the policy"
		}
		ps.warn(line, code, msg, "remove the empty line")
	}
}

// lintPolicy reports what is legal but unwise in a policy's values.
func lintPolicy(p *Policy, lines policyLines) finding.List {
	var l finding.List
	switch p.Mode {
	case ModeTesting:
		l = append(l, finding.Finding{Code: "mtasts.mode_testing", Severity: finding.Warning, Line: lines.mode, RFC: "RFC 8461, Section 5",
			Message: "mode testing: senders report TLS failures but still deliver, so the policy protects nothing yet",
			Fix:     "once TLS-RPT reports show no failures, publish mode: enforce with a new id"})
	case ModeNone:
		l = append(l, finding.Finding{Code: "mtasts.mode_none", Severity: finding.Warning, Line: lines.mode, RFC: "RFC 8461, Section 8.3",
			Message: "mode none: the policy is withdrawn and senders stop applying MTA-STS",
			Fix:     "keep mode none only while removing MTA-STS; otherwise publish mode: enforce"})
	}
	if p.Mode != ModeNone && p.MaxAge >= 0 && p.MaxAge < 7*24*3600 && (lines.maxAgeOK || !lines.parsed) {
		l = append(l, finding.Finding{Code: "mtasts.max_age_short", Severity: finding.Warning, Line: lines.maxAge, RFC: rfcPolicy,
			Message: fmt.Sprintf("max_age %d is under a week; RFC 8461 expects weeks or more, and a short cache leaves senders open to a downgrade at each refresh", p.MaxAge),
			Fix:     fmt.Sprintf("max_age: %d", RecommendedMaxAge)})
	}
	for i, mx := range p.MX {
		line, where := lines.mxLine(i), "mx: "+mx
		host := strings.TrimPrefix(mx, "*.")
		if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
			l = append(l, finding.Finding{Code: "mtasts.mx_ip", Severity: finding.Error, Line: line, Where: where, RFC: rfcMatch,
				Message: "an IP address is not an MX pattern: MX hosts are matched by name, so this entry matches nothing",
				Fix:     "list the MX host name, as published in the domain's MX records"})
			continue
		}
		if !isASCII(mx) {
			fix := "use the A-label (xn--) form of the name"
			if a, err := idna.Lookup.ToASCII(host); err == nil {
				fix = "mx: " + strings.TrimSuffix(mx, host) + a
			}
			l = append(l, finding.Finding{Code: "mtasts.mx_ulabel", Severity: finding.Error, Line: line, Where: where, RFC: rfcMatch,
				Message: "MX patterns must be A-labels (xn--...); many senders compare them byte for byte and this one would match nothing",
				Fix:     fix})
		}
		if strings.HasPrefix(mx, "*.") && strings.IndexByte(host, '.') < 0 {
			l = append(l, finding.Finding{Code: "mtasts.mx_wildcard_broad", Severity: finding.Warning, Line: line, Where: where, RFC: rfcMatch,
				Message: fmt.Sprintf("%q matches any host directly under the top-level domain %q", mx, host),
				Fix:     "list the MX host names of the domain"})
		}
		for k := 0; k < i; k++ {
			if strings.EqualFold(p.MX[k], mx) {
				l = append(l, finding.Finding{Code: "mtasts.mx_duplicate", Severity: finding.Info, Line: line, Where: where, RFC: rfcPolicy,
					Message: fmt.Sprintf("%q is listed twice", mx), Fix: "remove the second mx line"})
				break
			}
		}
	}
	return l
}

func modeFix(v string) string {
	for _, m := range []Mode{ModeEnforce, ModeTesting, ModeNone} {
		if strings.EqualFold(v, string(m)) {
			return "mode: " + string(m)
		}
	}
	return "mode: enforce"
}

func mxFix(v string) string {
	if strings.HasSuffix(v, ".") && mxSyntax(strings.TrimSuffix(v, ".")) == "" {
		return "mx: " + strings.TrimSuffix(v, ".")
	}
	return ""
}

// mxSyntax checks an mx value against RFC 8461, Section 3.2:
// sts-policy-mx-value = ["*."] Domain, Domain as in RFC 5321, Section 4.1.2.
// It returns "" when the value is acceptable. U-labels are accepted here
// when they convert to A-labels ([lintPolicy] reports them), and so are IPv4
// addresses, which the Domain grammar happens to allow.
func mxSyntax(v string) string {
	if v == "" {
		return "mx has no value"
	}
	d := strings.TrimPrefix(v, "*.")
	if strings.Contains(d, "*") {
		return fmt.Sprintf("mx %q: a wildcard is allowed only as the whole left-most label, as in *.example.com", msgtext.Clip(v))
	}
	if _, err := netip.ParseAddr(strings.Trim(d, "[]")); err == nil {
		if strings.IndexByte(d, ':') < 0 && d[0] != '[' {
			return "" // IPv4 fits the grammar; the linter rejects it
		}
		return fmt.Sprintf("mx %q: an IP address is not an MX pattern; list the MX host name", msgtext.Clip(v))
	}
	if strings.HasSuffix(d, ".") {
		return fmt.Sprintf("mx %q: remove the final dot; patterns are written without it", msgtext.Clip(v))
	}
	if !isASCII(d) {
		if !utf8.ValidString(d) {
			return fmt.Sprintf("mx %q is not valid UTF-8", msgtext.Clip(v))
		}
		a, err := idna.Lookup.ToASCII(d)
		if err != nil {
			return fmt.Sprintf("mx %q is not a valid domain name: %v", msgtext.Clip(v), err)
		}
		d = a
	}
	if msg := domainSyntax(d); msg != "" {
		return fmt.Sprintf("mx %q: %s", msgtext.Clip(v), msg)
	}
	return ""
}

// domainSyntax checks an ASCII domain name against RFC 5321, Section 4.1.2
// (sub-domain = Let-dig [Ldh-str]) and the length limits of RFC 1035,
// Section 2.3.4.
func domainSyntax(d string) string {
	if len(d) > 253 {
		return "the name is longer than 253 characters"
	}
	for len(d) > 0 {
		label := d
		if i := strings.IndexByte(d, '.'); i >= 0 {
			label, d = d[:i], d[i+1:]
			if d == "" {
				return "empty label"
			}
		} else {
			d = ""
		}
		if label == "" {
			return "empty label"
		}
		if len(label) > 63 {
			return fmt.Sprintf("label %q is longer than 63 characters", msgtext.Clip(label))
		}
		for k := 0; k < len(label); k++ {
			c := label[k]
			letDig := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
			if !letDig && (c != '-' || k == 0 || k == len(label)-1) {
				return fmt.Sprintf("label %q: only letters, digits and inner hyphens are allowed", msgtext.Clip(label))
			}
		}
	}
	return ""
}

// extNameSyntax checks sts-policy-ext-name (RFC 8461, Section 3.2):
// (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").
func extNameSyntax(name string) string {
	if name == "" {
		return "field name is empty"
	}
	if len(name) > 32 {
		return fmt.Sprintf("field name %q is longer than 32 characters", msgtext.Clip(name))
	}
	for k := 0; k < len(name); k++ {
		c := name[k]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if alnum || k > 0 && (c == '_' || c == '-' || c == '.') {
			continue
		}
		if isWSP(c) {
			return fmt.Sprintf("field name %q: no space is allowed before ':' or at the start of a line", msgtext.Clip(name))
		}
		return fmt.Sprintf("field name %q: only letters, digits, '_', '-' and '.' are allowed, starting with a letter or digit", msgtext.Clip(name))
	}
	return ""
}

// extValueSyntax checks sts-policy-ext-value (RFC 8461, Section 3.2): visible
// characters and UTF-8, with inner spaces.
func extValueSyntax(v string) string {
	if v == "" {
		return "the value is empty"
	}
	if !utf8.ValidString(v) {
		return "the value is not valid UTF-8"
	}
	for _, r := range v {
		if r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return fmt.Sprintf("the value contains the control character %U", r)
		}
	}
	return ""
}

func isASCII(s string) bool {
	for k := 0; k < len(s); k++ {
		if s[k] >= 0x80 {
			return false
		}
	}
	return true
}
