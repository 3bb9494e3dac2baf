package mtasts

import "testing"

const benchPolicy = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n"

// BenchmarkParsePolicy parses the three-mx example of RFC 8461, Section 3.2.
// The target (issue 2): fewer than mox's 17 allocs/op, under 10 µs.
func BenchmarkParsePolicy(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePolicy(benchPolicy); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckPolicy is the full lint of the same policy.
func BenchmarkCheckPolicy(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		CheckPolicy(benchPolicy)
	}
}

// BenchmarkParseRecord parses the TXT record example of RFC 8461, Section 3.1.
func BenchmarkParseRecord(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseRecord("v=STSv1; id=20160831085700Z;"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch matches a host against the three patterns.
func BenchmarkMatch(b *testing.B) {
	p, _ := ParsePolicy(benchPolicy)
	b.ReportAllocs()
	for b.Loop() {
		if !p.Match("backupmx.example.com.") {
			b.Fatal("no match")
		}
	}
}
