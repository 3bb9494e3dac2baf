package sectxt

import (
	"testing"
	"time"
)

// BenchmarkParse parses the unsigned example of RFC 9116, Section 2.6.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(rfcUnsigned); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseSigned parses the signed example of RFC 9116, Section 2.7.
func BenchmarkParseSigned(b *testing.B) {
	text := crlf("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"+rfcSignedBody) + sigBlock
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the full check of the unsigned example.
func BenchmarkCheck(b *testing.B) {
	now := time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		Check(rfcUnsigned, now)
	}
}

// BenchmarkString writes the example back in canonical form.
func BenchmarkString(b *testing.B) {
	f, err := Parse(rfcUnsigned)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = f.String()
	}
}
