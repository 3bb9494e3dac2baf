package spf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
)

// Section names cited in findings.
const (
	rfcASCII     = "RFC 7208, Section 3.1"
	rfcStrings   = "RFC 7208, Section 3.3"
	rfcSize      = "RFC 7208, Section 3.4"
	rfcSelect    = "RFC 7208, Section 4.5"
	rfcTerms     = "RFC 7208, Section 4.6.1"
	rfcLimits    = "RFC 7208, Section 4.6.4"
	rfcDefault   = "RFC 7208, Section 4.7"
	rfcAll       = "RFC 7208, Section 5.1"
	rfcInclude   = "RFC 7208, Section 5.2"
	rfcPTR       = "RFC 7208, Section 5.5"
	rfcIP        = "RFC 7208, Section 5.6"
	rfcModifiers = "RFC 7208, Section 6"
	rfcRedirect  = "RFC 7208, Section 6.1"
	rfcDomain    = "RFC 7208, Section 7.1"
	rfcLetters   = "RFC 7208, Section 7.2"
)

// Size limits.
const (
	// maxStringLen is the most one character-string of a TXT record holds
	// (RFC 1035, Section 3.3; RFC 7208, Section 3.3).
	maxStringLen = 255
	// maxRecordLen is where a record gets too long to be safe: RFC 7208,
	// Section 3.4 wants the whole DNS answer under 512 octets, and
	// checkdmarc warns above 450 octets of record.
	maxRecordLen = 450
	// maxLookups is the limit of terms that cause DNS lookups (RFC 7208,
	// Section 4.6.4).
	maxLookups = 10
	// maxVoidLookups is the limit of lookups that find nothing (RFC 7208,
	// Section 4.6.4 recommends 2).
	maxVoidLookups = 2
	// maxMXNames is the most MX names one mx term may look up (RFC 7208,
	// Section 4.6.4).
	maxMXNames = 10
)

// Parse parses an SPF record (RFC 7208, Section 4.6). isSPF is false when
// the value is not an SPF record at all (it does not begin with "v=spf1"
// and a space or its end): skip it; err then wraps [ErrNoRecord] and says
// why. When it is one but malformed, err is a [*SyntaxError] wrapping
// [ErrSyntax]; receivers return "permerror" for such a record.
//
// Give the TXT value with the strings of a multi-string record joined
// without spaces, as resolvers deliver it (RFC 7208, Section 3.3).
func Parse(txt string) (rec *Record, isSPF bool, err error) {
	p := parser{txt: txt}
	rec, isSPF = p.parse()
	if p.err != nil {
		return nil, isSPF, p.err
	}
	return rec, isSPF, nil
}

type parser struct {
	txt      string
	collect  bool // report every problem instead of stopping at the first
	failed   bool // a syntax error was found
	err      *SyntaxError
	findings finding.List
	// Offsets of the terms in txt, for findings, when collecting.
	offsets []int
}

// fail records a syntax error at offset off of the record. It returns
// false, for "the term is not valid".
func (p *parser) fail(off int, where, code, rfc, msg, fix string) bool {
	p.failed = true
	if !p.collect {
		if p.err == nil {
			sentinel := ErrSyntax
			if code == "spf.not_spf" {
				sentinel = ErrNoRecord
			}
			p.err = &SyntaxError{Offset: off, Msg: msg, Err: sentinel}
		}
		return false
	}
	p.findings = append(p.findings, finding.Finding{Code: code, Severity: finding.Error, Where: msgtext.Clip(where), RFC: rfc, Fix: fix,
		Message: fmt.Sprintf("%s (at offset %d)", msg, off)})
	return false
}

func (p *parser) parse() (*Record, bool) {
	txt := p.txt
	if !IsSPF(txt) {
		p.notSPF()
		return nil, false
	}
	rec := &Record{Terms: make([]Term, 0, 8)}
	redirectAt, expAt := -1, -1
	i := len(Version)
	// record = version terms *SP; terms = *( 1*SP ( directive / modifier ) )
	// (RFC 7208, Section 4.6.1).
	for {
		for i < len(txt) && txt[i] == ' ' {
			i++
		}
		if i == len(txt) {
			break
		}
		start := i
		for i < len(txt) && txt[i] != ' ' {
			i++
		}
		raw := txt[start:i]
		t, ok := p.term(start, raw)
		if !ok {
			if !p.collect {
				return nil, true
			}
			continue
		}
		// RFC 7208, Section 6: redirect and exp appear at most once each.
		if t.Modifier == Redirect || t.Modifier == Explanation {
			first := &redirectAt
			if t.Modifier == Explanation {
				first = &expAt
			}
			if *first >= 0 {
				p.fail(start, raw, "spf.modifier_duplicate", rfcModifiers,
					fmt.Sprintf("%s= appears twice (first at offset %d); it may appear at most once", t.Modifier, *first),
					"keep one "+t.Modifier+"= modifier")
				if !p.collect {
					return nil, true
				}
				continue
			}
			*first = start
		}
		rec.Terms = append(rec.Terms, t)
		if p.collect {
			p.offsets = append(p.offsets, start)
		}
	}
	return rec, true
}

// notSPF reports why a value is not an SPF record.
func (p *parser) notSPF() {
	txt := p.txt
	msg := "the record does not begin with v=spf1"
	trimmed := strings.TrimLeft(txt, " \t")
	switch {
	case trimmed != txt && IsSPF(trimmed):
		// checkdmarc#258: a leading space makes it no SPF record.
		msg = "the record must begin with v=spf1, with no space before it; receivers ignore this one"
	case len(txt) > len(Version) && IsSPF(txt[:len(Version)]):
		c := txt[len(Version)]
		switch {
		case c == '\t':
			msg = "v=spf1 must be followed by a space, not a tab; receivers ignore this record"
		case c >= '0' && c <= '9':
			msg = fmt.Sprintf("the version is %q, not v=spf1; receivers ignore this record", msgtext.Clip(strings.SplitN(txt, " ", 2)[0]))
		default:
			// "v=spf1" "mx" joined as resolvers do (RFC 7208, Section 3.3).
			msg = fmt.Sprintf("v=spf1 is followed by %q without a space (the strings of a TXT record are joined without spaces); receivers ignore this record", msgtext.Clip(txt[len(Version):]))
		}
	}
	p.fail(0, "", "spf.not_spf", rfcSelect, msg, "begin the record with \"v=spf1 \"")
}

// term parses one term, raw, found at offset off.
func (p *parser) term(off int, raw string) (Term, bool) {
	t := Term{Raw: raw}
	// Only visible ASCII may appear in a term: macro-literal is
	// %x21-24 / %x26-7E and the record is US-ASCII (RFC 7208, Sections 3.1
	// and 7.1).
	for k := 0; k < len(raw); k++ {
		c := raw[k]
		switch {
		case c >= 0x80:
			return t, p.fail(off+k, raw, "spf.non_ascii", rfcASCII,
				fmt.Sprintf("term %q holds a byte that is not ASCII; SPF records are US-ASCII", msgtext.Clip(raw)),
				"write domain names as A-labels (xn--...) and remove other characters")
		case c == '\t':
			return t, p.fail(off+k, raw, "spf.syntax", rfcTerms,
				"a tab is not allowed: terms are separated by spaces", "replace the tab with a space")
		case c < 0x21 || c == 0x7f:
			return t, p.fail(off+k, raw, "spf.syntax", rfcTerms,
				fmt.Sprintf("control character %q is not allowed", c), "remove it")
		}
	}
	s := raw
	qual := Qualifier("")
	if c := s[0]; c == '+' || c == '-' || c == '~' || c == '?' {
		qual = Qualifier(s[:1])
		s = s[1:]
	}
	// A term is a modifier when "=" comes right after its name, before any
	// ":" or "/" (RFC 7208, Section 4.6.1; the test suite's
	// modifier-charset-bad cases).
	k := strings.IndexAny(s, "=:/")
	if k >= 0 && s[k] == '=' {
		return p.modifier(off, raw, qual, s[:k], s[k+1:], off+len(raw)-len(s)+k+1)
	}
	name, rest := s, ""
	if k >= 0 {
		name, rest = s[:k], s[k:]
	}
	restOff := off + len(raw) - len(rest)
	if qual == "" {
		qual = Pass
	}
	t.Qualifier = qual
	t.Mechanism = Mechanism(strings.ToLower(name))
	switch t.Mechanism {
	case All:
		// all = "all" (RFC 7208, Section 5.1).
		if rest != "" {
			return t, p.fail(restOff, raw, "spf.syntax", rfcAll, fmt.Sprintf("all takes no argument, but is followed by %q", msgtext.Clip(rest)), string(qual)+"all")
		}
	case Include, Exists:
		// include = "include" ":" domain-spec; exists = "exists" ":"
		// domain-spec (RFC 7208, Sections 5.2 and 5.7).
		if !strings.HasPrefix(rest, ":") || rest == ":" {
			return t, p.fail(off, raw, "spf.domain_invalid", rfcTerms, fmt.Sprintf("%s needs a domain: %s:<domain>", t.Mechanism, t.Mechanism), "")
		}
		t.Domain = rest[1:]
		if !p.domainSpec(restOff+1, raw, t.Domain) {
			return t, false
		}
	case PTR:
		// ptr = "ptr" [ ":" domain-spec ] (RFC 7208, Section 5.5).
		if rest != "" {
			if rest[0] != ':' {
				return t, p.fail(restOff, raw, "spf.syntax", rfcPTR, fmt.Sprintf("ptr takes no prefix length, but is followed by %q", msgtext.Clip(rest)), "")
			}
			if rest == ":" {
				return t, p.fail(off, raw, "spf.domain_invalid", rfcPTR, "ptr: has no domain after the colon", "ptr")
			}
			t.Domain = rest[1:]
			if !p.domainSpec(restOff+1, raw, t.Domain) {
				return t, false
			}
		}
	case A, MX:
		// a = "a" [ ":" domain-spec ] [ dual-cidr-length ], mx likewise
		// (RFC 7208, Sections 5.3 and 5.4).
		return p.aOrMX(t, off, raw, rest, restOff)
	case IP4, IP6:
		return p.ipNet(t, off, raw, rest, restOff)
	case "":
		return t, p.fail(off, raw, "spf.syntax", rfcTerms, fmt.Sprintf("term %q has no mechanism name", msgtext.Clip(raw)), "")
	default:
		msg := fmt.Sprintf("unknown mechanism %q", msgtext.Clip(name))
		fix := ""
		if strings.EqualFold(name, Redirect) || strings.EqualFold(name, Explanation) {
			// The test suite's redirect-is-modifier case.
			msg = fmt.Sprintf("%s is a modifier: write %s=<domain>, with '='", strings.ToLower(name), strings.ToLower(name))
			fix = strings.ToLower(name) + "=" + strings.TrimPrefix(rest, ":")
		}
		return t, p.fail(off, raw, "spf.mechanism_unknown", rfcTerms, msg, fix)
	}
	return t, true
}

func (p *parser) modifier(off int, raw string, qual Qualifier, name, value string, valueOff int) (Term, bool) {
	t := Term{Raw: raw}
	if qual != "" {
		return t, p.fail(off, raw, "spf.modifier_invalid", rfcTerms, fmt.Sprintf("modifier %s takes no qualifier %q", msgtext.Clip(name), qual), msgtext.Clip(raw[1:]))
	}
	// name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) (RFC 7208,
	// Section 4.6.1).
	if msg := nameSyntax(name); msg != "" {
		return t, p.fail(off, raw, "spf.modifier_invalid", rfcTerms, msg, "")
	}
	if isKnownModifier(name) {
		// redirect = "redirect" "=" domain-spec; explanation = "exp" "="
		// domain-spec (RFC 7208, Sections 6.1 and 6.2).
		t.Modifier = strings.ToLower(name)
		if value == "" {
			return t, p.fail(off, raw, "spf.domain_invalid", rfcModifiers, fmt.Sprintf("%s= has no domain", t.Modifier), "")
		}
		t.Domain = value
		return t, p.domainSpec(valueOff, raw, value)
	}
	// unknown-modifier = name "=" macro-string; its macros must be valid
	// (the test suite's unknown-modifier-syntax case).
	t.Modifier = name
	t.Value = value
	if at, msg, rfc := macroString(value, true); msg != "" {
		return t, p.fail(valueOff+at, raw, "spf.macro_invalid", rfc, fmt.Sprintf("modifier %s: %s", msgtext.Clip(name), msg), "")
	}
	return t, true
}

func nameSyntax(name string) string {
	if name == "" {
		return "a modifier has no name before '='"
	}
	for k := 0; k < len(name); k++ {
		c := name[k]
		if isAlpha(c) || k > 0 && (isDigit(c) || c == '-' || c == '_' || c == '.') {
			continue
		}
		return fmt.Sprintf("modifier name %q: it must begin with a letter, followed by letters, digits, '-', '_' or '.'", msgtext.Clip(name))
	}
	return ""
}

// aOrMX parses what follows a or mx: [ ":" domain-spec ] [ dual-cidr-length ].
func (p *parser) aOrMX(t Term, off int, raw, rest string, restOff int) (Term, bool) {
	spec := rest
	// dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ] at the
	// end (RFC 7208, Section 5.6): "/24", "//64", "/24//64".
	if i := strings.LastIndexByte(spec, '/'); i > 0 && spec[i-1] == '/' && allDigits(spec[i+1:]) {
		n, msg := cidrLen(spec[i+1:], 128)
		if msg != "" {
			return t, p.fail(restOff+i+1, raw, "spf.cidr_invalid", rfcIP, "IPv6 prefix length "+msg, "")
		}
		t.CIDR6 = &n
		spec = spec[:i-1]
	}
	if i := strings.LastIndexByte(spec, '/'); i >= 0 && allDigits(spec[i+1:]) {
		if j := strings.LastIndexByte(spec[:i], '/'); j >= 0 && allDigits(spec[j+1:i]) && t.CIDR6 == nil {
			return t, p.fail(restOff+j, raw, "spf.cidr_invalid", rfcIP,
				fmt.Sprintf("%q is not a prefix length: the IPv6 one takes two slashes, as in /24//64", msgtext.Clip(spec[j:])), "")
		}
		n, msg := cidrLen(spec[i+1:], 32)
		if msg != "" {
			return t, p.fail(restOff+i+1, raw, "spf.cidr_invalid", rfcIP, "IPv4 prefix length "+msg, "")
		}
		t.CIDR4 = &n
		spec = spec[:i]
	}
	switch {
	case spec == "":
	case spec[0] == ':':
		if spec == ":" {
			return t, p.fail(off, raw, "spf.domain_invalid", rfcTerms, fmt.Sprintf("%s: has no domain after the colon", t.Mechanism), string(t.Mechanism))
		}
		t.Domain = spec[1:]
		if !p.domainSpec(restOff+1, raw, t.Domain) {
			return t, false
		}
	default:
		return t, p.fail(restOff, raw, "spf.cidr_invalid", rfcIP,
			fmt.Sprintf("%q after %s is not a prefix length: write /24 for IPv4, //64 for IPv6, or /24//64 for both", msgtext.Clip(spec), t.Mechanism), "")
	}
	// The defaults are left out: /32 and /128 mean the same as nothing.
	if t.CIDR4 != nil && *t.CIDR4 == 32 {
		t.CIDR4 = nil
	}
	if t.CIDR6 != nil && *t.CIDR6 == 128 {
		t.CIDR6 = nil
	}
	return t, true
}

// ipNet parses what follows ip4 or ip6: ":" network [ cidr-length ] (RFC
// 7208, Section 5.6).
func (p *parser) ipNet(t Term, off int, raw, rest string, restOff int) (Term, bool) {
	family, maxBits := "IPv4", 32
	if t.Mechanism == IP6 {
		family, maxBits = "IPv6", 128
	}
	if !strings.HasPrefix(rest, ":") || rest == ":" {
		return t, p.fail(off, raw, "spf.ip_invalid", rfcIP, fmt.Sprintf("%s needs an %s address: %s:<address>[/<prefix length>]", t.Mechanism, family, t.Mechanism), "")
	}
	body := rest[1:]
	addrText, lenText, hasLen := strings.Cut(body, "/")
	// No macros here: ip4-network and ip6-network are literal addresses.
	if strings.IndexByte(addrText, '%') >= 0 {
		return t, p.fail(restOff+1, raw, "spf.ip_invalid", rfcIP, fmt.Sprintf("%s takes an address, not macros", t.Mechanism), "")
	}
	addr, err := netip.ParseAddr(addrText)
	switch {
	case err != nil:
		msg := fmt.Sprintf("%q is not an %s address", msgtext.Clip(addrText), family)
		if t.Mechanism == IP4 && strings.Count(addrText, ".") < 3 && allDigitsDots(addrText) {
			msg += "; write all four parts, with a prefix length for a network (1.2.3.0/24)"
		}
		return t, p.fail(restOff+1, raw, "spf.ip_invalid", rfcIP, msg, "")
	case addr.Zone() != "":
		return t, p.fail(restOff+1, raw, "spf.ip_invalid", rfcIP, fmt.Sprintf("%q has a zone; an ip6 network cannot", msgtext.Clip(addrText)), "")
	case t.Mechanism == IP4 && !addr.Is4():
		return t, p.fail(restOff+1, raw, "spf.ip_invalid", rfcIP, fmt.Sprintf("%q is an IPv6 address: use ip6:", msgtext.Clip(addrText)), "ip6:"+body)
	case t.Mechanism == IP6 && !addr.Is6():
		return t, p.fail(restOff+1, raw, "spf.ip_invalid", rfcIP, fmt.Sprintf("%q is an IPv4 address: use ip4:", msgtext.Clip(addrText)), "ip4:"+body)
	}
	bits := maxBits
	if hasLen {
		if !allDigits(lenText) {
			return t, p.fail(restOff+2+len(addrText), raw, "spf.cidr_invalid", rfcIP,
				fmt.Sprintf("%q is not a prefix length; %s takes one, as in /%d", msgtext.Clip(lenText), t.Mechanism, maxBits/2), "")
		}
		var msg string
		if bits, msg = cidrLen(lenText, maxBits); msg != "" {
			return t, p.fail(restOff+2+len(addrText), raw, "spf.cidr_invalid", rfcIP, family+" prefix length "+msg, "")
		}
	}
	t.Net = netip.PrefixFrom(addr, bits)
	return t, true
}

// cidrLen parses the digits of a prefix length: "0" / %x31-39 *DIGIT, at
// most limit (RFC 7208, Section 5.6: ip4-cidr-length and ip6-cidr-length).
func cidrLen(s string, limit int) (int, string) {
	if s == "" {
		return 0, "is empty"
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, fmt.Sprintf("%q has a leading zero", msgtext.Clip(s))
	}
	if len(s) > 3 {
		return 0, fmt.Sprintf("%s is over %d", msgtext.Clip(s), limit)
	}
	n, _ := strconv.Atoi(s)
	if n > limit {
		return 0, fmt.Sprintf("%d is over %d", n, limit)
	}
	return n, ""
}

// domainSpec checks a domain-spec (RFC 7208, Section 7.1):
// domain-spec = macro-string domain-end;
// domain-end = ( "." toplabel [ "." ] ) / macro-expand.
func (p *parser) domainSpec(off int, raw, spec string) bool {
	if at, msg, rfc := macroString(spec, false); msg != "" {
		return p.fail(off+at, raw, "spf.macro_invalid", rfc, msg, "")
	}
	if msg, fix := domainEnd(spec); msg != "" {
		return p.fail(off, raw, "spf.domain_invalid", rfcDomain, msg, fix)
	}
	return true
}

// domainEnd checks the end of a domain-spec whose macros are valid.
func domainEnd(spec string) (msg, fix string) {
	if addr, err := netip.ParseAddr(spec); err == nil {
		if addr.Is4() {
			return fmt.Sprintf("%q is an IP address, not a domain", spec), "ip4:" + spec
		}
		return fmt.Sprintf("%q is an IP address, not a domain", msgtext.Clip(spec)), "ip6:" + spec
	}
	// The literal text after the last macro-expand.
	lit := spec
	lastMacro := -1
	for i := 0; i < len(spec); {
		tok, next, msg := nextToken(spec, i)
		if msg != "" {
			return msg, ""
		}
		if tok.kind != tokLiteral {
			lastMacro = next
		}
		i = next
	}
	if lastMacro == len(spec) {
		return "", "" // ends with a macro-expand
	}
	if lastMacro > 0 {
		lit = spec[lastMacro:]
	}
	top := strings.TrimSuffix(lit, ".")
	dot := strings.LastIndexByte(top, '.')
	if dot < 0 {
		return fmt.Sprintf("domain %q has no dot: a domain needs at least two labels, or a macro at the end", msgtext.Clip(spec)), ""
	}
	top = top[dot+1:]
	// toplabel = ( *alphanum ALPHA *alphanum ) /
	//            ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
	hasAlpha, hasDash := false, false
	bad := top == ""
	for k := 0; k < len(top) && !bad; k++ {
		c := top[k]
		switch {
		case isAlpha(c):
			hasAlpha = true
		case isDigit(c):
		case c == '-' && k > 0 && k < len(top)-1:
			hasDash = true
		default:
			bad = true
		}
	}
	if bad {
		return fmt.Sprintf("domain %q: the last label %q must be letters, digits and inner hyphens", msgtext.Clip(spec), msgtext.Clip(top)), ""
	}
	if !hasAlpha && !hasDash {
		return fmt.Sprintf("domain %q: the last label %q is all digits, which no top-level domain is", msgtext.Clip(spec), top), ""
	}
	return "", ""
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for k := 0; k < len(s); k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	return true
}

func allDigitsDots(s string) bool {
	for k := 0; k < len(s); k++ {
		if !isDigit(s[k]) && s[k] != '.' {
			return false
		}
	}
	return s != ""
}
