package dnssectest_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnssectest"
)

// ask sends one query with the DO bit (and CD when cd is set) to addr.
func ask(t *testing.T, addr, name string, qtype uint16, cd bool) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.SetEdns0(1232, true)
	m.CheckingDisabled = cd
	r, _, err := new(dns.Client).Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s %s: %v", name, dns.TypeToString[qtype], err)
	}
	return r
}

func sigCount(m *dns.Msg) int {
	n := 0
	for _, rr := range append(append([]dns.RR{}, m.Answer...), m.Ns...) {
		if rr.Header().Rrtype == dns.TypeRRSIG {
			n++
		}
	}
	return n
}

func edeCodes(m *dns.Msg) []uint16 {
	var codes []uint16
	if opt := m.IsEdns0(); opt != nil {
		for _, o := range opt.Option {
			if e, ok := o.(*dns.EDNS0_EDE); ok {
				codes = append(codes, e.InfoCode)
			}
		}
	}
	return codes
}

// TestHierarchy checks that each way of signing gives the DNSSEC outcome
// its comment promises, at a validating Unbound, and that the other
// Unbound does not validate.
func TestHierarchy(t *testing.T) {
	h := dnssectest.Start(t,
		dnssectest.Zone{Name: "example.test", Signing: dnssectest.Signed, Records: "www A 192.0.2.1\n"},
		dnssectest.Zone{Name: "secure.example.test", Signing: dnssectest.Signed, Records: "@ MX 10 mail\nmail A 127.0.0.1\n"},
		dnssectest.Zone{Name: "unsigned.example.test", Signing: dnssectest.Unsigned},
		dnssectest.Zone{Name: "island.example.test", Signing: dnssectest.SignedNoDS},
		dnssectest.Zone{Name: "bad.example.test", Signing: dnssectest.BadSignature},
		dnssectest.Zone{Name: "expired.example.test", Signing: dnssectest.Expired},
		dnssectest.Zone{Name: "future.example.test", Signing: dnssectest.NotYetValid},
		dnssectest.Zone{Name: "dsonly.example.test", Signing: dnssectest.DSWithoutKey},
		dnssectest.Zone{Name: "wrongds.example.test", Signing: dnssectest.WrongDS},
		dnssectest.Zone{Name: "below.unsigned.example.test", Signing: dnssectest.Signed},
	)
	if !strings.HasPrefix(h.TrustAnchor, ". ") || !strings.Contains(h.TrustAnchor, " DS ") {
		t.Errorf("TrustAnchor %q, want the root's DS", h.TrustAnchor)
	}
	for _, zone := range []string{".", "example.test.", "secure.example.test.", "island.example.test.", "dsonly.example.test."} {
		if len(h.DS[zone]) != 1 {
			t.Errorf("DS[%q] = %q, want one record", zone, h.DS[zone])
		}
	}
	if slices.Equal(h.DS["wrongds.example.test."], h.KeyDS["wrongds.example.test."]) || !slices.Equal(h.DS["secure.example.test."], h.KeyDS["secure.example.test."]) {
		t.Errorf("DS and KeyDS: wrongds %q and %q, secure %q and %q", h.DS["wrongds.example.test."], h.KeyDS["wrongds.example.test."],
			h.DS["secure.example.test."], h.KeyDS["secure.example.test."])
	}
	if ds := h.DS["unsigned.example.test."]; ds != nil {
		t.Errorf("unsigned zone has DS %q", ds)
	}

	// Knot serves the signed data itself.
	if r := ask(t, h.AuthAddr, "www.example.test", dns.TypeA, false); r.Rcode != dns.RcodeSuccess || !r.Authoritative || sigCount(r) != 1 {
		t.Errorf("knotd: www.example.test A: %v", r)
	}

	validating := h.Resolver(t, true)
	for _, tc := range []struct {
		name  string
		rcode int
		ad    bool
		ede   uint16 // 0: none
	}{
		{".", dns.RcodeSuccess, true, 0},
		{"secure.example.test", dns.RcodeSuccess, true, 0},
		{"mail.secure.example.test", dns.RcodeSuccess, true, 0}, // NODATA, proven.
		{"unsigned.example.test", dns.RcodeSuccess, false, 0},
		{"island.example.test", dns.RcodeSuccess, false, 0},
		{"below.unsigned.example.test", dns.RcodeSuccess, false, 0},
		{"bad.example.test", dns.RcodeServerFailure, false, dns.ExtendedErrorCodeDNSBogus},
		{"expired.example.test", dns.RcodeServerFailure, false, dns.ExtendedErrorCodeSignatureExpired},
		{"future.example.test", dns.RcodeServerFailure, false, dns.ExtendedErrorCodeSignatureNotYetValid},
		{"dsonly.example.test", dns.RcodeServerFailure, false, dns.ExtendedErrorCodeDNSKEYMissing},
		{"wrongds.example.test", dns.RcodeServerFailure, false, dns.ExtendedErrorCodeDNSKEYMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ask(t, validating, tc.name, dns.TypeSOA, false)
			codes := edeCodes(r)
			if r.Rcode != tc.rcode || r.AuthenticatedData != tc.ad || (tc.ede == 0) != (len(codes) == 0) || tc.ede != 0 && codes[0] != tc.ede {
				t.Errorf("validating: got %s, AD %v, EDE %v; want %s, AD %v, EDE %d",
					dns.RcodeToString[r.Rcode], r.AuthenticatedData, codes, dns.RcodeToString[tc.rcode], tc.ad, tc.ede)
			}
			if tc.rcode == dns.RcodeServerFailure {
				// Bogus, not broken: with CD set the data comes back.
				if r := ask(t, validating, tc.name, dns.TypeSOA, true); r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
					t.Errorf("with CD: %v", r)
				}
			}
		})
	}

	plain := h.Resolver(t, false)
	for _, name := range []string{".", "secure.example.test", "bad.example.test"} {
		r := ask(t, plain, name, dns.TypeSOA, false)
		if r.Rcode != dns.RcodeSuccess || r.AuthenticatedData || sigCount(r) == 0 {
			t.Errorf("not validating: %s: got %s, AD %v, %d RRSIG; want NOERROR, no AD, signatures", name, dns.RcodeToString[r.Rcode], r.AuthenticatedData, sigCount(r))
		}
	}
}

func TestSigningString(t *testing.T) {
	if s := dnssectest.BadSignature.String(); s != "BadSignature" {
		t.Errorf("BadSignature.String() = %q", s)
	}
	if s := dnssectest.Signing(42).String(); s != "Signing(42)" {
		t.Errorf("Signing(42).String() = %q", s)
	}
}
