package spf

import (
	"testing"
)

// FuzzParse checks that parsing never panics, that Check agrees with
// Parse, and that what parses round-trips through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"v=spf1 -all",
		"v=spf1 include:_spf.google.com ~all",
		"v=spf1 a/24//64 mx:%{d}/16 ptr ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
		"v=spf1 include:%{i}._ip.%{h}._ehlo.%{d}._spf.vali.email ~all",
		"v=spf1 redirect=_spf.example.com exp=explain.%{D2} x-y=%{c}",
		"v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
		"V=SPF1 +A:Mail.Example.COM/32//128 ?ALL",
		"v=spf1 a:foo:bar/baz.example.com a:.example",
		"v=spf1 ip6:::ffff:1.2.3.4 -all",
		"v=spf1 -all.", "v=spf1 a/24/64", "v=spf1 ip4:1.2.3.4//32", "v=spf1 =all", "v=spf1 a:%{d0}.x",
		"v=spf1mx", " v=spf1 -all", "v=spf1\t-all", "v=spf1 \x80", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, txt string) {
		rec, isSPF, err := Parse(txt)
		crec, l := Check(txt)
		if isSPF != IsSPF(txt) {
			t.Fatalf("Parse says isSPF %v, IsSPF %v", isSPF, IsSPF(txt))
		}
		if (err != nil || !isSPF) && !l.HasErrors() {
			t.Fatalf("Parse error %v (isSPF %v) but Check found no error: %v", err, isSPF, l)
		}
		if (crec != nil) != (err == nil && isSPF) {
			t.Fatalf("Check returned record %v, Parse error %v (isSPF %v)", crec, err, isSPF)
		}
		CheckStrings([]string{txt, txt})
		if err != nil || !isSPF {
			return
		}
		_ = rec.Lookups()
		for _, term := range rec.Terms {
			expandDomain(term.Domain, "example.com")
		}
		s := rec.String()
		rec2, _, err := Parse(s)
		if err != nil {
			t.Fatalf("String() of a parsed record does not parse: %v\n%q\n%q", err, txt, s)
		}
		if s2 := rec2.String(); s2 != s {
			t.Fatalf("round trip changed the record:\n%q\n%q", s, s2)
		}
		if len(rec2.Terms) != len(rec.Terms) {
			t.Fatalf("round trip changed the number of terms: %q -> %q", txt, s)
		}
		if r, _ := Check(s); r == nil {
			t.Fatalf("Check finds a syntax error in String() of a parsed record: %q", s)
		}
		if vl := rec.Validate(); vl.Has("spf.term_invalid") {
			t.Fatalf("a parsed record does not validate: %v", vl)
		}
	})
}
