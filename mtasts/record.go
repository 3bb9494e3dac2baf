package mtasts

import (
	"fmt"
	"strings"
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
	"github.com/posturekit/posturekit/internal/txtrec"
)

// Record is the TXT record at _mta-sts.<domain> that announces a policy and
// its version (RFC 8461, Section 3.1).
type Record struct {
	// Version is always "STSv1".
	Version string `json:"version"`
	// ID identifies the policy version: 1 to 32 letters and digits. Senders
	// fetch the policy again when it changes.
	ID string `json:"id"`
	// Extensions are the fields RFC 8461 does not define, in order.
	Extensions []Extension `json:"extensions,omitempty"`
}

// RecordName returns the name the TXT record is published at.
func RecordName(domain string) string {
	return "_mta-sts." + strings.TrimSuffix(domain, ".")
}

// PolicyURL returns the address senders fetch the policy from (RFC 8461,
// Section 3.3).
func PolicyURL(domain string) string {
	return "https://mta-sts." + strings.TrimSuffix(domain, ".") + "/.well-known/mta-sts.txt"
}

// NewID returns a record id made from a time, as RFC 8461, Section 3.1
// suggests ("20160831085700Z"): UTC to the second, so a new policy published
// later always gets a new id.
func NewID(t time.Time) string {
	return t.UTC().Format("20060102150405") + "Z"
}

// String returns the TXT value, "v=STSv1; id=<id>;" followed by any
// extensions.
func (r *Record) String() string {
	var b strings.Builder
	v := r.Version
	if v == "" {
		v = Version
	}
	b.WriteString("v=")
	b.WriteString(v)
	b.WriteString("; id=")
	b.WriteString(r.ID)
	b.WriteString(";")
	for _, e := range r.Extensions {
		b.WriteString(" ")
		b.WriteString(e.Key)
		b.WriteString("=")
		b.WriteString(e.Value)
		b.WriteString(";")
	}
	return b.String()
}

// IsRecord reports whether a TXT value claims to be an MTA-STS record: it
// begins with "v=STSv1" followed by the field delimiter or nothing. RFC 8461,
// Section 3.1 tells senders to discard the others when several TXT records
// exist. The prose says "begin with v=STSv1;", but the grammar allows spaces
// before the ";" (sts-field-delim = *WSP ";" *WSP), so "v=STSv1 ;" counts.
func IsRecord(txt string) bool {
	if !strings.HasPrefix(txt, "v=STSv1") {
		return false
	}
	rest := txt[len("v=STSv1"):]
	return rest == "" || rest[0] == ';' || isWSP(rest[0])
}

// ParseRecord parses the value of a _mta-sts TXT record (RFC 8461, Section
// 3.1). isRecord is false when the value is not an MTA-STS record at all
// (skip it); when it is one but malformed, err is a [*SyntaxError] wrapping
// [ErrRecordSyntax]. A repeated field: the first one counts.
func ParseRecord(txt string) (rec *Record, isRecord bool, err error) {
	rp := recordParser{}
	rec, isRecord = rp.parse(txt)
	if rp.err != nil {
		return nil, isRecord, rp.err
	}
	return rec, isRecord, nil
}

// CheckRecord parses a TXT value and reports every problem as findings.
func CheckRecord(txt string) (*Record, finding.List) {
	rp := recordParser{collect: true}
	rec, _ := rp.parse(txt)
	rp.findings.Sort()
	return rec, rp.findings
}

// Validate reports the problems of a record built in code.
func (r *Record) Validate() finding.List {
	_, l := CheckRecord(r.String())
	return l
}

// SelectRecord applies the discovery rule of RFC 8461, Section 3.1 to the
// TXT records found at _mta-sts.<domain>: values that are not MTA-STS
// records are discarded; if none is left it returns [ErrNoRecord], if more
// than one, [ErrMultipleRecords]; if the one left is malformed, its syntax
// error. In each error case a sender treats the domain as having no policy.
func SelectRecord(txts []string) (*Record, error) {
	found, n := txtrec.Only(txts, IsRecord)
	switch {
	case n == 0:
		return nil, ErrNoRecord
	case n > 1:
		return nil, fmt.Errorf("%w: %d records begin with v=STSv1", ErrMultipleRecords, n)
	}
	rec, _, err := ParseRecord(found)
	return rec, err
}

type recordParser struct {
	collect  bool
	err      *SyntaxError
	findings finding.List
}

func (rp *recordParser) fail(off int, code, msg, fix string) {
	if rp.collect {
		rp.findings = append(rp.findings, finding.Finding{Code: code, Severity: finding.Error,
			Message: fmt.Sprintf("%s (at offset %d)", msg, off), RFC: rfcRecord, Fix: fix})
	} else if rp.err == nil {
		rp.err = &SyntaxError{Offset: off, Msg: msg, Err: ErrRecordSyntax}
	}
}

// parse parses txt. It stops at the first syntax error: a record is one
// short line and what follows an error cannot be read reliably.
func (rp *recordParser) parse(txt string) (*Record, bool) {
	if !IsRecord(txt) {
		msg := "the record does not begin with v=STSv1"
		if strings.HasPrefix(strings.TrimLeft(txt, " \t"), "v=STSv1") {
			msg = "the record must begin with v=STSv1, with no space before it"
		} else if strings.HasPrefix(strings.ToLower(txt), "v=stsv1") {
			msg = "the record must begin with v=STSv1 (case matters)"
		}
		rp.fail(0, "mtasts.record_not_sts", msg, "v=STSv1; id=<id>;")
		return nil, false
	}
	rec := &Record{Version: Version}
	i := len("v=STSv1")
	var idOff int
	haveID := false
	for {
		// sts-field-delim = *WSP ";" *WSP
		j := i
		for j < len(txt) && isWSP(txt[j]) {
			j++
		}
		if j == len(txt) {
			if j > i {
				rp.fail(i, "mtasts.record_syntax", "space at the end of the record", "")
				return nil, true
			}
			break
		}
		if txt[j] != ';' {
			rp.fail(j, "mtasts.record_syntax", fmt.Sprintf("expected ';' before %q", msgtext.Clip(txt[j:])), "")
			return nil, true
		}
		j++
		for j < len(txt) && isWSP(txt[j]) {
			j++
		}
		if j == len(txt) {
			break // [sts-field-delim] at the end
		}
		// sts-field = sts-id / sts-extension
		start := j
		if txt[j] == ';' {
			rp.fail(j, "mtasts.record_syntax", "empty field: two ';' with nothing between", "")
			return nil, true
		}
		eq := strings.IndexByte(txt[j:], '=')
		if eq < 0 {
			rp.fail(start, "mtasts.record_syntax", fmt.Sprintf("field %q has no '='", msgtext.Clip(txt[start:])), "")
			return nil, true
		}
		name := txt[j : j+eq]
		j += eq + 1
		vstart := j
		for j < len(txt) && txt[j] != ';' && !isWSP(txt[j]) {
			j++
		}
		value := txt[vstart:j]
		if name == "id" {
			if haveID {
				if rp.collect {
					rp.findings = append(rp.findings, finding.Finding{Code: "mtasts.record_duplicate_field", Severity: finding.Warning,
						Message: fmt.Sprintf("second id (%q, at offset %d) is ignored: the first, at offset %d, counts", msgtext.Clip(value), start, idOff), RFC: rfcRecord,
						Fix: "keep one id"})
				}
			} else if msg := idSyntax(value); msg != "" {
				rp.fail(vstart, "mtasts.record_id_invalid", msg, "id="+NewID(time.Now()))
				return nil, true
			} else {
				rec.ID, haveID, idOff = value, true, start
			}
		} else {
			if msg := extNameSyntax(name); msg != "" {
				rp.fail(start, "mtasts.record_syntax", msg, "")
				return nil, true
			}
			// sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
			if value == "" {
				rp.fail(vstart, "mtasts.record_syntax", fmt.Sprintf("field %s has an empty value", name), "")
				return nil, true
			}
			for k := 0; k < len(value); k++ {
				if c := value[k]; c < 0x21 || c > 0x7e || c == '=' {
					rp.fail(vstart+k, "mtasts.record_syntax", fmt.Sprintf("field %s: character %q is not allowed in a value", name, c), "")
					return nil, true
				}
			}
			rec.Extensions = append(rec.Extensions, Extension{Key: name, Value: value})
		}
		i = j
	}
	if !haveID {
		rp.fail(len(txt), "mtasts.record_id_missing", "the record has no id field", "v=STSv1; id="+NewID(time.Now())+";")
		return nil, true
	}
	return rec, true
}

// idSyntax checks sts-id (RFC 8461, Section 3.1): 1*32(ALPHA / DIGIT).
func idSyntax(id string) string {
	if id == "" {
		return "id is empty"
	}
	if len(id) > 32 {
		return fmt.Sprintf("id %q is longer than 32 characters", msgtext.Clip(id))
	}
	for k := 0; k < len(id); k++ {
		c := id[k]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return fmt.Sprintf("id %q: only letters and digits are allowed, not %q", msgtext.Clip(id), c)
		}
	}
	return ""
}
