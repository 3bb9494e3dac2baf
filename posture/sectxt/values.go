package sectxt

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/posturekit/posturekit/internal/msgtext"
)

// problem is what a value check found: a finding code, a message and, when
// one can be said, the fix. The zero problem means the value is fine.
type problem struct {
	code, msg, fix string
}

func (p problem) ok() bool { return p.code == "" }

func isWSP(c byte) bool   { return c == ' ' || c == '\t' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func trimWSP(s string) string { return strings.Trim(s, " \t") }

// fieldNameSyntax checks a field name against field-name of RFC 5322,
// Section 3.6.8, which RFC 9116, Section 2 imports: 1*ftext, ftext =
// %d33-57 / %d59-126 (printable ASCII except ':').
func fieldNameSyntax(name string) string {
	if name == "" {
		return "the field name is empty"
	}
	for k := 0; k < len(name); k++ {
		c := name[k]
		if c < 33 || c > 126 || c == ':' {
			if isWSP(c) {
				return fmt.Sprintf("field name %q contains white space", msgtext.Clip(name))
			}
			return fmt.Sprintf("field name %q: only printable ASCII characters other than ':' are allowed", msgtext.Clip(name))
		}
	}
	return ""
}

// uriChar reports whether c may appear in a URI (RFC 3986, Section 2):
// unreserved, reserved, or '%' (checked separately).
func uriChar(c byte) bool {
	if isAlpha(c) || isDigit(c) {
		return true
	}
	return strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", c) >= 0
}

// splitScheme returns the lower-cased scheme of a URI (RFC 3986, Section
// 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )) and what follows the ':'.
func splitScheme(v string) (scheme, rest string, ok bool) {
	i := strings.IndexByte(v, ':')
	if i <= 0 || !isAlpha(v[0]) {
		return "", v, false
	}
	for k := 1; k < i; k++ {
		c := v[k]
		if !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return "", v, false
		}
	}
	return strings.ToLower(v[:i]), v[i+1:], true
}

// looksLikePhone reports whether v is a bare telephone number.
func looksLikePhone(v string) bool {
	digits := 0
	for k := 0; k < len(v); k++ {
		c := v[k]
		switch {
		case isDigit(c):
			digits++
		case c == '+' && k == 0, c == ' ', c == '-', c == '.', c == '(', c == ')':
		default:
			return false
		}
	}
	return digits >= 5
}

// uriProblem checks the value of a field whose value is a URI: the URI
// syntax of RFC 3986, Section 3 (checked loosely: scheme, allowed
// characters, percent-encoding), and "if this field indicates a web URI,
// then it MUST begin with https://" (RFC 9116, Sections 2.5.1 to 2.5.7).
// field names the field for messages; invalidCode is the code for a value
// that is not a URI.
func uriProblem(field, v, invalidCode string) problem {
	bad := func(msg, fix string) problem {
		return problem{invalidCode, fmt.Sprintf("%s %q is not a URI: %s", field, msgtext.Clip(v), msg), fix}
	}
	if v == "" {
		return problem{"sectxt.value_missing", field + " has no value", ""}
	}
	scheme, rest, ok := splitScheme(v)
	if !ok {
		switch {
		case strings.Count(v, "@") == 1 && !strings.ContainsAny(v, " /:"):
			return bad("an e-mail address is written as a mailto: URI", field+": mailto:"+v)
		case looksLikePhone(v):
			return bad("a telephone number is written as a tel: URI", field+": tel:"+strings.Map(func(r rune) rune {
				if r == ' ' || r == '.' || r == '(' || r == ')' {
					return '-'
				}
				return r
			}, v))
		case strings.HasPrefix(strings.ToLower(v), "www.") || strings.HasPrefix(v, "//"):
			return bad("it has no scheme", field+": https://"+strings.TrimPrefix(v, "//"))
		}
		return bad("it does not begin with a scheme such as https:, mailto: or tel:", "")
	}
	for k := 0; k < len(v); k++ {
		c := v[k]
		switch {
		case c == '%':
			if k+2 >= len(v) || !isHex(v[k+1]) || !isHex(v[k+2]) {
				return bad("'%' must be followed by two hexadecimal digits", "")
			}
		case c == ' ' || c == '\t':
			return bad("it contains white space (write a space as %20; put remarks in a comment line)", "")
		case c >= 0x80:
			return bad("non-ASCII characters must be percent-encoded, and host names written in their xn-- form", "")
		case !uriChar(c):
			return bad(fmt.Sprintf("the character %q is not allowed (percent-encode it)", c), "")
		}
	}
	if strings.Count(v, "#") > 1 {
		return bad("a URI holds at most one '#'", "")
	}
	switch scheme {
	case "http":
		return problem{"sectxt.insecure_uri", fmt.Sprintf("%s %q: a web URI must begin with https://", field, msgtext.Clip(v)), field + ": https:" + rest}
	case "https":
		if !strings.HasPrefix(rest, "//") {
			return bad("an https URI continues with \"//\" and the host name", "")
		}
		auth := rest[2:]
		if i := strings.IndexAny(auth, "/?#"); i >= 0 {
			auth = auth[:i]
		}
		if i := strings.LastIndexByte(auth, '@'); i >= 0 {
			auth = auth[i+1:]
		}
		if host, _, _ := strings.Cut(auth, ":"); host == "" && !strings.HasPrefix(auth, "[") {
			return bad("it has no host name", "")
		}
	case "mailto":
		if rest == "" || !strings.Contains(rest, "@") && !strings.Contains(strings.ToLower(rest), "%40") {
			return bad("a mailto: URI needs an e-mail address", "")
		}
	case "tel":
		if rest == "" {
			return bad("a tel: URI needs a telephone number", "")
		}
	default:
		if rest == "" {
			return bad("nothing follows the scheme", "")
		}
	}
	return problem{}
}

// langTagProblem checks a Language-Tag (RFC 5646, Section 2.1) loosely:
// subtags of 1 to 8 ASCII letters and digits separated by '-', the first
// one 2 to 8 letters or the singleton "x" (private use) or "i"
// (grandfathered) followed by more subtags.
func langTagProblem(tag string) string {
	if tag == "" {
		return "a language tag is empty (two commas in a row, or one at an end?)"
	}
	if strings.IndexByte(tag, '_') >= 0 {
		return fmt.Sprintf("%q: language tags separate subtags with '-', not '_' (write %s)", msgtext.Clip(tag), strings.ReplaceAll(tag, "_", "-"))
	}
	for k, sub := range strings.Split(tag, "-") {
		if sub == "" || len(sub) > 8 {
			return fmt.Sprintf("%q is not a language tag: each part between '-' has 1 to 8 letters or digits", msgtext.Clip(tag))
		}
		for j := 0; j < len(sub); j++ {
			c := sub[j]
			if !isAlpha(c) && !(isDigit(c) && k > 0) {
				if isWSP(c) {
					return fmt.Sprintf("%q: separate language tags with commas", msgtext.Clip(tag))
				}
				return fmt.Sprintf("%q is not a language tag (RFC 5646): only letters, digits and '-' are allowed, starting with a language code such as en", msgtext.Clip(tag))
			}
		}
		if k == 0 && len(sub) == 1 {
			if l := sub[0] | 0x20; (l != 'x' && l != 'i') || len(tag) == 1 {
				return fmt.Sprintf("%q is not a language tag: it must begin with a language code such as en", msgtext.Clip(tag))
			}
		}
	}
	return ""
}

// splitLanguages splits lang-values (RFC 9116, Section 4):
// lang-tag *(*WSP "," *WSP lang-tag).
func splitLanguages(v string) []string {
	tags := strings.Split(v, ",")
	for i := range tags {
		tags[i] = trimWSP(tags[i])
	}
	return tags
}

// valueProblem checks the value of an extension field: "unstructured"
// (RFC 5322, Section 3.2.5) — visible characters and white space, with
// UTF-8 allowed as RFC 6532 extends it.
func valueProblem(field, v string) problem {
	if v == "" {
		return problem{"sectxt.value_missing", field + " has no value", ""}
	}
	if !utf8.ValidString(v) {
		return problem{"sectxt.invalid_utf8", fmt.Sprintf("the value of %s is not valid UTF-8", field), ""}
	}
	for _, r := range v {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return problem{"sectxt.control_char", fmt.Sprintf("the value of %s contains the control character %U", field, r), ""}
		}
	}
	return problem{}
}

// parseDateTime parses date-time of RFC 3339, Section 5.6:
//
//	full-date "T" partial-time time-offset
//	YYYY-MM-DD T hh:mm:ss [.frac] (Z / +hh:mm / -hh:mm)
//
// "T" and "Z" may be lower case (RFC 3339, Section 5.6, note; RFC 9116's
// own example ends in "z"). It returns the time, or a message and, when one
// can be said, a corrected value.
func parseDateTime(s string) (t time.Time, msg, fix string) {
	num := func(s string) (int, bool) {
		n := 0
		for k := 0; k < len(s); k++ {
			if !isDigit(s[k]) {
				return 0, false
			}
			n = n*10 + int(s[k]-'0')
		}
		return n, s != ""
	}
	invalid := func(why string) (time.Time, string, string) {
		return time.Time{}, fmt.Sprintf("%q is not an RFC 3339 date-time: %s", msgtext.Clip(s), why), rfc5322Fix(s)
	}
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return invalid("it must be written as 2006-01-02T15:04:05Z")
	}
	year, ok1 := num(s[0:4])
	month, ok2 := num(s[5:7])
	day, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return invalid("it must be written as 2006-01-02T15:04:05Z")
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return time.Time{}, fmt.Sprintf("%q: %s is not a date in the calendar", msgtext.Clip(s), s[:10]), ""
	}
	rest := s[10:]
	if rest == "" {
		// Internet.nl#769: a date alone.
		return time.Time{}, fmt.Sprintf("%q is a date alone; Expires needs an RFC 3339 date-time: a date, a time and a time zone", msgtext.Clip(s)), s + "T00:00:00Z"
	}
	if rest[0] != 'T' && rest[0] != 't' {
		if rest[0] == ' ' {
			return invalid("the date and the time must be separated by 'T', not a space")
		}
		return invalid("a 'T' and the time must follow the date")
	}
	rest = rest[1:]
	if len(rest) < 8 || rest[2] != ':' || rest[5] != ':' {
		if len(rest) == 5 && rest[2] == ':' || len(rest) > 5 && rest[2] == ':' && rest[5] != ':' {
			return invalid("the time needs seconds, as in 15:04:05")
		}
		return invalid("the time must be written as 15:04:05")
	}
	hour, ok1 := num(rest[0:2])
	minute, ok2 := num(rest[3:5])
	sec, ok3 := num(rest[6:8])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || sec > 60 {
		return invalid(fmt.Sprintf("%s is not a time of day", rest[:8]))
	}
	rest = rest[8:]
	nsec := 0
	if rest != "" && rest[0] == '.' {
		k := 1
		for k < len(rest) && isDigit(rest[k]) {
			if k <= 9 {
				nsec = nsec*10 + int(rest[k]-'0')
			}
			k++
		}
		if k == 1 {
			return invalid("a '.' must be followed by digits")
		}
		for j := k; j <= 9; j++ {
			nsec *= 10
		}
		rest = rest[k:]
	}
	var loc *time.Location
	switch {
	case rest == "":
		return time.Time{}, fmt.Sprintf("%q has no time zone: add Z for UTC or an offset such as +01:00", msgtext.Clip(s)), s + "Z"
	case rest == "Z" || rest == "z":
		loc = time.UTC
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(rest[1:3])
		om, ok2 := num(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return invalid(fmt.Sprintf("%s is not a time-zone offset", rest))
		}
		off := (oh*60 + om) * 60
		if rest[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	case len(rest) == 5 && (rest[0] == '+' || rest[0] == '-'):
		return invalid("the offset needs a colon, as in +01:00")
	default:
		return invalid(fmt.Sprintf("%q is not a time zone (Z or an offset such as +01:00)", msgtext.Clip(rest)))
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	if t.Year() > 9999 {
		// A leap second at the very end of 9999 (time.Date normalises it).
		return invalid("the date-time lies after the year 9999")
	}
	return t, "", ""
}

// rfc5322Fix suggests the RFC 3339 form of a date written the RFC 5322
// way (as an older draft of security.txt asked, and securitytxt.org's own
// file once did) or without seconds.
func rfc5322Fix(s string) string {
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04 -0700", "Mon, 2 Jan 2006 15:04:05 -0700", "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00", time.DateTime + "Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return "Expires: " + formatTime(t)
		}
	}
	return ""
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// formatTime writes t as RFC 3339 date-time, in its own offset when that
// is a whole number of minutes, in UTC otherwise.
func formatTime(t time.Time) string {
	if _, off := t.Zone(); off%60 != 0 {
		t = t.UTC()
	}
	return t.Format(time.RFC3339Nano)
}
