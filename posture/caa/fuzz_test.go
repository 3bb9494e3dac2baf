package caa

import (
	"testing"
)

// FuzzParse checks that parsing never panics, that Check agrees with
// Parse, and that what parses round-trips through String.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.text)
	}
	for _, s := range []string{`0 issue "x`, `\# 2 0000`, `0 issue (`, `256 x y`, "0 a \"\\", `0 issue "a\300"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := Parse(text)
		cr, l := Check(text)
		if err != nil {
			if cr != nil || !l.Has("caa.syntax") || !l.HasErrors() {
				t.Fatalf("Parse error %v but Check gave %v, %v", err, cr, l)
			}
			return
		}
		if *cr != *r {
			t.Fatalf("Check read %v, Parse %v", cr, r)
		}
		if l.Has("caa.syntax") || l.Has("caa.tag_invalid") {
			t.Fatalf("Parse accepted %q but Check says %v", text, l)
		}
		s := r.String()
		r2, err := Parse(s)
		if err != nil {
			t.Fatalf("String() of a parsed record does not parse: %v\n%q", err, s)
		}
		if *r2 != *r {
			t.Fatalf("round trip changed the record: %q -> %q", s, r2.String())
		}
		if isIssuerTag(r.Property()) {
			if is, err := ParseIssue(r.Value); err == nil {
				is2, err := ParseIssue(is.String())
				if err != nil || is2.String() != is.String() {
					t.Fatalf("issue value %q: %q does not round-trip: %v", r.Value, is.String(), err)
				}
			}
		}
	})
}

// FuzzParseIssue checks the issue-value parser the same way.
func FuzzParseIssue(f *testing.F) {
	for _, c := range issueCases {
		f.Add(c.value)
	}
	for _, s := range []string{"%%%%%", "a.", "a; b=c;", "a;;", "-a", "a b", "; =", "a; b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		is, err := ParseIssue(v)
		if err != nil {
			return
		}
		s := is.String()
		is2, err := ParseIssue(s)
		if err != nil {
			t.Fatalf("String() of a parsed value does not parse: %v\n%q -> %q", err, v, s)
		}
		if is2.String() != s || is2.IssuerDomain != is.IssuerDomain || len(is2.Params) != len(is.Params) {
			t.Fatalf("round trip changed the value: %q -> %q -> %q", v, s, is2.String())
		}
		lintIssue(Record{Tag: TagIssueWild, Value: v}, TagIssueWild)
	})
}

// FuzzParseSet checks that CheckSetText agrees with ParseSet.
func FuzzParseSet(f *testing.F) {
	f.Add("0 issue \"x\"\n0 iodef \"mailto:a@b.c\"\n")
	f.Add("0 issue (\n\"x\" ) ; c\n\n1 issuewild \";\"")
	f.Add("0 issue \"x\n0 issue y")
	f.Fuzz(func(t *testing.T, text string) {
		recs, err := ParseSet(text)
		crecs, l := CheckSetText(text)
		if err != nil {
			if !l.Has("caa.syntax") {
				t.Fatalf("ParseSet error %v but CheckSetText found no syntax error: %v", err, l)
			}
			return
		}
		if l.Has("caa.syntax") {
			t.Fatalf("ParseSet accepted %q but CheckSetText says %v", text, l)
		}
		if len(recs) != len(crecs) {
			t.Fatalf("ParseSet read %d records, CheckSetText %d", len(recs), len(crecs))
		}
		for k := range recs {
			if recs[k] != crecs[k] {
				t.Fatalf("record %d: %v vs %v", k, recs[k], crecs[k])
			}
		}
	})
}
