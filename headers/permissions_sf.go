package headers

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// This file is a parser for RFC 8941 structured fields, enough for the
// headers here: dictionaries (Permissions-Policy, Reporting-Endpoints) and
// items (Cross-Origin-Opener-Policy, -Embedder-Policy, Origin-Agent-Cluster).

// sfxKind is the type of a bare item (RFC 8941, Section 3.3).
type sfxKind int

const (
	sfxInteger sfxKind = iota
	sfxDecimal
	sfxStr
	sfxToken
	sfxBytes
	sfxBoolean
	sfxInnerList // not a bare item: a member that is an inner list
)

// sfxValue is an item or an inner list, with its parameters.
type sfxValue struct {
	Kind   sfxKind
	Str    string // string and token
	Int    int64
	Dec    float64
	Bool   bool
	Bytes  []byte
	Inner  []sfxValue
	Params []sfxParam
}

type sfxParam struct {
	Key   string
	Value sfxValue // a bare item
}

type sfxMember struct {
	Key   string
	Value sfxValue
}

var errSFX = errors.New("structured field")

type sfxParser struct {
	s string
	i int
}

func (p *sfxParser) fail(format string, args ...any) error {
	return fmt.Errorf("%w: %s at offset %d", errSFX, fmt.Sprintf(format, args...), p.i)
}

func (p *sfxParser) eof() bool  { return p.i >= len(p.s) }
func (p *sfxParser) peek() byte { return p.s[p.i] }
func (p *sfxParser) skipSP() {
	for !p.eof() && p.peek() == ' ' {
		p.i++
	}
}
func (p *sfxParser) skipOWS() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t') {
		p.i++
	}
}

// parseSFXDictionary parses a dictionary (RFC 8941, Section 4.2.2),
// keeping every member in order, repeated keys included (the last wins
// when the field is used; the caller can say so).
func parseSFXDictionary(s string) ([]sfxMember, error) {
	p := &sfxParser{s: s}
	p.skipSP() // Section 4.2: discard leading SP.
	var out []sfxMember
	for !p.eof() {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		var v sfxValue
		if !p.eof() && p.peek() == '=' {
			p.i++
			if v, err = p.itemOrInner(); err != nil {
				return nil, err
			}
		} else {
			v = sfxValue{Kind: sfxBoolean, Bool: true}
			if v.Params, err = p.params(); err != nil {
				return nil, err
			}
		}
		out = append(out, sfxMember{Key: key, Value: v})
		p.skipOWS()
		if p.eof() {
			return out, nil
		}
		if p.peek() != ',' {
			return nil, p.fail("want \",\" between members, got %q", p.peek())
		}
		p.i++
		p.skipOWS()
		if p.eof() {
			return nil, p.fail("trailing comma")
		}
	}
	return out, nil
}

// parseSFXItem parses an item field (RFC 8941, Section 4.2.3).
func parseSFXItem(s string) (sfxValue, error) {
	p := &sfxParser{s: s}
	p.skipSP()
	v, err := p.item()
	if err != nil {
		return v, err
	}
	p.skipSP()
	if !p.eof() {
		return v, p.fail("text after the item")
	}
	return v, nil
}

func (p *sfxParser) itemOrInner() (sfxValue, error) {
	if !p.eof() && p.peek() == '(' {
		return p.innerList()
	}
	return p.item()
}

// innerList: Section 4.2.1.2.
func (p *sfxParser) innerList() (sfxValue, error) {
	p.i++ // "("
	v := sfxValue{Kind: sfxInnerList}
	for !p.eof() {
		p.skipSP()
		if p.eof() {
			break
		}
		if p.peek() == ')' {
			p.i++
			var err error
			v.Params, err = p.params()
			return v, err
		}
		it, err := p.item()
		if err != nil {
			return v, err
		}
		v.Inner = append(v.Inner, it)
		if p.eof() || p.peek() != ' ' && p.peek() != ')' {
			return v, p.fail("want a space or \")\" in an inner list")
		}
	}
	return v, p.fail("unclosed inner list")
}

// item: Section 4.2.3.
func (p *sfxParser) item() (sfxValue, error) {
	v, err := p.bareItem()
	if err != nil {
		return v, err
	}
	v.Params, err = p.params()
	return v, err
}

// params: Section 4.2.3.2.
func (p *sfxParser) params() ([]sfxParam, error) {
	var out []sfxParam
	for !p.eof() && p.peek() == ';' {
		p.i++
		p.skipSP()
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		v := sfxValue{Kind: sfxBoolean, Bool: true}
		if !p.eof() && p.peek() == '=' {
			p.i++
			if v, err = p.bareItem(); err != nil {
				return nil, err
			}
		}
		out = append(out, sfxParam{Key: key, Value: v})
	}
	return out, nil
}

// key: Section 4.2.3.3; key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" ).
func (p *sfxParser) key() (string, error) {
	start := p.i
	if p.eof() || !(p.peek() >= 'a' && p.peek() <= 'z' || p.peek() == '*') {
		if !p.eof() && p.peek() >= 'A' && p.peek() <= 'Z' {
			return "", p.fail("keys are lower case")
		}
		return "", p.fail("want a key")
	}
	for !p.eof() {
		c := p.peek()
		if c >= 'a' && c <= 'z' || asciiDigit(c) || c == '_' || c == '-' || c == '.' || c == '*' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i], nil
}

// bareItem: Section 4.2.3.1.
func (p *sfxParser) bareItem() (sfxValue, error) {
	if p.eof() {
		return sfxValue{}, p.fail("want an item")
	}
	switch c := p.peek(); {
	case c == '-' || asciiDigit(c):
		return p.number()
	case c == '"':
		return p.str()
	case c == '*' || asciiAlpha(c):
		return p.token(), nil
	case c == ':':
		return p.bytes()
	case c == '?':
		p.i++
		if !p.eof() && (p.peek() == '0' || p.peek() == '1') {
			b := p.peek() == '1'
			p.i++
			return sfxValue{Kind: sfxBoolean, Bool: b}, nil
		}
		return sfxValue{}, p.fail("want ?0 or ?1")
	default:
		return sfxValue{}, p.fail("unexpected %q", c)
	}
}

// number: Section 4.2.4.
func (p *sfxParser) number() (sfxValue, error) {
	start := p.i
	if p.peek() == '-' {
		p.i++
	}
	if p.eof() || !asciiDigit(p.peek()) {
		return sfxValue{}, p.fail("want a digit")
	}
	dot := -1
	for !p.eof() {
		c := p.peek()
		if asciiDigit(c) {
			p.i++
		} else if c == '.' && dot < 0 {
			dot = p.i
			p.i++
		} else {
			break
		}
		digits := p.i - start
		if p.s[start] == '-' {
			digits--
		}
		if dot < 0 && digits > 15 || dot >= 0 && digits > 16 {
			return sfxValue{}, p.fail("number too long")
		}
	}
	text := p.s[start:p.i]
	if dot < 0 {
		n, _ := strconv.ParseInt(text, 10, 64)
		return sfxValue{Kind: sfxInteger, Int: n}, nil
	}
	if dot == p.i-1 || p.i-dot-1 > 3 || dot-start > 12+btoi(p.s[start] == '-') {
		return sfxValue{}, p.fail("bad decimal %q", text)
	}
	f, _ := strconv.ParseFloat(text, 64)
	return sfxValue{Kind: sfxDecimal, Dec: f}, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// str: Section 4.2.5.
func (p *sfxParser) str() (sfxValue, error) {
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		p.i++
		switch {
		case c == '\\':
			if p.eof() || p.peek() != '"' && p.peek() != '\\' {
				return sfxValue{}, p.fail("bad escape in a string")
			}
			b.WriteByte(p.peek())
			p.i++
		case c == '"':
			return sfxValue{Kind: sfxStr, Str: b.String()}, nil
		case c < 0x20 || c > 0x7e:
			return sfxValue{}, p.fail("non-printable character in a string")
		default:
			b.WriteByte(c)
		}
	}
	return sfxValue{}, p.fail("unfinished string")
}

// token: Section 4.2.6.
func (p *sfxParser) token() sfxValue {
	start := p.i
	p.i++
	for !p.eof() && (tokenChar(p.peek()) || p.peek() == ':' || p.peek() == '/') {
		p.i++
	}
	return sfxValue{Kind: sfxToken, Str: p.s[start:p.i]}
}

// bytes: Section 4.2.7.
func (p *sfxParser) bytes() (sfxValue, error) {
	p.i++
	end := strings.IndexByte(p.s[p.i:], ':')
	if end < 0 {
		return sfxValue{}, p.fail("unfinished byte sequence")
	}
	b, err := base64.StdEncoding.DecodeString(p.s[p.i : p.i+end])
	if err != nil {
		return sfxValue{}, p.fail("bad base64 in a byte sequence")
	}
	p.i += end + 1
	return sfxValue{Kind: sfxBytes, Bytes: b}, nil
}
