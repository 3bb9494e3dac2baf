package tlsrpt

import "testing"

// BenchmarkParse parses the mailto example of RFC 8460, Section 3.1.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Parse("v=TLSRPTv1; rua=mailto:reports@example.com"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the full lint of a record with two destinations.
func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		CheckDomain("example.com", "v=TLSRPTv1; rua=mailto:reports@example.com,https://reporting.example.com/v1/tlsrpt")
	}
}
