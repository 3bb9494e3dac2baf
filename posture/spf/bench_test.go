package spf

import "testing"

// benchRecord is a typical record: two providers, own networks, mx.
const benchRecord = "v=spf1 include:_spf.google.com include:mailgun.org ip4:192.0.2.0/24 ip6:2001:db8::/32 mx a:mail.example.com/24 ~all"

// BenchmarkParse parses benchRecord.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Parse(benchRecord); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseMacros parses a record of macros, as Valimail publishes.
func BenchmarkParseMacros(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Parse("v=spf1 include:%{i}._ip.%{h}._ehlo.%{d}._spf.vali.email exists:%{ir}.%{l1r+-}._spf.%{d} ~all"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the full lint of benchRecord.
func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Check(benchRecord)
	}
}

// BenchmarkString renders a parsed record.
func BenchmarkString(b *testing.B) {
	rec, _, _ := Parse(benchRecord)
	b.ReportAllocs()
	for b.Loop() {
		_ = rec.String()
	}
}
