package dkim

import "testing"

// FuzzParse checks that parsing never panics, that Check agrees with Parse,
// and that what parses round-trips through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"v=DKIM1; p=" + rfcRSA,
		"v=DKIM1; k=ed25519; p=" + rfc8463Key,
		"v=DKIM1; k=ed25519; p=" + rfc8463KeySPKI,
		" v = DKIM1 ;\tk=rsa;\r\n p = " + rfcRSA[:40] + " \r\n\t" + rfcRSA[40:],
		"v=DKIM1; h=sha1:sha256; s=email:tlsrpt; t=y:s; n=x; g=*; p=",
		"k=foo; p=AAAA; V=1", "v=DKIM1;; p=", "p=; p=", "", ";",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, txt string) {
		r, err := Parse(txt)
		cr, l := Check(txt)
		if err != nil && !l.HasErrors() {
			t.Fatalf("Parse error %v but Check found no error", err)
		}
		if (cr == nil) != (err != nil) {
			t.Fatalf("Check returned record %v, Parse error %v", cr, err)
		}
		if err != nil {
			return
		}
		s := r.String()
		if s != cr.String() {
			t.Fatalf("Check and Parse read different records: %q, %q", s, cr.String())
		}
		r2, err := Parse(s)
		if err != nil {
			t.Fatalf("String() of a parsed record does not parse: %v\n%q", err, s)
		}
		if s2 := r2.String(); s2 != s {
			t.Fatalf("round trip changed the record: %q -> %q", s, s2)
		}
		for _, p := range r.TXTStrings() {
			if len(p) > 255 {
				t.Fatalf("a string of %d bytes", len(p))
			}
		}
	})
}
