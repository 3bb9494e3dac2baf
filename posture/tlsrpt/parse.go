package tlsrpt

import (
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
)

// rfcRecord is the section cited in findings about the record.
const rfcRecord = "RFC 8460, Section 3"

type parser struct {
	collect  bool // report every problem instead of stopping at the first
	err      *SyntaxError
	failed   bool // a syntax error was found
	findings finding.List
}

// fail records a syntax error at offset off.
func (p *parser) fail(off int, code, msg, fix string) {
	p.failed = true
	if p.collect {
		p.findings = append(p.findings, finding.Finding{Code: code, Severity: finding.Error,
			Message: fmt.Sprintf("%s (at offset %d)", msg, off), RFC: rfcRecord, Fix: fix})
	} else if p.err == nil {
		p.err = &SyntaxError{Offset: off, Msg: msg, Err: ErrSyntax}
	}
}

func (p *parser) note(sev finding.Severity, code, where, msg, fix string) {
	if p.collect {
		p.findings = append(p.findings, finding.Finding{Code: code, Severity: sev, Message: msg, Where: where, RFC: rfcRecord, Fix: fix})
	}
}

// parse parses txt. A structural error (in the delimiters, a field name or
// an extension value) ends the parse, as what follows cannot be read
// reliably; in collect mode, every bad URI of the rua field is reported.
// The record returned is what could be read; nil when txt is not a TLS-RPT
// record.
//
// RFC 8460, Section 3:
//
//	tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
//	field-delim   = *WSP ";" *WSP
//	tlsrpt-field  = tlsrpt-rua / tlsrpt-extension
func (p *parser) parse(txt string) (*Record, bool) {
	if !IsRecord(txt) {
		msg := "the record does not begin with v=" + Version
		const vlen = len("v=" + Version)
		switch trimmed := strings.TrimLeft(txt, " \t"); {
		case trimmed != txt && IsRecord(trimmed):
			msg = "the record must begin with v=" + Version + ", with no space before it"
		case len(txt) >= vlen && strings.EqualFold(txt[:vlen], "v="+Version) && IsRecord("v="+Version+txt[vlen:]):
			msg = "the record must begin with v=" + Version + " (case matters)"
		}
		p.fail(0, "tlsrpt.not_tlsrpt", msg, "v="+Version+"; rua=mailto:<address>")
		return nil, false
	}
	rec := &Record{Version: Version, RUA: []string{}}
	i := len("v=" + Version)
	haveRUA := false
	ruaOff := 0
	for {
		j := skipWSP(txt, i)
		if j == len(txt) {
			if j > i {
				p.fail(i, "tlsrpt.syntax", "space at the end of the record", "")
				return rec, true
			}
			break
		}
		if txt[j] != ';' {
			p.fail(j, "tlsrpt.syntax", fmt.Sprintf("expected ';' before %q", msgtext.Clip(txt[j:])), "")
			return rec, true
		}
		j = skipWSP(txt, j+1)
		if j == len(txt) {
			break // [field-delim] at the end
		}
		start := j
		if txt[j] == ';' {
			p.fail(j, "tlsrpt.syntax", "empty field: two ';' with nothing between", "")
			return rec, true
		}
		end := strings.IndexByte(txt[j:], ';')
		if end < 0 {
			end = len(txt)
		} else {
			end += j
		}
		eq := strings.IndexByte(txt[j:end], '=')
		if eq < 0 {
			p.fail(start, "tlsrpt.syntax", fmt.Sprintf("field %q has no '='", msgtext.Clip(strings.TrimRight(txt[start:end], " \t"))), "")
			return rec, true
		}
		name := txt[j : j+eq]
		vstart := j + eq + 1
		if msg := extNameSyntax(name); msg != "" {
			p.fail(start, "tlsrpt.syntax", msg, "")
			return rec, true
		}
		if name == "rua" {
			// The value runs to the next ';': URIs may be separated by
			// "*WSP , *WSP". Spaces before the ';' are the delimiter's.
			vend := end
			for vend > vstart && isWSP(txt[vend-1]) {
				vend--
			}
			if haveRUA {
				p.note(finding.Warning, "tlsrpt.duplicate_field", "rua",
					fmt.Sprintf("second rua field (at offset %d) is ignored: the first, at offset %d, counts", start, ruaOff),
					"list every URI in one rua field, separated by ','")
			} else {
				haveRUA, ruaOff = true, start
				rec.RUA = p.rua(txt, vstart, vend)
			}
			i = vend
			continue
		}
		// tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
		k := vstart
		for k < len(txt) && txt[k] != ';' && !isWSP(txt[k]) {
			k++
		}
		value := txt[vstart:k]
		if value == "" {
			p.fail(vstart, "tlsrpt.syntax", fmt.Sprintf("field %s has an empty value", name), "")
			return rec, true
		}
		for n := 0; n < len(value); n++ {
			if c := value[n]; c < 0x21 || c > 0x7e || c == '=' {
				p.fail(vstart+n, "tlsrpt.syntax", fmt.Sprintf("field %s: character %q is not allowed in a value", name, c), "")
				return rec, true
			}
		}
		p.extension(rec, start, name, value)
		i = k
	}
	// RFC 8460, Section 3: the tlsrpt-rua field is required.
	if !haveRUA {
		p.fail(len(txt), "tlsrpt.rua_missing", "the record has no rua field: senders do not know where to send reports",
			"v="+Version+"; rua=mailto:<address>")
	}
	return rec, true
}

// rua parses the value of the rua field, txt[start:end]:
//
//	tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
//	tlsrpt-uri = URI ; with ',', '!' and ';' percent-encoded
//
// It returns the URIs that are syntactically valid.
func (p *parser) rua(txt string, start, end int) []string {
	uris := []string{}
	if start == end {
		p.fail(start, "tlsrpt.rua_invalid", "rua has no URI", "rua=mailto:<address>")
		return uris
	}
	for k := start; ; {
		c := strings.IndexByte(txt[k:end], ',')
		next := end
		if c >= 0 {
			next = k + c
		}
		// *WSP around the comma belongs to the separator.
		a, b := k, next
		for k > start && a < b && isWSP(txt[a]) {
			a++
		}
		if c >= 0 {
			for b > a && isWSP(txt[b-1]) {
				b--
			}
		}
		u := txt[a:b]
		if off, msg, fix := uriSyntax(u, a == start); msg != "" {
			p.fail(a+off, "tlsrpt.rua_invalid", msg, fix)
			if !p.collect {
				return uris
			}
		} else {
			uris = append(uris, u)
		}
		if c < 0 {
			return uris
		}
		k = next + 1
	}
}

func (p *parser) extension(rec *Record, off int, name, value string) {
	if name == "v" {
		p.note(finding.Warning, "tlsrpt.duplicate_field", "v",
			fmt.Sprintf("a second v field (at offset %d) is ignored", off), "remove it")
		return
	}
	for _, e := range rec.Extensions {
		if e.Key == name {
			p.note(finding.Warning, "tlsrpt.duplicate_field", name,
				fmt.Sprintf("second %s field (at offset %d) is ignored: the first counts", name, off), "remove one of them")
			return
		}
	}
	rec.Extensions = append(rec.Extensions, Extension{Key: name, Value: value})
	// RFC 8460, Section 3: unknown fields SHALL be ignored. A near miss of
	// rua is almost always a typo that leaves the record without rua.
	lower := strings.ToLower(name)
	switch {
	case lower == "rua":
		p.note(finding.Warning, "tlsrpt.unknown_field", name,
			fmt.Sprintf("unknown field %q is ignored by senders; field names are case-sensitive: did you mean \"rua\"?", name), "rua="+value)
	case lower == "ruf":
		p.note(finding.Warning, "tlsrpt.unknown_field", name,
			"ruf is a DMARC tag; TLS-RPT has only rua, so senders ignore this field", "remove ruf, and list its URIs in rua")
	case msgtext.NearMiss(lower, "rua"):
		p.note(finding.Warning, "tlsrpt.unknown_field", name,
			fmt.Sprintf("unknown field %q is ignored by senders: did you mean \"rua\"?", name), "rua="+value)
	default:
		p.note(finding.Info, "tlsrpt.unknown_field", name,
			fmt.Sprintf("unknown field %q is ignored by senders", name), "")
	}
}

func isWSP(c byte) bool { return c == ' ' || c == '\t' }

func skipWSP(s string, i int) int {
	for i < len(s) && isWSP(s[i]) {
		i++
	}
	return i
}

// extNameSyntax checks tlsrpt-ext-name (RFC 8460, Section 3):
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
		if isAlnum(c) || k > 0 && (c == '_' || c == '-' || c == '.') {
			continue
		}
		if isWSP(c) {
			return fmt.Sprintf("field name %q: no space is allowed before '='", msgtext.Clip(name))
		}
		return fmt.Sprintf("field name %q: only letters, digits, '_', '-' and '.' are allowed, starting with a letter or digit", msgtext.Clip(name))
	}
	return ""
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
