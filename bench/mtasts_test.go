// Package bench runs posturekit side by side with peer implementations, so
// that speed and memory are compared as ratios measured in one run on one
// machine. It is a module of its own, so that the peers never become
// dependencies of posturekit. Run it with bench/mtasts.sh.
package bench

import (
	"testing"

	moxmtasts "github.com/mjl-/mox/mtasts"
	"github.com/posturekit/posturekit/mtasts"
)

// The three-mx example of RFC 8461, Section 3.2.
const policy3MX = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n"

const record = "v=STSv1; id=20160831085700Z;"

func BenchmarkParsePolicy(b *testing.B) {
	b.Run("impl=posturekit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := mtasts.ParsePolicy(policy3MX); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=mox", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := moxmtasts.ParsePolicy(policy3MX); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkParseRecord(b *testing.B) {
	b.Run("impl=posturekit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := mtasts.ParseRecord(record); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=mox", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := moxmtasts.ParseRecord(record); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestPeersDiffer records where posturekit and mox disagree, and why.
func TestPeersDiffer(t *testing.T) {
	for _, c := range []struct {
		name, text      string
		posturekit, mox bool // accepted?
		why             string
	}{
		{"trailing empty line", "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n\n", true, false,
			"the grammar allows no empty line; posturekit accepts it as a sender (and warns as a checker), mox rejects"},
		{"LF line endings", "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", true, true,
			"sts-policy-term = LF / CRLF: both accept"},
		{"max_age over the limit", "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", false, true,
			"RFC 8461, Section 3.2 caps max_age at 31557600; mox (v0.0.17) does not apply the cap"},
	} {
		_, perr := mtasts.ParsePolicy(c.text)
		_, merr := moxmtasts.ParsePolicy(c.text)
		if (perr == nil) != c.posturekit || (merr == nil) != c.mox {
			t.Errorf("%s: posturekit accepts %v (want %v), mox accepts %v (want %v): %s", c.name, perr == nil, c.posturekit, merr == nil, c.mox, c.why)
		}
	}
	for _, c := range []struct {
		name, txt       string
		posturekit, mox bool
	}{
		{"space before ';'", "v=STSv1 ; id=1;", true, true},
		{"id with '-'", "v=STSv1; id=2016-08-31;", false, false},
	} {
		_, _, perr := mtasts.ParseRecord(c.txt)
		_, _, merr := moxmtasts.ParseRecord(c.txt)
		if (perr == nil) != c.posturekit || (merr == nil) != c.mox {
			t.Errorf("record %s: posturekit accepts %v (want %v), mox accepts %v (want %v)", c.name, perr == nil, c.posturekit, merr == nil, c.mox)
		}
	}
}
