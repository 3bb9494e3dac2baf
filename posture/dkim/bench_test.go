package dkim

import "testing"

// BenchmarkParse parses the 1024-bit RSA example record of RFC 6376,
// Appendix C, key decoding included.
func BenchmarkParse(b *testing.B) {
	txt := "v=DKIM1; p=" + rfcRSA
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(txt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseEd25519 parses the Ed25519 example of RFC 8463, Appendix
// A.2.
func BenchmarkParseEd25519(b *testing.B) {
	txt := "v=DKIM1; k=ed25519; p=" + rfc8463Key
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(txt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the full lint of a 2048-bit RSA record.
func BenchmarkCheck(b *testing.B) {
	rec, err := FromPublicKey(rsaKey(b, 2048))
	if err != nil {
		b.Fatal(err)
	}
	txt := rec.String()
	b.ReportAllocs()
	for b.Loop() {
		Check(txt)
	}
}
