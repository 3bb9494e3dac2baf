package dmarc

import "testing"

const benchRecord = "v=DMARC1; p=quarantine; sp=reject; rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net; adkim=s; fo=1; t=y"

// BenchmarkParse parses a record with most tags.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Parse(benchRecord); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the full lint of the same record.
func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Check(benchRecord)
	}
}

// BenchmarkString renders it.
func BenchmarkString(b *testing.B) {
	rec, _, _ := Parse(benchRecord)
	b.ReportAllocs()
	for b.Loop() {
		_ = rec.String()
	}
}
