package dmarc

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLegacyOrgDomain(t *testing.T) {
	for in, want := range map[string]string{
		"example.com":          "example.com",
		"mail.example.com":     "example.com",
		"A.B.Example.COM.":     "example.com",
		"a.b.example.co.uk":    "example.co.uk",
		"example.co.uk":        "example.co.uk",
		"co.uk":                "co.uk", // a public suffix is its own
		"com":                  "com",
		"foo.blogspot.com":     "blogspot.com", // private section: not its own org domain
		"a.foo.blogspot.com":   "blogspot.com",
		"user.github.io":       "github.io",
		"x.y.unknown-tld":      "y.unknown-tld", // the default rule "*"
		"www.city.kawasaki.jp": "city.kawasaki.jp",
		"":                     "",
	} {
		assert.Equal(t, want, LegacyOrgDomain(in), "%q", in)
	}
}

// BenchmarkLegacyOrgDomain looks up a name with a private suffix.
func BenchmarkLegacyOrgDomain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if LegacyOrgDomain("a.foo.blogspot.com") != "blogspot.com" {
			b.Fatal("wrong")
		}
	}
}

// FuzzLegacyOrgDomain checks that the organizational domain never panics
// and is a suffix of the name.
func FuzzLegacyOrgDomain(f *testing.F) {
	for _, s := range []string{"a.foo.blogspot.com", "example.co.uk", "com", ".", "a..b", "x.y.unknown-tld"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, d string) {
		org := LegacyOrgDomain(d)
		norm := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
		if !strings.HasSuffix(norm, org) {
			t.Fatalf("LegacyOrgDomain(%q) = %q, not a suffix", d, org)
		}
	})
}
