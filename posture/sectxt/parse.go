package sectxt

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
)

// Section names cited in findings.
const (
	rfcSpec          = "RFC 9116, Section 2"
	rfcLineSep       = "RFC 9116, Section 2.2"
	rfcSignature     = "RFC 9116, Section 2.3"
	rfcExtensibility = "RFC 9116, Section 2.4"
	rfcCanonical     = "RFC 9116, Section 2.5.2"
	rfcContact       = "RFC 9116, Section 2.5.3"
	rfcExpires       = "RFC 9116, Section 2.5.5"
	rfcLanguages     = "RFC 9116, Section 2.5.8"
	rfcLocation      = "RFC 9116, Section 3"
	rfcGrammar       = "RFC 9116, Section 4"
	rfcRedirects     = "RFC 9116, Section 5.2"
	rfcMalformed     = "RFC 9116, Section 5.4"
	rfcDashEscape    = "RFC 4880, Section 7.1"
	rfcHashNames     = "RFC 4880, Section 9.4"
	rfcCSAF          = "CSAF 2.0, Section 7.1.8"
)

// The delimiter lines of an OpenPGP cleartext signature (RFC 4880, Section
// 7; RFC 9116, Section 4).
const (
	beginSigned    = "-----BEGIN PGP SIGNED MESSAGE-----"
	beginSignature = "-----BEGIN PGP SIGNATURE-----"
	endSignature   = "-----END PGP SIGNATURE-----"
)

// Parse parses the text of a security.txt file and returns the first
// syntax error as a [*SyntaxError] wrapping [ErrSyntax].
//
// It follows RFC 9116: the grammar of Section 4 (every line, the last one
// included, ends with LF or CRLF; "Name: value" with exactly one space
// after the colon; comments begin with '#'), the rules of Section 2 (field
// names are case-insensitive, unknown fields are kept in Extensions,
// Contact is required and Expires required exactly once), UTF-8 without a
// byte order mark, and the OpenPGP cleartext signature framework for a
// signed file (the signature is read, not verified). Parse does not look at
// the clock: an expired file parses; [Check] reports it.
func Parse(text string) (*File, error) {
	p := parser{}
	p.parse(text)
	if p.err != nil {
		return nil, p.err
	}
	return p.f, nil
}

// Check parses the text of a security.txt file and reports every syntax
// problem and everything legal but unwise, each with its line, judging
// Expires against now. The file returned is never nil: it holds what could
// be read, even when there are errors. [Parse] fails whenever a syntax
// finding of severity error is reported; Check also reports an expired
// file as an error.
func Check(text string, now time.Time) (*File, finding.List) {
	p := parser{collect: true, now: now}
	p.parse(text)
	if !p.empty {
		p.lintText(text)
		p.findings = append(p.findings, lint(p.f, &p.lines, now)...)
	}
	p.findings.Sort()
	return p.f, p.findings
}

// fileLines records where each field was, for findings.
type fileLines struct {
	parsed     bool // from text; false for a file built in code
	signed     bool
	expires    int // line of the first Expires field
	expiresOK  bool
	lang       int
	contact    []int // line of each f.Contacts entry
	csaf       []int
	sawContact bool // a Contact line, valid or not
}

func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// state is where the parser is in a signed or unsigned file.
type state int

const (
	stUnsigned  state = iota // an unsigned file, or the part before a signed header
	stHash                   // after the signed header: Hash headers, then an empty line
	stCleartext              // the signed, dash-escaped text
	stArmor                  // after -----BEGIN PGP SIGNATURE-----: armor headers, then an empty line
	stSigData                // base64 data up to -----END PGP SIGNATURE-----
	stAfter                  // after the signature: nothing may follow
	stStray                  // a signature block in an unsigned file, skipped
)

// term is how a line ended.
type term int

const (
	termNone term = iota // the last line, without a line break
	termLF
	termCRLF
)

type parser struct {
	collect  bool // report every problem instead of stopping at the first
	now      time.Time
	err      *SyntaxError
	findings finding.List
	f        *File
	lines    fileLines
	st       state
	empty    bool
	nhash    int // Hash headers seen
	nsig     int // lines of signature data seen
	lfArmor  bool
	after    bool
	nlines   int
	longLine int // first line longer than MaxLineLength
}

// fail records an error.
func (p *parser) fail(line int, code, msg, fix, rfc string) {
	if !p.collect {
		if p.err == nil {
			p.err = &SyntaxError{Line: line, Msg: msg, Err: ErrSyntax}
		}
		return
	}
	p.findings = append(p.findings, finding.Finding{Code: code, Severity: finding.Error, Message: msg, Line: line, RFC: rfc, Fix: fix})
}

// note records a warning or information; only Check reports those.
func (p *parser) note(sev finding.Severity, line int, code, msg, fix, rfc string) {
	if p.collect {
		p.findings = append(p.findings, finding.Finding{Code: code, Severity: sev, Message: msg, Line: line, RFC: rfc, Fix: fix})
	}
}

func (p *parser) stopped() bool { return !p.collect && p.err != nil }

func (p *parser) parse(text string) {
	p.f = &File{}
	p.lines.parsed = true
	defer func() {
		if p.f.Contacts == nil {
			p.f.Contacts = []string{}
		}
	}()
	if strings.Trim(text, " \t\r\n") == "" {
		// One clear finding rather than every required field missing.
		p.empty = true
		p.fail(0, "sectxt.empty", "the file is empty", "Contact: mailto:security@<your domain>\r\nExpires: "+p.expiryExample(), rfcSpec)
		return
	}
	if strings.HasPrefix(text, "\uFEFF") {
		// RFC 9116, Section 4: UTF-8 in Net-Unicode form (RFC 5198), which
		// has no byte order mark; a reader takes it for part of line 1.
		p.fail(1, "sectxt.bom", "the file begins with a byte order mark (U+FEFF): security.txt is UTF-8 without one, and readers take it for part of the first line",
			"save the file as UTF-8 without a byte order mark", rfcGrammar)
		text = text[len("\uFEFF"):]
	}
	rest := text
	n := 0
	for rest != "" && !p.stopped() {
		n++
		var l string
		t := termLF
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
			if k := len(l); k > 0 && l[k-1] == '\r' {
				l, t = l[:k-1], termCRLF
			}
		} else {
			l, rest, t = rest, "", termNone
		}
		if len(l) > MaxLineLength && p.longLine == 0 {
			p.longLine = n
		}
		p.line(n, l, t)
		if t == termNone {
			// RFC 9116, Section 2.2 and the grammar of Section 4 (line =
			// [field / comment] eol): every line ends with a line break,
			// the last one too.
			p.fail(n, "sectxt.no_final_eol", "the last line does not end with a line break: RFC 9116 requires every line, the last one included, to end with CRLF or LF",
				"end the file with a line break", rfcLineSep)
		}
	}
	p.nlines = n
	if p.stopped() {
		return
	}
	p.end(n)
}

// line parses one line, without its line break.
func (p *parser) line(n int, l string, t term) {
	if code, msg := lineBytes(l); code != "" {
		p.fail(n, code, msg, "", rfcGrammar)
		return
	}
	switch p.st {
	case stUnsigned:
		tl := trimWSP(l)
		switch {
		case isDelim(tl, "BEGIN PGP SIGNED MESSAGE"):
			p.signedHeader(n, l, t)
		case isDelim(tl, "BEGIN PGP SIGNATURE"):
			p.fail(n, "sectxt.signature_syntax", "a signature block in a file that does not begin with "+beginSigned,
				"sign the file with gpg --clearsign, which writes the whole framework", rfcGrammar)
			p.st = stStray
		default:
			p.content(n, l)
		}
	case stStray:
		if isDelim(trimWSP(l), "END PGP SIGNATURE") {
			p.st = stUnsigned
		}
	case stHash:
		p.armorEOL(n, t)
		p.hashHeader(n, l, t)
	case stCleartext:
		p.cleartext(n, l, t)
	case stArmor:
		p.armorEOL(n, t)
		p.armorHeader(n, l)
	case stSigData:
		p.armorEOL(n, t)
		p.sigData(n, l)
	case stAfter:
		if !p.after {
			p.after = true
			// RFC 9116, Section 4: the body ends with the armor tail.
			p.fail(n, "sectxt.data_after_signature", "text after "+endSignature+": nothing may follow the signature",
				"remove everything after the "+endSignature+" line", rfcGrammar)
		}
	}
}

// lineBytes checks the characters of a line: no control characters other
// than tab (a CR counts: alone, it is not a line break), and UTF-8 (RFC
// 9116, Section 4).
func lineBytes(l string) (code, msg string) {
	ascii := true
	for k := 0; k < len(l); k++ {
		c := l[k]
		switch {
		case c >= 0x80:
			ascii = false
		case c == '\r':
			return "sectxt.control_char", "a carriage return (CR) not followed by a line feed: lines end with CRLF or LF"
		case c < 0x20 && c != '\t' || c == 0x7f:
			return "sectxt.control_char", fmt.Sprintf("the line contains the control character %U", rune(c))
		}
	}
	if !ascii && !utf8.ValidString(l) {
		return "sectxt.invalid_utf8", "the line is not valid UTF-8: security.txt must be encoded in UTF-8"
	}
	return "", ""
}

// isDelim reports whether t is an armor line naming word, even when
// mistyped ("----BEGIN PGP SIGNED MESSAGE-----"), so that a near miss is
// reported as one rather than as a line that is not a field.
func isDelim(t, word string) bool {
	return len(t) > len(word) && t[0] == '-' && strings.Trim(t, "-") == word
}

func (p *parser) expiryExample() string {
	if p.now.IsZero() {
		return "<a date-time less than a year ahead, as 2026-12-31T23:59:59Z>"
	}
	return formatTime(DefaultExpiry(p.now))
}

// armorEOL checks the line break of a line of the signature framework:
// RFC 9116's grammar (Section 4) gives CRLF for the header, the Hash
// headers, the empty line after them and the signature block, while the
// signed text itself may use LF ([CR] LF). Reported once.
func (p *parser) armorEOL(n int, t term) {
	if t == termLF && !p.lfArmor {
		p.lfArmor = true
		p.fail(n, "sectxt.signed_lf", "this line of the OpenPGP signature framework ends with LF alone: in a signed file the header, Hash, separator and signature lines must end with CRLF",
			"convert the file to CRLF line endings (unix2dos); the signature stays valid, since OpenPGP signs the text with CRLF line endings (RFC 4880, Section 7.1)", rfcGrammar)
	}
}

// signedHeader handles "-----BEGIN PGP SIGNED MESSAGE-----" (RFC 4880,
// Section 7; RFC 9116, Section 4: cleartext-header).
func (p *parser) signedHeader(n int, l string, t term) {
	if n != 1 {
		p.fail(n, "sectxt.signature_syntax", beginSigned+" must be the first line of the file: the text above it is not covered by the signature",
			"move the lines above it into the signed text and sign again", rfcGrammar)
	}
	if l != beginSigned {
		p.fail(n, "sectxt.signature_syntax", fmt.Sprintf("%q is not the cleartext signature header: it must read exactly %s, with nothing else on the line", msgtext.Clip(l), beginSigned),
			beginSigned, rfcGrammar)
	}
	p.armorEOL(n, t)
	p.f.Signed = true
	p.lines.signed = true
	p.st = stHash
}

// hashHeader handles a line after the signed header: "Hash: " hash-alg
// *("," hash-alg) CRLF, then one empty line (RFC 9116, Section 4; RFC 4880,
// Section 7).
func (p *parser) hashHeader(n int, l string, t term) {
	if l == "" {
		if p.nhash == 0 {
			p.fail(n, "sectxt.signature_syntax", "no Hash header after "+beginSigned, "Hash: SHA512", rfcGrammar)
		}
		p.st = stCleartext
		return
	}
	v, ok := strings.CutPrefix(l, "Hash: ")
	if !ok && len(l) >= 5 && strings.EqualFold(l[:5], "hash:") {
		p.fail(n, "sectxt.signature_syntax", fmt.Sprintf("%q: the header must be written exactly \"Hash: \" (capital H, one space)", msgtext.Clip(l)), "", rfcGrammar)
		v, ok = trimWSP(l[5:]), true
	}
	if ok {
		p.nhash++
		for _, alg := range strings.Split(v, ",") {
			alg = trimWSP(alg)
			if !isToken(alg) {
				p.fail(n, "sectxt.signature_syntax", fmt.Sprintf("Hash header: %q is not the name of a hash algorithm", msgtext.Clip(alg)), "", rfcGrammar)
				return
			}
			p.f.HashAlgorithms = append(p.f.HashAlgorithms, alg)
			switch strings.ToUpper(alg) {
			case "MD5", "SHA1", "RIPEMD160":
				p.note(finding.Warning, n, "sectxt.weak_hash", fmt.Sprintf("the signature uses %s, which is broken for signatures; current OpenPGP software rejects it", alg),
					"sign again with SHA256 or stronger (gpg --digest-algo SHA512 --clearsign)", rfcHashNames)
			}
		}
		return
	}
	if trimWSP(l) == "" {
		p.fail(n, "sectxt.signature_syntax", "the line after the Hash headers must be empty: it holds white space", "", rfcGrammar)
		p.st = stCleartext
		return
	}
	// The empty line is missing (or an armor header other than Hash is
	// there): read the line as signed text.
	if p.nhash == 0 {
		p.fail(n, "sectxt.signature_syntax", "no Hash header after "+beginSigned+": the next line must be \"Hash: \" and the algorithm", "Hash: SHA512", rfcGrammar)
	} else {
		p.fail(n, "sectxt.signature_syntax", "an empty line must separate the Hash headers from the signed text", "", rfcGrammar)
	}
	p.st = stCleartext
	p.cleartext(n, l, t)
}

// isToken reports whether s is a token of RFC 2045, Section 5.1: printable
// ASCII except space and tspecials.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for k := 0; k < len(s); k++ {
		c := s[k]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0 {
			return false
		}
	}
	return true
}

// cleartext handles a line of the signed text: dash-escaped (RFC 4880,
// Section 7.1; RFC 9116, Section 4: line-dash, line-from, line-nodash), or
// the start of the signature block.
func (p *parser) cleartext(n int, l string, t term) {
	switch {
	case strings.HasPrefix(l, "- "):
		p.content(n, l[2:])
	case l != "" && (l[0] == '-' || isWSP(l[0])) && isDelim(trimWSP(l), "BEGIN PGP SIGNATURE"):
		if l != beginSignature {
			p.fail(n, "sectxt.signature_syntax", fmt.Sprintf("%q: the signature must begin with the line %s exactly", msgtext.Clip(l), beginSignature), beginSignature, rfcGrammar)
		}
		p.armorEOL(n, t)
		p.st = stArmor
	case strings.HasPrefix(l, "-"):
		p.fail(n, "sectxt.dash_escape", fmt.Sprintf("a line of signed text that begins with '-' must be dash-escaped as \"- %s\"", msgtext.Clip(l)),
			"- "+l, rfcDashEscape)
	default:
		p.content(n, l)
	}
}

// armorHeader handles a line after "-----BEGIN PGP SIGNATURE-----": armor
// headers (token ": " value), then an empty line (RFC 9116, Section 4:
// armor-keys CRLF).
func (p *parser) armorHeader(n int, l string) {
	switch key, _, isHeader := strings.Cut(l, ": "); {
	case l == "":
		p.st = stSigData
	case isDelim(trimWSP(l), "END PGP SIGNATURE"):
		p.fail(n, "sectxt.signature_syntax", "the signature block holds no signature data", "", rfcGrammar)
		p.endSig(n, l)
	case isHeader && isToken(key):
	case isBase64(l):
		p.fail(n, "sectxt.signature_syntax", "an empty line must separate the armor headers from the signature data", "", rfcGrammar)
		p.st = stSigData
		p.sigData(n, l)
	case trimWSP(l) == "":
		p.fail(n, "sectxt.signature_syntax", "the line before the signature data must be empty: it holds white space", "", rfcGrammar)
		p.st = stSigData
	default:
		p.fail(n, "sectxt.signature_syntax", fmt.Sprintf("%q is neither an armor header (Name: value) nor the empty line before the signature data", msgtext.Clip(l)), "", rfcGrammar)
	}
}

// sigData handles a line of base64 signature data or the armor tail (RFC
// 9116, Section 4: signature-data, armor-tail).
func (p *parser) sigData(n int, l string) {
	if isDelim(trimWSP(l), "END PGP SIGNATURE") {
		if p.nsig == 0 {
			p.fail(n, "sectxt.signature_syntax", "the signature block holds no signature data", "", rfcGrammar)
		}
		p.endSig(n, l)
		return
	}
	if !isBase64(l) {
		p.fail(n, "sectxt.signature_syntax", fmt.Sprintf("%q is not signature data: only base64 (letters, digits, '+', '/', '=') may appear until %s", msgtext.Clip(l), endSignature), "", rfcGrammar)
		return
	}
	p.nsig++
}

func (p *parser) endSig(n int, l string) {
	if l != endSignature {
		p.fail(n, "sectxt.signature_syntax", fmt.Sprintf("%q: the signature must end with the line %s exactly", msgtext.Clip(l), endSignature), endSignature, rfcGrammar)
	}
	p.st = stAfter
}

func isBase64(l string) bool {
	if l == "" {
		return false
	}
	for k := 0; k < len(l); k++ {
		if c := l[k]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}

// content parses a line of the file proper (RFC 9116, Section 4): line =
// [ (field / comment) ] eol.
func (p *parser) content(n int, l string) {
	// eol = *WSP [CR] LF: white space at the end belongs to the line break.
	s := strings.TrimRight(l, " \t")
	if s == "" || s[0] == '#' {
		// Empty lines are allowed (Section 2); a line beginning with '#' is
		// a comment (Section 2.1), and lineBytes has checked its
		// characters.
		return
	}
	if isWSP(s[0]) {
		s = strings.TrimLeft(s, " \t")
		p.fail(n, "sectxt.leading_space", "the line begins with white space: a field or a comment must start at the beginning of the line", s, rfcGrammar)
		if s[0] == '#' {
			return
		}
	}
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		p.fail(n, "sectxt.not_a_field", fmt.Sprintf("%q is neither a field (Name: value), a comment (# ...) nor an empty line", msgtext.Clip(s)), "", rfcGrammar)
		return
	}
	name := s[:colon]
	rest := s[colon+1:]
	// field-name fs SP value: no white space before the colon (eikendev/sectxt
	// calls it prec_ws), exactly one space after it (no_space).
	if tn := strings.TrimRight(name, " \t"); tn != name {
		p.fail(n, "sectxt.space_before_colon", fmt.Sprintf("white space between the field name %q and the colon", msgtext.Clip(tn)),
			tn+": "+trimWSP(rest), rfcGrammar)
		name = tn
	}
	if msg := fieldNameSyntax(name); msg != "" {
		p.fail(n, "sectxt.field_name_invalid", msg, "", rfcSpec)
		return
	}
	kind := kindOf(name)
	switch {
	case rest == "":
		p.seen(kind)
		// RFC 9116, Section 2: "A field MUST always consist of a name and a
		// value".
		p.fail(n, "sectxt.value_missing", fmt.Sprintf("field %s has no value", name), "", rfcSpec)
		return
	case rest[0] != ' ':
		what := "no space"
		if rest[0] == '\t' {
			what = "a tab"
		}
		rest = strings.TrimLeft(rest, " \t")
		p.fail(n, "sectxt.no_space_after_colon", fmt.Sprintf("%s after \"%s:\": exactly one space must separate the name from the value", what, name),
			name+": "+rest, rfcGrammar)
	default:
		rest = rest[1:]
		if rest != "" && isWSP(rest[0]) {
			rest = strings.TrimLeft(rest, " \t")
			// An extension's value is "unstructured" (RFC 5322, Section
			// 3.2.5), which may begin with white space; the others may not.
			if kind != kindExtension {
				p.fail(n, "sectxt.extra_space", fmt.Sprintf("more than one space after \"%s:\": the value must follow a single space", name),
					name+": "+rest, rfcGrammar)
			}
		}
	}
	p.field(n, kind, name, rest)
}

// seen notes a field line whose value may be unusable, so that a missing
// required field is not reported on top of it.
func (p *parser) seen(kind fieldKind) {
	switch kind {
	case kindContact:
		p.lines.sawContact = true
	case kindExpires:
		if p.lines.expires == 0 {
			p.lines.expires = -1
		}
	}
}

// field checks and stores one field.
func (p *parser) field(n int, kind fieldKind, name, v string) {
	f := p.f
	switch kind {
	case kindExpires:
		// RFC 9116, Section 2.5.5: exactly once.
		if p.lines.expires > 0 {
			p.fail(n, "sectxt.expires_duplicate", fmt.Sprintf("a second Expires field: it must appear only once (the first, on line %d, counts)", p.lines.expires),
				"keep one Expires line", rfcExpires)
			return
		}
		p.lines.expires = n
		t, msg, fix := parseDateTime(v)
		if msg != "" {
			if fix != "" && !strings.HasPrefix(fix, "Expires: ") {
				fix = "Expires: " + fix
			}
			p.fail(n, "sectxt.expires_invalid", msg, fix, rfcExpires)
			return
		}
		f.Expires = t
		p.lines.expiresOK = true
	case kindLanguages:
		// RFC 9116, Section 2.5.8: at most once; comma-separated RFC 5646
		// tags, at least one.
		if p.lines.lang != 0 {
			p.fail(n, "sectxt.languages_duplicate", fmt.Sprintf("a second Preferred-Languages field: it must appear only once (the first, on line %d, counts); list all languages in one, separated by commas", p.lines.lang),
				"", rfcLanguages)
			return
		}
		p.lines.lang = n
		tags := splitLanguages(v)
		for _, tag := range tags {
			if msg := langTagProblem(tag); msg != "" {
				p.fail(n, "sectxt.language_invalid", msg, "", rfcLanguages)
				return
			}
		}
		f.PreferredLanguages = tags
	case kindExtension:
		if pr := valueProblem(name, v); !pr.ok() {
			p.fail(n, pr.code, pr.msg, pr.fix, rfcExtensibility)
			return
		}
		f.Extensions = append(f.Extensions, Field{Name: name, Value: v})
		if p.collect {
			p.unknownField(n, name, v)
		}
	default:
		p.seen(kind)
		if pr := uriFieldProblem(kind, v); !pr.ok() {
			p.fail(n, pr.code, pr.msg, pr.fix, knownFields[kind].rfc)
			return
		}
		list := f.uris(kind)
		*list = append(*list, v)
		switch kind {
		case kindContact:
			p.lines.contact = append(p.lines.contact, n)
		case kindCSAF:
			p.lines.csaf = append(p.lines.csaf, n)
		}
	}
}

// uriFieldProblem checks the value of a field that holds a URI.
func uriFieldProblem(kind fieldKind, v string) problem {
	name := knownFields[kind].name
	code := "sectxt.uri_invalid"
	if kind == kindContact {
		code = "sectxt.contact_invalid"
	}
	if kind == kindEncryption && strings.Contains(v, "PGP PUBLIC KEY") {
		// RFC 9116, Section 2.5.4: "Keys MUST NOT appear in this field".
		return problem{code, "the Encryption field holds a key: it must hold a URI where the key can be retrieved", "Encryption: https://<your site>/pgp-key.txt"}
	}
	pr := uriProblem(name, v, code)
	if pr.ok() && kind == kindCSAF {
		// CSAF 2.0, Section 7.1.8: the field points to the
		// provider-metadata.json, over HTTPS.
		if s, _, _ := splitScheme(v); s != "https" {
			return problem{code, fmt.Sprintf("CSAF %q: the field must give the https:// URI of a provider-metadata.json", msgtext.Clip(v)), ""}
		}
	}
	return pr
}

// Near misses of field names that drop the field silently.
var fieldAliases = map[string]fieldKind{
	"acknowledgements": kindAcknowledgments,
	"acknowledgement":  kindAcknowledgments,
	"acknowledgment":   kindAcknowledgments,
	"expiry":           kindExpires,
	"expire":           kindExpires,
	"expiration":       kindExpires,
	"expiration-date":  kindExpires,
	"expires-at":       kindExpires,
	"language":         kindLanguages,
	"languages":        kindLanguages,
	"email":            kindContact,
	"e-mail":           kindContact,
	"contacts":         kindContact,
	"policies":         kindPolicy,
	"security-policy":  kindPolicy,
}

func (p *parser) unknownField(n int, name, v string) {
	lower := strings.ToLower(name)
	k, ok := fieldAliases[lower]
	for kk := kindAcknowledgments; !ok && kk <= kindCSAF; kk++ {
		if msgtext.NearMiss(lower, strings.ToLower(knownFields[kk].name)) {
			k, ok = kk, true
		}
	}
	if ok {
		want := knownFields[k].name
		p.note(finding.Warning, n, "sectxt.unknown_field", fmt.Sprintf("unknown field %q is ignored by researchers: did you mean %s?", msgtext.Clip(name), want),
			want+": "+v, rfcExtensibility)
		return
	}
	p.note(finding.Info, n, "sectxt.unknown_field", fmt.Sprintf("field %q is not defined by RFC 9116; researchers ignore fields they do not support", msgtext.Clip(name)), "", rfcExtensibility)
}

// end checks what only the whole file can tell.
func (p *parser) end(n int) {
	switch p.st {
	case stHash, stCleartext:
		p.fail(n, "sectxt.signature_syntax", "the signed text is not followed by a signature ("+beginSignature+" ... "+endSignature+")", "", rfcGrammar)
	case stArmor, stSigData:
		p.fail(n, "sectxt.signature_syntax", "the signature block does not end with "+endSignature, endSignature, rfcGrammar)
	}
	// RFC 9116, Sections 2.5.3 and 2.5.5: Contact and Expires are required.
	if len(p.f.Contacts) == 0 && !p.lines.sawContact {
		p.fail(0, "sectxt.contact_missing", "no Contact field: the file must say how to report a vulnerability", "Contact: mailto:security@<your domain>", rfcContact)
	}
	if p.lines.expires == 0 {
		p.fail(0, "sectxt.expires_missing", "no Expires field: the file must say when its content becomes stale", "Expires: "+p.expiryExample(), rfcExpires)
	}
}

// lintText reports what is about the text rather than the fields: the
// limits of RFC 9116, Section 5.4.
func (p *parser) lintText(text string) {
	if len(text) > MaxFileSize {
		p.note(finding.Warning, 0, "sectxt.too_large", fmt.Sprintf("the file is %d bytes; researchers' tools may refuse files over %d", len(text), MaxFileSize), "", rfcMalformed)
	}
	if p.nlines > MaxLines {
		p.note(finding.Warning, 0, "sectxt.too_many_lines", fmt.Sprintf("the file has %d lines; researchers' tools may refuse files of more than %d", p.nlines, MaxLines), "", rfcMalformed)
	}
	if p.longLine != 0 {
		p.note(finding.Warning, p.longLine, "sectxt.line_too_long", fmt.Sprintf("the line is longer than %d characters; researchers' tools may refuse it", MaxLineLength), "", rfcMalformed)
	}
}
