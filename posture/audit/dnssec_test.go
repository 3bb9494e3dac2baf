//go:build !js

package audit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/internal/dnssectest"
)

// dnssecZones are the zones of the signed test hierarchy, their records
// in testdata/dnssec/<zone>.zone.
var dnssecZones = map[string]dnssectest.Signing{
	"posturekit.test":                 dnssectest.Signed,
	"secure.posturekit.test":          dnssectest.Signed,
	"mixed.posturekit.test":           dnssectest.Signed,
	"nomx.posturekit.test":            dnssectest.Signed,
	"insecure.posturekit.test":        dnssectest.Unsigned,
	"island.posturekit.test":          dnssectest.SignedNoDS,
	"signed.insecure.posturekit.test": dnssectest.Signed,
	"bogus.posturekit.test":           dnssectest.BadSignature,
	"expired.posturekit.test":         dnssectest.Expired,
	"future.posturekit.test":          dnssectest.NotYetValid,
	"dsonly.posturekit.test":          dnssectest.DSWithoutKey,
	"wrongds.posturekit.test":         dnssectest.WrongDS,
}

// startDNSSECHierarchy signs and serves the test zones with Knot.
func startDNSSECHierarchy(t *testing.T) *dnssectest.Hierarchy {
	t.Helper()
	var zones []dnssectest.Zone
	for name, signing := range dnssecZones {
		records, err := os.ReadFile(filepath.Join("testdata", "dnssec", name+".zone"))
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, dnssectest.Zone{Name: name, Records: string(records), Signing: signing})
	}
	return dnssectest.Start(t, zones...)
}

// dnssecAuditor is an auditor of domain that asks the resolver at addr,
// as Run makes it.
func dnssecAuditor(domain, addr string) *auditor {
	return &auditor{
		domain: domain,
		dns: &dnsclient.Resolver{
			Servers: []string{addr},
			Timeout: 2 * time.Second,
			Cache:   new(dnsclient.Cache),
		},
	}
}

// dnssecCase is what one domain's two checks must say.
type dnssecCase struct {
	domain string
	status Status // of dns.dnssec
	// msg, evidence and fix are substrings of the check's message, of one
	// of its evidence lines, of its fix (each "" for no test).
	msg, evidence, fix string
	mx                 Status // of dns.dnssec.mx
	mxMsg, mxFix       string
}

func (tc dnssecCase) check(t *testing.T, a *auditor) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	checkDNSSEC(ctx, a)
	got := a.checks
	if len(got) != 2 {
		t.Fatalf("got %d checks, want 2: %+v", len(got), got)
	}
	c, mx := got[0], got[1]
	if c.ID != idDNSSEC || mx.ID != idDNSSECMX {
		c, mx = mx, c
	}
	for _, c := range got {
		if c.Area != AreaDNS || c.Evidence == nil || c.Message == "" {
			t.Errorf("check %s: area %q, evidence %v, message %q", c.ID, c.Area, c.Evidence, c.Message)
		}
	}
	dump := func(c Check) string {
		return c.ID + " " + string(c.Status) + ": " + c.Message + "\n  evidence:\n    " + strings.Join(c.Evidence, "\n    ") + "\n  fix:\n    " + strings.ReplaceAll(c.Fix, "\n", "\n    ")
	}
	if c.Status != tc.status || !strings.Contains(c.Message, tc.msg) {
		t.Errorf("got %s\nwant status %s, message with %q", dump(c), tc.status, tc.msg)
	}
	if tc.evidence != "" && !slices.ContainsFunc(c.Evidence, func(e string) bool { return strings.Contains(e, tc.evidence) }) {
		t.Errorf("got %s\nwant evidence with %q", dump(c), tc.evidence)
	}
	if !strings.Contains(c.Fix, tc.fix) || (tc.fix == "") != (c.Fix == "") {
		t.Errorf("got %s\nwant fix with %q", dump(c), tc.fix)
	}
	if mx.Status != tc.mx || !strings.Contains(mx.Message, tc.mxMsg) || !strings.Contains(mx.Fix, tc.mxFix) {
		t.Errorf("got %s\nwant status %s, message with %q, fix with %q", dump(mx), tc.mx, tc.mxMsg, tc.mxFix)
	}
	if (mx.Status == Warn || mx.Status == Fail) != (mx.Fix != "") {
		t.Errorf("got %s\nwant a fix for warn and fail only", dump(mx))
	}
	if testing.Verbose() {
		t.Logf("%s\n%s", dump(c), dump(mx))
	}
}

// TestDNSSECReal audits the zones of a signed hierarchy served by Knot
// DNS through Unbound, validating from the hierarchy's root key, and
// through an Unbound that does not validate.
func TestDNSSECReal(t *testing.T) {
	h := startDNSSECHierarchy(t)
	validating := h.Resolver(t, true)
	plain := h.Resolver(t, false)

	// The fixes give the DS dnssec-dsfromkey made from the zone's key, as
	// a zone-file line with a TTL.
	keyDS := func(zone string) string {
		ds := h.KeyDS[zone]
		if len(ds) != 1 {
			t.Fatalf("%s has DS %q, want 1", zone, ds)
		}
		return strings.Join(strings.Fields(strings.Replace(ds[0], " IN ", " 3600 IN ", 1)), " ")
	}
	islandDS, wrongDS := keyDS("island.posturekit.test."), keyDS("wrongds.posturekit.test.")

	t.Run("validating", func(t *testing.T) {
		for _, tc := range []dnssecCase{
			{domain: "secure.posturekit.test", status: Pass, msg: "secure.posturekit.test is secure", evidence: "SOA: NOERROR, AD=1",
				mx: Pass, mxMsg: "secure: secure.posturekit.test."},
			{domain: "secure.posturekit.test", status: Pass, evidence: "DNSKEY 257 3 13", mx: Pass},
			// A name below the apex is judged by its zone.
			{domain: "mail.secure.posturekit.test", status: Pass, msg: "secure.posturekit.test is secure", mx: Info, mxMsg: "no MX host"},
			{domain: "nomx.posturekit.test", status: Pass, mx: Info, mxMsg: "no MX host"},
			{domain: "mixed.posturekit.test", status: Pass,
				mx: Fail, mxMsg: "bogus: bogus.posturekit.test.; insecure: insecure.posturekit.test.; secure: secure.posturekit.test.",
				mxFix: "if it is your mail provider's zone"},
			{domain: "missing.posturekit.test", status: Error, msg: "missing.posturekit.test does not exist (NXDOMAIN)",
				evidence: "missing.posturekit.test. SOA: NXDOMAIN, AD=1", mx: Info},
			{domain: "insecure.posturekit.test", status: Warn, msg: "not signed", evidence: "no DS record",
				fix: "; sign the zone insecure.posturekit.test", mx: Warn, mxMsg: "insecure: insecure.posturekit.test.",
				mxFix: "; sign the zone insecure.posturekit.test"},
			{domain: "island.posturekit.test", status: Warn, msg: "signed, but its parent publishes no DS", fix: islandDS, mx: Pass},
			{domain: "signed.insecure.posturekit.test", status: Warn, msg: "parent zone's answer is not validated",
				fix: "until its parent zone is signed", mx: Pass},
			{domain: "bogus.posturekit.test", status: Fail, msg: "DNSSEC Bogus (EDE 6)", evidence: "EDE 6 (DNSSEC Bogus)",
				fix: "do not verify", mx: Fail, mxMsg: "bogus: bogus.posturekit.test.", mxFix: "do not verify"},
			{domain: "expired.posturekit.test", status: Fail, msg: "Signature Expired (EDE 7)", evidence: "RRSIG over SOA",
				fix: "have expired", mx: Pass},
			{domain: "future.posturekit.test", status: Fail, msg: "Signature Not Yet Valid (EDE 8)", fix: "not valid yet", mx: Pass},
			{domain: "dsonly.posturekit.test", status: Fail, msg: "DNSKEY Missing (EDE 9)", evidence: "no DNSKEY record",
				fix: "remove the DS at the registrar", mx: Pass},
			// The fix is the DS of the zone's own key.
			{domain: "wrongds.posturekit.test", status: Fail, msg: "is bogus", evidence: "wrongds.posturekit.test. 300 IN DNSKEY 257 3 13",
				fix: "replace the DS at the registrar with\n" + wrongDS, mx: Pass},
		} {
			t.Run(tc.domain, func(t *testing.T) { tc.check(t, dnssecAuditor(tc.domain, validating)) })
		}
	})

	// A resolver that does not validate still returns signatures for DO
	// queries: the check must say so, not call the zone unsigned.
	t.Run("not validating", func(t *testing.T) {
		for _, domain := range []string{"secure.posturekit.test", "insecure.posturekit.test", "bogus.posturekit.test"} {
			t.Run(domain, func(t *testing.T) {
				dnssecCase{domain: domain, status: Error, msg: "returns signatures but sets no AD bit",
					evidence: ". DNSKEY: NOERROR, AD=0, 2 RRSIG", mx: Error, mxMsg: "resolver does not validate"}.check(t, dnssecAuditor(domain, plain))
			})
		}
	})

	// The whole audit, through the validating resolver.
	t.Run("Run", func(t *testing.T) {
		r, err := Run(t.Context(), "secure.posturekit.test", Options{
			Resolvers: []string{validating}, Timeout: 30 * time.Second, QueryTimeout: 2 * time.Second,
			HTTPSPort: 1, HTTPPort: 1, AllowPrivate: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, c := range r.Checks {
			switch c.ID {
			case idDNSSEC, idDNSSECMX:
				seen++
				if c.Status != Pass {
					t.Errorf("%s: %s: %s %q", c.ID, c.Status, c.Message, c.Evidence)
				}
			}
		}
		if seen != 2 {
			t.Errorf("the report has %d DNSSEC checks, want 2: %+v", seen, r.Checks)
		}
	})
}

// TestDNSSECStripped runs the checks against the in-process server, which
// sets no AD bit and sends no signature: the resolver "strips DNSSEC".
func TestDNSSECStripped(t *testing.T) {
	srv := dnstest.Start(t, `
		$ORIGIN example.com.
		@     SOA  ns1 hostmaster 1 7200 3600 1209600 300
		@     NS   ns1
		@     MX   10 mx
		mx    A    192.0.2.1
	`)
	dnssecCase{domain: "example.com", status: Error, msg: "strips DNSSEC", evidence: ". DNSKEY: NXDOMAIN, AD=0, 0 RRSIG",
		mx: Error, mxMsg: "resolver does not validate"}.check(t, dnssecAuditor("example.com", srv.Addr))
}

// TestDNSSECFailures checks that lookups that fail give status error, and
// never a verdict on the zone.
func TestDNSSECFailures(t *testing.T) {
	zone := `
		$ORIGIN example.com.
		@     SOA  ns1 hostmaster 1 7200 3600 1209600 300
		@     MX   10 mx
	`
	// Dropped queries, one attempt of 100 ms each.
	for _, tc := range []struct {
		name string
		drop map[string]uint16 // the query type dropped for each name
		want dnssecCase
	}{
		{"timeout", map[string]uint16{"example.com": dns.TypeANY, "mx.example.com": dns.TypeANY},
			dnssecCase{domain: "example.com", status: Error, msg: "could not check DNSSEC of example.com",
				mx: Error, mxMsg: "could not check the MX hosts"}},
		{"timeout of an MX zone", map[string]uint16{"mx.example.com": dns.TypeSOA},
			dnssecCase{domain: "example.com", status: Error, msg: "strips DNSSEC",
				mx: Error, mxMsg: "could not check the DNSSEC of every MX zone"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := dnstest.Start(t, zone)
			for name, qtype := range tc.drop {
				srv.Fail(name, qtype, dnstest.FailDrop)
			}
			a := dnssecAuditor(tc.want.domain, srv.Addr)
			a.dns.Timeout, a.dns.Retries = 100*time.Millisecond, -1
			tc.want.check(t, a)
		})
	}
	// SERVFAIL with and without CD and no Extended DNS Error: the servers
	// fail, which says nothing about DNSSEC.
	t.Run("servfail", func(t *testing.T) {
		srv := dnstest.Start(t, zone)
		srv.Fail("example.com", dns.TypeSOA, dnstest.FailServFail)
		dnssecCase{domain: "example.com", status: Error, msg: "SERVFAIL with and without the CD bit",
			evidence: "example.com. SOA: SERVFAIL", mx: Error}.check(t, dnssecAuditor("example.com", srv.Addr))
	})
	t.Run("deadline", func(t *testing.T) {
		srv := dnstest.Start(t, zone)
		srv.SetDelay(time.Second)
		a := dnssecAuditor("example.com", srv.Addr)
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		checkDNSSEC(ctx, a)
		for _, c := range a.checks {
			if c.Status != Error || !strings.Contains(c.Message, "time ran out") {
				t.Errorf("%s: %s %q, want error saying the time ran out", c.ID, c.Status, c.Message)
			}
		}
	})
}
