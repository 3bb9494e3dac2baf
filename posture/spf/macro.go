package spf

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/posturekit/posturekit/internal/msgtext"
)

// Macro tokens.
const (
	tokLiteral = iota // a run of macro-literal characters
	tokEscape         // %%, %_ or %-
	tokMacro          // %{...}
)

type macroToken struct {
	kind    int
	text    string // the token as written
	letter  byte   // lower case
	upper   bool   // the letter was written in upper case: URL-escape
	digits  int    // 0 when none
	reverse bool
	delims  string
}

// nextToken reads the token of a macro-string at s[i:]. It returns a
// message when the macro syntax is wrong (then next is where the problem
// is).
func nextToken(s string, i int) (tok macroToken, next int, msg string) {
	if s[i] != '%' {
		j := i
		for j < len(s) && s[j] != '%' {
			j++
		}
		return macroToken{kind: tokLiteral, text: s[i:j]}, j, ""
	}
	// macro-expand = ( "%{" macro-letter transformers *delimiter "}" )
	//                / "%%" / "%_" / "%-" (RFC 7208, Section 7.1).
	if i+1 >= len(s) {
		return tok, i, "'%' at the end: write %% for a percent sign"
	}
	switch s[i+1] {
	case '%', '_', '-':
		return macroToken{kind: tokEscape, text: s[i : i+2]}, i + 2, ""
	case '{':
	default:
		return tok, i, fmt.Sprintf("'%%' must be followed by '{', '%%', '_' or '-', not %q", s[i+1])
	}
	j := i + 2
	if j >= len(s) {
		return tok, i, "unterminated macro: no letter after '%{'"
	}
	tok = macroToken{kind: tokMacro}
	c := s[j]
	if 'A' <= c && c <= 'Z' {
		tok.upper = true
		c += 'a' - 'A'
	}
	tok.letter = c
	j++
	// transformers = *DIGIT [ "r" ]
	d := j
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j > d {
		n := strings.TrimLeft(s[d:j], "0")
		switch {
		case n == "":
			// RFC 7208, Section 7.3: a DIGIT transformer must be nonzero.
			return tok, d, "the number of parts in a macro must not be zero"
		case len(n) > 3:
			tok.digits = 1000 // more parts than any name has
		default:
			tok.digits, _ = strconv.Atoi(n)
		}
	}
	if j < len(s) && (s[j] == 'r' || s[j] == 'R') {
		tok.reverse = true
		j++
	}
	// delimiter = "." / "-" / "+" / "," / "/" / "_" / "="
	d = j
	for j < len(s) && strings.IndexByte(".-+,/_=", s[j]) >= 0 {
		j++
	}
	tok.delims = s[d:j]
	if j >= len(s) || s[j] != '}' {
		if j >= len(s) {
			return tok, i, fmt.Sprintf("unterminated macro %q: no '}'", msgtext.Clip(s[i:]))
		}
		return tok, j, fmt.Sprintf("unexpected %q in macro %q", s[j], msgtext.Clip(s[i:]))
	}
	tok.text = s[i : j+1]
	return tok, j + 1, ""
}

// macroString checks a macro-string (RFC 7208, Section 7.1). In domain-specs
// (inUnknown false) the letters c, r and t are refused: they are allowed
// only in the explanation text (RFC 7208, Section 7.2; the test suite's
// exp-only-macro-char case). It returns the offset of a problem, a message
// and the section that has the rule, or "" for the message.
func macroString(s string, inUnknown bool) (off int, msg, rfc string) {
	for i := 0; i < len(s); {
		tok, next, msg := nextToken(s, i)
		if msg != "" {
			return next, msg, rfcDomain
		}
		if tok.kind == tokMacro {
			switch tok.letter {
			case 's', 'l', 'o', 'd', 'i', 'p', 'h', 'v':
			case 'c', 'r', 't':
				if !inUnknown {
					return i, fmt.Sprintf("macro %s is allowed only in the explanation text, not in a domain", tok.text), rfcLetters
				}
			default:
				return i, fmt.Sprintf("macro %s: %q is not a macro letter (s, l, o, d, i, p, h or v)", msgtext.Clip(tok.text), tok.letter), rfcLetters
			}
		}
		i = next
	}
	return 0, "", ""
}

// hasMacros reports whether a domain-spec holds macro-expands.
func hasMacros(s string) bool { return strings.IndexByte(s, '%') >= 0 }

// expandDomain returns the name a domain-spec looks up in the record of
// domain: the literal name, or the name with %{d} macros expanded (RFC
// 7208, Section 7.3). ok is false when the spec holds macros that depend on
// the message (the sender, the client's address, the HELO name).
func expandDomain(spec, domain string) (name string, ok bool) {
	if !hasMacros(spec) {
		return strings.ToLower(strings.TrimSuffix(spec, ".")), true
	}
	var b strings.Builder
	for i := 0; i < len(spec); {
		tok, next, msg := nextToken(spec, i)
		if msg != "" {
			return "", false
		}
		switch tok.kind {
		case tokLiteral:
			b.WriteString(tok.text)
		case tokEscape:
			// RFC 7208, Section 7.1: %% is "%", %_ a space, %- "%20".
			switch tok.text[1] {
			case '%':
				b.WriteByte('%')
			case '_':
				b.WriteByte(' ')
			default:
				b.WriteString("%20")
			}
		case tokMacro:
			if tok.letter != 'd' {
				return "", false
			}
			b.WriteString(transform(domain, tok))
		}
		i = next
	}
	s := strings.TrimSuffix(b.String(), ".")
	// RFC 7208, Section 7.3: a name over 253 characters loses labels on
	// the left until it fits.
	for len(s) > 253 {
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return s, true
		}
		s = s[i+1:]
	}
	return strings.ToLower(s), true
}

// transform applies a macro's transformers to a value (RFC 7208, Section
// 7.3): split on the delimiters (default "."), reverse, keep the
// right-most parts, join with dots, URL-escape for upper-case letters.
func transform(value string, tok macroToken) string {
	delims := tok.delims
	if delims == "" {
		delims = "."
	}
	var parts []string
	start := 0
	for k := 0; k < len(value); k++ {
		if strings.IndexByte(delims, value[k]) >= 0 {
			parts = append(parts, value[start:k])
			start = k + 1
		}
	}
	parts = append(parts, value[start:])
	if tok.reverse {
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
	}
	if tok.digits > 0 && tok.digits < len(parts) {
		parts = parts[len(parts)-tok.digits:]
	}
	s := strings.Join(parts, ".")
	if tok.upper {
		s = urlEscape(s)
	}
	return s
}

// urlEscape escapes what is not in RFC 3986's unreserved set.
func urlEscape(s string) string {
	var b strings.Builder
	for k := 0; k < len(s); k++ {
		c := s[k]
		if isAlpha(c) || isDigit(c) || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
