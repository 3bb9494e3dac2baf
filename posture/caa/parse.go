package caa

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/posturekit/posturekit/internal/msgtext"
)

// maxTagLen is the longest tag the one-octet tag length of the wire format
// holds (RFC 8659, Section 4.1).
const maxTagLen = 255

// maxRDataLen is the most RDATA a resource record holds (RFC 1035, Section
// 3.2.1: RDLENGTH is 16 bits); a CAA record spends two octets on the flags
// and the tag length.
const maxRDataLen = 65535

// Parse parses the data of one CAA record in zone-file presentation form:
//
//	FLAGS TAG VALUE
//
// (RFC 8659, Section 4.1.1): the flags as a decimal number from 0 to 255,
// the tag, and the value either quoted ("letsencrypt.org; accounturi=...")
// or as one run of characters without spaces. The escapes of RFC 1035,
// Section 5.1 are undone: \X stands for the character X and \DDD for the
// byte with decimal value DDD. The record may be preceded by "CAA" or
// "IN CAA", followed by a comment (from ';' to the end of the line), and
// continued over several lines inside parentheses, as in a zone file.
// The generic form of RFC 3597 (\# LENGTH HEX) is read too.
//
// The first problem is returned as a [*SyntaxError] wrapping [ErrSyntax].
// Only the presentation form, the flags and the tag are checked here: a
// value that does not follow the grammar of its property is still a CAA
// record, and [Check] reports it.
func Parse(text string) (*Record, error) {
	r, err := parseRecord(text)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ParseSet parses a CAA RRset written one record per line, as [Parse]
// reads each (a record in parentheses may span lines). Blank lines and
// comment lines are skipped. The first problem is returned as a
// [*SyntaxError] with its Line. Text without any record gives an empty
// set.
func ParseSet(text string) ([]Record, error) {
	recs := []Record{}
	for _, l := range splitRecords(text) {
		r, err := parseRecord(l.text)
		if err != nil {
			err.Line = l.line
			return nil, err
		}
		recs = append(recs, *r)
	}
	return recs, nil
}

// logicalLine is the text of one record in a set and the line it starts on.
type logicalLine struct {
	line int
	text string
}

// splitRecords cuts text into records: at each line end that is not inside
// parentheses (RFC 1035, Section 5.1). Quotes, escapes and comments are
// followed so that a ';' or '(' inside a value does not count. Lines that
// hold only spaces and comments are left out.
func splitRecords(text string) []logicalLine {
	var out []logicalLine
	line, startLine, start := 1, 1, 0
	inQuote, comment, depth := false, false, 0
	emit := func(end int) {
		if s := text[start:end]; !blank(s) {
			out = append(out, logicalLine{line: startLine, text: s})
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			comment = false
			inQuote = false // a quoted string never spans lines; parseRecord reports it
			line++
			if depth == 0 {
				emit(i)
				start, startLine = i+1, line
			}
			continue
		}
		switch {
		case comment:
		case inQuote:
			if c == '\\' && i+1 < len(text) && text[i+1] != '\n' {
				i++
			} else if c == '"' {
				inQuote = false
			}
		case c == '"':
			inQuote = true
		case c == '\\':
			if i+1 < len(text) && text[i+1] != '\n' {
				i++
			}
		case c == ';':
			comment = true
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		}
	}
	emit(len(text))
	return out
}

// blank reports whether a line holds only white space and a comment.
func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n':
		case ';':
			return true
		default:
			return false
		}
	}
	return true
}

// blankLines reports whether every line of s is blank.
func blankLines(s string) bool {
	for s != "" {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if !blank(line) {
			return false
		}
	}
	return true
}

// lexer reads the presentation form of one record.
type lexer struct {
	s     string
	i     int
	depth int // open parentheses
}

func (lx *lexer) fail(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: ErrSyntax}
}

// space skips white space, parentheses, comments and, inside
// parentheses, line ends. It stops at a line end outside parentheses.
func (lx *lexer) space() *SyntaxError {
	for lx.i < len(lx.s) {
		switch c := lx.s[lx.i]; c {
		case ' ', '\t':
			lx.i++
		case '(':
			lx.depth++
			lx.i++
		case ')':
			if lx.depth == 0 {
				return lx.fail(lx.i, "')' without '('")
			}
			lx.depth--
			lx.i++
		case ';':
			for lx.i < len(lx.s) && lx.s[lx.i] != '\n' && lx.s[lx.i] != '\r' {
				lx.i++
			}
		case '\r', '\n':
			if lx.depth == 0 {
				return nil
			}
			lx.i++
		default:
			return nil
		}
	}
	return nil
}

// isSep reports whether c ends a token.
func isSep(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '(', ')', ';':
		return true
	}
	return false
}

// word reads a token without escapes or quotes (the flags, the tag).
func (lx *lexer) word() string {
	start := lx.i
	for lx.i < len(lx.s) && !isSep(lx.s[lx.i]) && lx.s[lx.i] != '"' {
		lx.i++
	}
	return lx.s[start:lx.i]
}

// sep requires white space after a token: a parenthesis alone does not
// separate tokens (miekg/dns joins "is()sue" into "issue"; we refuse it).
func (lx *lexer) sep(what string) *SyntaxError {
	start := lx.i
	if err := lx.space(); err != nil {
		return err
	}
	if !strings.ContainsAny(lx.s[start:lx.i], " \t\r\n;") && !lx.atEnd() {
		return lx.fail(lx.i, "put a space after the %s", what)
	}
	return nil
}

// atEnd reports whether only a line end is left (after space).
func (lx *lexer) atEnd() bool {
	return lx.i == len(lx.s) || lx.s[lx.i] == '\r' || lx.s[lx.i] == '\n'
}

func parseRecord(text string) (*Record, *SyntaxError) {
	lx := &lexer{s: text}
	if err := lx.space(); err != nil {
		return nil, err
	}
	if lx.atEnd() {
		return nil, lx.fail(lx.i, "no record: expected FLAGS TAG \"VALUE\", as in 0 issue \"letsencrypt.org\"")
	}
	// An optional "CAA" or "IN CAA" before the data.
	save := lx.i
	w := lx.word()
	if strings.EqualFold(w, "IN") {
		if err := lx.space(); err != nil {
			return nil, err
		}
		w = lx.word()
		if !strings.EqualFold(w, "CAA") {
			lx.i = save
		}
	}
	if strings.EqualFold(w, "CAA") && lx.i > save {
		if err := lx.space(); err != nil {
			return nil, err
		}
	} else {
		lx.i = save
	}

	// The generic form of RFC 3597, Section 5.
	if strings.HasPrefix(lx.s[lx.i:], `\#`) && (lx.i+2 == len(lx.s) || isSep(lx.s[lx.i+2])) {
		return lx.generic()
	}

	// Flags: an unsigned integer between 0 and 255 (RFC 8659, Section 4.1.1).
	off := lx.i
	w = lx.word()
	if lx.i < len(lx.s) && lx.s[lx.i] == '\\' {
		return nil, lx.fail(off, "the flags must be a number from 0 to 255, not %q", msgtext.Clip(lx.s[off:]))
	}
	flags, msg := parseFlags(w)
	if msg != "" {
		if hasCAAToken(lx.s[off:]) {
			msg += "; give only the record data after CAA: FLAGS TAG \"VALUE\""
		}
		return nil, lx.fail(off, "%s", msg)
	}
	if err := lx.sep("flags"); err != nil {
		return nil, err
	}
	if lx.atEnd() {
		return nil, lx.fail(lx.i, "no tag after the flags: expected FLAGS TAG \"VALUE\"")
	}

	// Tag (RFC 8659, Section 4.1).
	off = lx.i
	if lx.s[lx.i] == '"' {
		return nil, lx.fail(off, "the tag is not quoted: write 0 issue \"...\"")
	}
	tag := lx.word()
	if lx.i < len(lx.s) && lx.s[lx.i] == '\\' {
		return nil, lx.fail(lx.i, "tag %q: only ASCII letters and digits are allowed, without escapes", msgtext.Clip(tag+lx.s[lx.i:]))
	}
	if msg := tagSyntax(tag); msg != "" {
		return nil, lx.fail(off, "%s", msg)
	}
	if err := lx.sep("tag"); err != nil {
		return nil, err
	}
	if lx.atEnd() {
		return nil, lx.fail(lx.i, "no value after the tag %s; an empty value is written \"\"", tag)
	}

	// Value: a quoted string or a contiguous run of characters (RFC 8659,
	// Section 4.1.1, with the character-string escapes of RFC 1035,
	// Section 5.1). Unlike a character-string it is not limited to 255
	// bytes.
	value, err := lx.value()
	if err != nil {
		return nil, err
	}
	if err := lx.end(); err != nil {
		return nil, err
	}
	if 2+len(tag)+len(value) > maxRDataLen {
		return nil, lx.fail(-1, "the record is %d bytes long; a DNS record holds at most %d", 2+len(tag)+len(value), maxRDataLen)
	}
	return &Record{Flags: flags, Tag: tag, Value: value}, nil
}

// end checks that nothing but space, comments and line ends follow the
// value.
func (lx *lexer) end() *SyntaxError {
	for {
		if err := lx.space(); err != nil {
			return err
		}
		if lx.i == len(lx.s) {
			break
		}
		switch lx.s[lx.i] {
		case '\r', '\n':
			lx.i++
			// Line ends may close the text; another record may not follow.
			if !blankLines(lx.s[lx.i:]) {
				return lx.fail(lx.i, "more than one record: give one record, or use ParseSet for an RRset")
			}
			lx.i = len(lx.s)
		default:
			return lx.fail(lx.i, "unexpected %q after the value: a value with spaces must be quoted, as in \"ca.example; accounturi=...\"", msgtext.Clip(lx.s[lx.i:]))
		}
	}
	if lx.depth > 0 {
		return lx.fail(len(lx.s), "'(' without ')'")
	}
	return nil
}

// value reads a quoted or unquoted value and undoes its escapes.
func (lx *lexer) value() (string, *SyntaxError) {
	quoted := lx.s[lx.i] == '"'
	start := lx.i
	if quoted {
		lx.i++
	}
	var b []byte
	escaped := false
	plain := lx.i // start of a run without escapes
	flush := func() {
		b = append(b, lx.s[plain:lx.i]...)
	}
	result := func() string {
		if !escaped {
			return lx.s[plain:lx.i] // no escapes: share the input
		}
		flush()
		return string(b)
	}
	for {
		if lx.i == len(lx.s) {
			if quoted {
				return "", lx.fail(start, "the quoted value is not closed: a '\"' is missing")
			}
			break
		}
		c := lx.s[lx.i]
		switch {
		case quoted && c == '"':
			v := result()
			lx.i++
			if lx.i < len(lx.s) && !isSep(lx.s[lx.i]) {
				return "", lx.fail(lx.i, "unexpected %q after the quoted value", msgtext.Clip(lx.s[lx.i:]))
			}
			return v, nil
		case !quoted && isSep(c):
			return result(), nil
		case !quoted && c == '"':
			return "", lx.fail(lx.i, "a '\"' inside an unquoted value: quote the whole value, escaping inner quotes as \\\"")
		case c == '\\':
			flush()
			escaped = true
			v, n, msg := unescape(lx.s[lx.i:])
			if msg != "" {
				return "", lx.fail(lx.i, "%s", msg)
			}
			b = append(b, v)
			lx.i += n
			plain = lx.i
			continue
		case c == '\n' || c == '\r':
			return "", lx.fail(lx.i, "the quoted value is not closed on its line: a '\"' is missing (a line break inside a value is written \\010)")
		case c < 0x20 && c != '\t' || c == 0x7f:
			return "", lx.fail(lx.i, "control character %q in the value: write it as \\%03d", c, c)
		}
		lx.i++
	}
	return result(), nil
}

// unescape reads one escape at the start of s, which begins with '\': \DDD
// is the byte with that decimal value, \X the character X (RFC 1035,
// Section 5.1). It returns the byte and the length of the escape.
func unescape(s string) (byte, int, string) {
	if len(s) < 2 || s[1] == '\n' || s[1] == '\r' {
		return 0, 0, "a '\\' at the end of a line escapes nothing"
	}
	if !isDigit(s[1]) {
		return s[1], 2, ""
	}
	if len(s) < 4 || !isDigit(s[2]) || !isDigit(s[3]) {
		return 0, 0, fmt.Sprintf("%q: a byte is written as three digits, \\000 to \\255", msgtext.Clip(s[:min(len(s), 4)]))
	}
	n := int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	if n > 255 {
		return 0, 0, fmt.Sprintf("%q: a byte is at most \\255", s[:4])
	}
	return byte(n), 4, ""
}

// generic reads the data of the RFC 3597 form "\# LENGTH HEX..." and the
// wire format of RFC 8659, Section 4.1 inside it.
func (lx *lexer) generic() (*Record, *SyntaxError) {
	lx.i += 2
	if err := lx.space(); err != nil {
		return nil, err
	}
	off := lx.i
	w := lx.word()
	n, err := strconv.Atoi(w)
	if err != nil || n < 0 || n > maxRDataLen || (len(w) > 1 && w[0] == '+') {
		return nil, lx.fail(off, "\\# must be followed by the data length in decimal, not %q", msgtext.Clip(w))
	}
	var hx strings.Builder
	for {
		if err := lx.space(); err != nil {
			return nil, err
		}
		if lx.atEnd() {
			break
		}
		if lx.s[lx.i] == '"' || lx.s[lx.i] == '\\' {
			return nil, lx.fail(lx.i, "the data after \\# LENGTH is hexadecimal")
		}
		hx.WriteString(lx.word())
	}
	if err := lx.end(); err != nil {
		return nil, err
	}
	data, err := hex.DecodeString(hx.String())
	if err != nil {
		return nil, lx.fail(off, "the data after \\# LENGTH is not hexadecimal: %v", err)
	}
	if len(data) != n {
		return nil, lx.fail(off, "\\# says %d bytes but the data has %d", n, len(data))
	}
	r, msg := decodeRData(data)
	if msg != "" {
		return nil, lx.fail(off, "%s", msg)
	}
	return r, nil
}

// decodeRData reads the CAA wire format (RFC 8659, Section 4.1): flags,
// tag length, tag, value.
func decodeRData(b []byte) (*Record, string) {
	if len(b) < 2 {
		return nil, "CAA data is at least 2 bytes: flags and tag length"
	}
	tl := int(b[1])
	if 2+tl > len(b) {
		return nil, fmt.Sprintf("the tag length %d runs past the end of the data", tl)
	}
	tag := string(b[2 : 2+tl])
	if msg := tagSyntax(tag); msg != "" {
		return nil, msg
	}
	return &Record{Flags: b[0], Tag: tag, Value: string(b[2+tl:])}, ""
}

// parseFlags reads the flags: an unsigned decimal integer from 0 to 255.
func parseFlags(w string) (uint8, string) {
	if w == "" {
		return 0, "expected the flags, a number from 0 to 255, first"
	}
	n := 0
	for k := 0; k < len(w); k++ {
		if !isDigit(w[k]) {
			return 0, fmt.Sprintf("the record must begin with the flags, a number from 0 to 255, not %q (as in 0 issue \"letsencrypt.org\")", msgtext.Clip(w))
		}
		n = n*10 + int(w[k]-'0')
		if n > 255 {
			return 0, fmt.Sprintf("flags %s: the flags are one octet, 0 to 255 (128 is issuer critical)", msgtext.Clip(w))
		}
	}
	return uint8(n), ""
}

// tagSyntax checks a tag: at least one ASCII letter or digit, nothing else
// (RFC 8659, Section 4.1), and at most 255 bytes (the tag length octet).
func tagSyntax(tag string) string {
	if tag == "" {
		return "the tag is empty: it must have at least one letter or digit"
	}
	if len(tag) > maxTagLen {
		return fmt.Sprintf("the tag is %d characters long; a tag has at most %d", len(tag), maxTagLen)
	}
	for k := 0; k < len(tag); k++ {
		if !isAlnum(tag[k]) {
			return fmt.Sprintf("tag %q: only ASCII letters and digits are allowed, not %q", msgtext.Clip(tag), tag[k])
		}
	}
	return ""
}

// hasCAAToken reports whether one of the first few tokens of s is "CAA",
// the sign of a whole zone-file line given where the record data belongs.
func hasCAAToken(s string) bool {
	f := strings.Fields(s)
	for k := 0; k < len(f) && k < 5; k++ {
		if strings.EqualFold(f[k], "CAA") {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

func isWSP(c byte) bool { return c == ' ' || c == '\t' }
