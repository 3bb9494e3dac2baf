package publicsuffix

import (
	"strings"
	"testing"

	xpublicsuffix "golang.org/x/net/publicsuffix"
)

// same checks that both functions answer for domain exactly as x/net's do.
func same(t *testing.T, domain string) {
	t.Helper()
	gotPS, gotICANN := PublicSuffix(domain)
	wantPS, wantICANN := xpublicsuffix.PublicSuffix(domain)
	if gotPS != wantPS || gotICANN != wantICANN {
		t.Errorf("PublicSuffix(%q) = %q, %v; x/net: %q, %v", domain, gotPS, gotICANN, wantPS, wantICANN)
	}
	got, gotErr := EffectiveTLDPlusOne(domain)
	want, wantErr := xpublicsuffix.EffectiveTLDPlusOne(domain)
	if got != want || (gotErr == nil) != (wantErr == nil) {
		t.Errorf("EffectiveTLDPlusOne(%q) = %q, %v; x/net: %q, %v", domain, got, gotErr, want, wantErr)
	}
}

// TestEveryNode compares the answers for every node of the list, and for
// names under, around and beside it, with x/net's.
func TestEveryNode(t *testing.T) {
	n := 0
	for line := range strings.Lines(nodes) {
		name := line[:strings.IndexByte(line, ' ')]
		for _, d := range []string{
			name, "x." + name, "www.x." + name, "a.b.c." + name,
			"www." + name, "city." + name, "foo.city." + name,
			name + ".", "x." + name + ".", "." + name, "x.." + name,
			strings.ToUpper(name), "X." + strings.ToUpper(name),
			name + ".zz", name[strings.IndexByte(name, '.')+1:] + "x",
		} {
			same(t, d)
		}
		n++
	}
	if n < 9000 {
		t.Fatalf("the table has %d nodes; the list has about 10,000", n)
	}
}

// TestEdges compares names that are not built from the list's nodes.
func TestEdges(t *testing.T) {
	for _, d := range []string{
		"", ".", "..", "...", "com", ".com", "com.", "example.com", "EXAMPLE.COM",
		"foo.bar.golang.org", "foo.blogspot.com", "blogspot.com", "foo.co.uk", "co.uk", "uk",
		"www.ck", "foo.www.ck", "bar.ck", "foo.bar.ck", "ck", "city.kawasaki.jp", "x.city.kawasaki.jp",
		"cromulent", "foo.cromulent", "localhost", "a.localhost", "example", "a.example.",
		"192.0.2.1", "::1", "2001:db8::1", "fe80::1%eth0", "[::1]", "1.2.3.4.5", "300.1.1.1",
		"a b.com", "a\nb.com", "com\n", "com b", "xn--p1ai", "пример.рф", "a.xn--p1ai",
		"amazonaws.com", "s3.amazonaws.com", "x.s3.amazonaws.com", "compute.amazonaws.com",
		"x.compute.amazonaws.com", "y.x.compute.amazonaws.com", "github.io", "x.github.io",
		"0.bg", "a.0.bg", "zw", "a.zw", "-.com", "_dmarc.example.com", "*.example.com",
	} {
		same(t, d)
	}
}

func FuzzPublicSuffix(f *testing.F) {
	for _, s := range []string{"foo.co.uk", "www.ck", "x.compute.amazonaws.com", "a..b", "::1", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, domain string) {
		same(t, domain)
	})
}

func TestLookup(t *testing.T) {
	for _, c := range []struct {
		name  string
		flags byte
		ok    bool
	}{
		{"com", flagICANN, true},
		{"co.uk", flagICANN, true},
		{"ck", typeParentOnly<<typeShift | flagWildcard | flagICANN, true},
		{"www.ck", typeException<<typeShift | flagICANN, true},
		{"blogspot.com", 0, true},
		{"", 0, false},
		{"c", 0, false},
		{"comx", 0, false},
		{"zzzz", 0, false},
		{"00", 0, false},
		{"com b", 0, false},
	} {
		flags, ok := lookup(c.name)
		if flags != c.flags || ok != c.ok {
			t.Errorf("lookup(%q) = %b, %v; want %b, %v", c.name, flags, ok, c.flags, c.ok)
		}
	}
}

func BenchmarkPublicSuffix(b *testing.B) {
	for b.Loop() {
		PublicSuffix("www.foo.city.kawasaki.jp")
	}
}
