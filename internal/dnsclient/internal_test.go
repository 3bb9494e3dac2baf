package dnsclient

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestUnescapeTXT(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"v=spf1 -all", "v=spf1 -all"},
		{`a\"b`, `a"b`},
		{`a\\b`, `a\b`},
		{`\255\000\010x`, "\xff\x00\nx"},
		{`\256`, "256"}, // Not a byte: the escape is dropped.
		{`\12`, "12"},
		{`trailing\`, `trailing\`},
	} {
		if got := unescapeTXT(tc.in); got != tc.want {
			t.Errorf("unescapeTXT(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestUnescapeTXTWire checks unescapeTXT against miekg/dns: every byte of
// a TXT record on the wire comes back as it was.
func TestUnescapeTXTWire(t *testing.T) {
	var all []byte
	for b := range 256 {
		all = append(all, byte(b))
	}
	// x. TXT with two character-strings: bytes 0-127 and 128-255.
	wire := []byte{1, 'x', 0, 0, 16, 0, 1, 0, 0, 0, 0, 1, 2}
	wire = append(wire, 128)
	wire = append(wire, all[:128]...)
	wire = append(wire, 128)
	wire = append(wire, all[128:]...)
	rr, _, err := dns.UnpackRR(wire, 0)
	if err != nil {
		t.Fatal(err)
	}
	var joined string
	for _, s := range rr.(*dns.TXT).Txt {
		joined += unescapeTXT(s)
	}
	if joined != string(all) {
		t.Errorf("got %q, want %q", joined, all)
	}
}

func TestAnswerChain(t *testing.T) {
	rrs := func(s ...string) []dns.RR {
		var out []dns.RR
		for _, s := range s {
			rr, err := dns.NewRR(s)
			if err != nil || rr == nil {
				t.Fatalf("NewRR(%q): %v", s, err)
			}
			out = append(out, rr)
		}
		return out
	}
	answer := rrs(
		`other.example. TXT "not ours"`,
		`A.Example. CNAME b.example.`,
		`b.EXAMPLE. CNAME c.example.`,
		`C.example. TXT "one"`,
		`c.example. TXT "two"`,
		`c.example. MX 10 mx.example.`,
		`loop1.example. CNAME loop2.example.`,
		`loop2.example. CNAME LOOP1.example.`,
	)
	for _, tc := range []struct {
		qname    string
		qtype    uint16
		wantN    int
		wantLast string
		wantLoop bool
	}{
		{"a.example.", dns.TypeTXT, 2, "c.example.", false},
		{"a.example.", dns.TypeMX, 1, "c.example.", false},
		{"a.example.", dns.TypeA, 0, "c.example.", false},
		{"a.example.", dns.TypeCNAME, 1, "a.example.", false},
		{"missing.example.", dns.TypeTXT, 0, "missing.example.", false},
		{"loop1.example.", dns.TypeTXT, 0, "LOOP1.example.", true},
	} {
		got, last, loop := answerChain(answer, tc.qname, tc.qtype)
		if len(got) != tc.wantN || last != tc.wantLast || loop != tc.wantLoop {
			t.Errorf("answerChain(%s, %s) = %d records, %q, %v; want %d, %q, %v",
				tc.qname, dns.Type(tc.qtype), len(got), last, loop, tc.wantN, tc.wantLast, tc.wantLoop)
		}
	}
}

func TestServerAddr(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":         "192.0.2.1:53",
		"192.0.2.1:5353":    "192.0.2.1:5353",
		"::1":               "[::1]:53",
		"[::1]":             "[::1]:53",
		"[::1]:5353":        "[::1]:5353",
		"ns.example.com":    "ns.example.com:53",
		"ns.example.com:54": "ns.example.com:54",
	} {
		if got := serverAddr(in); got != want {
			t.Errorf("serverAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadResolvConf(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{write("two", "# comment\nnameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch example.com\n"),
			[]string{"192.0.2.53:53", "[2001:db8::53]:53"}},
		{write("none", "search example.com\n"), fallbackServers},
		{filepath.Join(dir, "absent"), fallbackServers},
	} {
		if got := readResolvConf(tc.path); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("readResolvConf(%s) = %q, want %q", filepath.Base(tc.path), got, tc.want)
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		r            Resolver
		wantTimeout  time.Duration
		wantAttempts int
	}{
		{Resolver{}, 2 * time.Second, 2},
		{Resolver{Timeout: time.Second, Retries: -1}, time.Second, 1},
		{Resolver{Retries: 3}, 2 * time.Second, 4},
	} {
		if got := tc.r.timeout(); got != tc.wantTimeout {
			t.Errorf("%+v: timeout %v, want %v", tc.r, got, tc.wantTimeout)
		}
		if got := tc.r.attempts(); got != tc.wantAttempts {
			t.Errorf("%+v: attempts %d, want %d", tc.r, got, tc.wantAttempts)
		}
	}
	if got := (&Resolver{}).servers(); len(got) == 0 {
		t.Errorf("no system servers")
	}
}
