package caa

import "testing"

const (
	benchRecord = `0 issue "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234567; validationmethods=dns-01"`
	benchSet    = `0 issue "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234567"
0 issue "digicert.com"
0 issuewild ";"
0 issuemail ";"
0 iodef "mailto:security@example.com"
`
)

// BenchmarkParse parses one issue record with RFC 8657 parameters.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchRecord); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseIssue parses the value of that record.
func BenchmarkParseIssue(b *testing.B) {
	r, _ := Parse(benchRecord)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseIssue(r.Value); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the full lint of one record.
func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Check(benchRecord)
	}
}

// BenchmarkCheckSetText parses and lints a five-record RRset.
func BenchmarkCheckSetText(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		CheckSetText(benchSet)
	}
}

// BenchmarkString writes the record back.
func BenchmarkString(b *testing.B) {
	r, _ := Parse(benchRecord)
	b.ReportAllocs()
	for b.Loop() {
		_ = r.String()
	}
}
