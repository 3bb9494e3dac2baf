//go:build !js

package audit

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/stretchr/testify/assert"
)

// dnsIDs are the checks of dns.go that a complete zone gets.
var dnsIDs = []string{"dns.ns", "dns.ns.networks", "dns.ns.domains", "dns.ipv6.apex", "dns.ipv6.www", "dns.ipv6.mx", "dns.ipv6.ns",
	"dns.caa", "dns.soa", "dns.soa.rname", "dns.soa.negative_ttl", "dns.soa.timers", "dns.soa.serial", "dns.ttl.ns", "dns.ttl.web"}

func TestDNSGood(t *testing.T) {
	r := auditZone(t, dnstest.Start(t, mailZone), Options{})
	for _, id := range dnsIDs {
		wantStatus(t, r, id, Pass)
	}
	assert.Contains(t, one(t, r, "dns.soa.rname").Message, "hostmaster@example.test")
	assert.Contains(t, one(t, r, "dns.ns.networks").Evidence, "ns1.example.test 192.0.2.53 (192.0.2.0/24)")
	assert.Contains(t, one(t, r, "dns.ns.networks").Message, "2 IPv4 /24 and 2 IPv6 /48")
	assert.Contains(t, one(t, r, "dns.ttl.web").Message, "1h")
	assert.Contains(t, one(t, r, "dns.caa").Evidence, `example.test. IN CAA 0 issue "letsencrypt.org"`)
	assert.Contains(t, one(t, r, "dns.ns").Evidence, "example.test. 3600 IN NS ns1.example.test.")
	assert.Contains(t, one(t, r, "dns.soa.serial").Message, "2024-01-01")
}

func TestDNSNameServers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replace map[string]string
		add     []string
		id      string
		want    Status
		fixHas  string
	}{
		{"one", map[string]string{"@ NS": "@ NS ns1"}, nil, "dns.ns", Fail, "example.test. 86400 IN NS"},
		{"one network", map[string]string{"@ NS": "@ NS ns1\n@ NS ns2", "ns1 AAAA": ""},
			[]string{"ns2 A 192.0.2.54"}, "dns.ns.networks", Warn, "another network"},
		{"one TLD", map[string]string{"@ NS": "@ NS ns1\n@ NS ns2.dns-host.test."}, []string{"ns2.dns-host.test. A 198.51.100.1"}, "dns.ns.domains", Warn, "another top-level domain"},
		{"server without address", map[string]string{"@ NS": "@ NS ns1\n@ NS ns2.dns-host.example.\n@ NS ns3"}, nil, "dns.ns", Warn, "ns3.example.test"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := auditZone(t, dnstest.Start(t, mailZoneWith(tc.replace, tc.add...)), Options{})
			c := wantStatus(t, r, tc.id, tc.want)
			assert.Contains(t, c.Fix, tc.fixHas)
		})
	}
	t.Run("timeout", func(t *testing.T) {
		r := auditDropping(t, mailZone, Options{}, mailDomainName, dns.TypeNS)
		wantStatus(t, r, "dns.ns", Error)
		wantStatus(t, r, "dns.ipv6.ns", Error)
		assert.Empty(t, checks(r, "dns.ns.networks"))
		assert.Empty(t, checks(r, "dns.ttl.ns"))
	})
	t.Run("address timeout", func(t *testing.T) {
		r := auditDropping(t, mailZone, Options{}, "ns1.example.test", dns.TypeAAAA)
		wantStatus(t, r, "dns.ns", Pass) // each has an address all the same
		wantStatus(t, r, "dns.ns.networks", Error)
		wantStatus(t, r, "dns.ipv6.ns", Error)
	})
}

func TestDNSIPv6(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replace map[string]string
		add     []string
		id      string
		want    Status
	}{
		{"apex", map[string]string{"@ AAAA": ""}, nil, "dns.ipv6.apex", Fail},
		{"www", map[string]string{"www AAAA": ""}, nil, "dns.ipv6.www", Fail},
		{"one MX host of two", map[string]string{"@ MX": "@ MX 10 mx1\n@ MX 20 mx2"}, []string{"mx2 A 192.0.2.26"}, "dns.ipv6.mx", Warn},
		{"name servers", map[string]string{"ns1 AAAA": "", "ns2 AAAA": ""}, nil, "dns.ipv6.ns", Fail},
		{"www alias", map[string]string{"www A": "www CNAME @", "www AAAA": ""}, nil, "dns.ipv6.www", Pass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := auditZone(t, dnstest.Start(t, mailZoneWith(tc.replace, tc.add...)), Options{})
			c := wantStatus(t, r, tc.id, tc.want)
			if tc.want != Pass {
				assert.Contains(t, c.Fix, "IN AAAA <its IPv6 address>")
				assert.Contains(t, strings.Join(c.Evidence, "\n"), "AAAA (none)")
			}
		})
	}
	t.Run("no www", func(t *testing.T) {
		r := auditZone(t, dnstest.Start(t, mailZoneWith(map[string]string{"www A": "", "www AAAA": ""})), Options{})
		assert.Empty(t, checks(r, "dns.ipv6.www"), "a name without addresses has nothing to compare")
	})
	t.Run("timeout", func(t *testing.T) {
		r := auditDropping(t, mailZone, Options{}, "www.example.test", dns.TypeAAAA)
		wantStatus(t, r, "dns.ipv6.www", Error)
		wantStatus(t, r, "dns.ttl.web", Error)
	})
}

func TestDNSCAA(t *testing.T) {
	for _, tc := range []struct {
		name   string
		line   string
		want   Status
		fixHas string
	}{
		{"missing", "", Warn, "example.test. 3600 IN CAA 0 issue \"letsencrypt.org\""},
		{"bad issue value", `@ CAA 0 issue "letsencrypt.org; accounturi"`, Fail, "example.test. 3600 IN CAA 0 issue \"letsencrypt.org\""},
		{"several CAs", "@ CAA 0 issue \"letsencrypt.org\"\n@ CAA 0 issue \"pki.goog\"", Pass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := auditZone(t, dnstest.Start(t, mailZoneWith(map[string]string{"@ CAA": tc.line})), Options{})
			c := wantStatus(t, r, "dns.caa", tc.want)
			assert.Contains(t, c.Fix, tc.fixHas)
		})
	}
	t.Run("missing keeps the placeholder visible", func(t *testing.T) {
		r := auditZone(t, dnstest.Start(t, mailZoneWith(map[string]string{"@ CAA": ""})), Options{})
		assert.Contains(t, one(t, r, "dns.caa").Fix, "; replace letsencrypt.org")
	})
	t.Run("timeout", func(t *testing.T) {
		r := auditDropping(t, mailZone, Options{}, mailDomainName, dns.TypeCAA)
		wantStatus(t, r, "dns.caa", Error)
	})
}

func TestDNSSOA(t *testing.T) {
	soa := func(rest string) map[string]string { return map[string]string{"@ SOA": "@ SOA ns1 " + rest} }
	for _, tc := range []struct {
		name    string
		replace map[string]string
		id      string
		want    Status
		fixHas  string
	}{
		{"rname root", soa(". 2024010101 7200 3600 1209600 3600"), "dns.soa.rname", Warn, "hostmaster.example.test."},
		{"rname one label domain", soa("root.localhost. 2024010101 7200 3600 1209600 3600"), "dns.soa.rname", Warn, "hostmaster.example.test."},
		{"rname with @", soa(`hostmaster@example.test. 2024010101 7200 3600 1209600 3600`), "dns.soa.rname", Warn, "hostmaster.example.test."},
		{"rname escaped dot", soa(`john\.doe 2024010101 7200 3600 1209600 3600`), "dns.soa.rname", Pass, ""},
		{"negative ttl long", map[string]string{"@ SOA": "@ 172800 SOA ns1 hostmaster 2024010101 7200 3600 1209600 172800"}, "dns.soa.negative_ttl", Warn, "1209600 3600"},
		// RFC 2308, Section 5: the SOA's own TTL caps the negative TTL.
		{"negative ttl capped by the soa ttl", soa("hostmaster 2024010101 7200 3600 1209600 172800"), "dns.soa.negative_ttl", Pass, ""},
		{"negative ttl short by the soa ttl", map[string]string{"@ SOA": "@ 60 SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600"}, "dns.soa.negative_ttl", Warn, "1209600 3600"},
		{"negative ttl short", soa("hostmaster 2024010101 7200 3600 1209600 60"), "dns.soa.negative_ttl", Warn, "1209600 3600"},
		{"retry above refresh", soa("hostmaster 2024010101 3600 7200 1209600 3600"), "dns.soa.timers", Warn, "3600 1800 1209600"},
		{"expire short", soa("hostmaster 2024010101 7200 3600 86400 3600"), "dns.soa.timers", Warn, "7200 3600 1209600"},
		{"serial in the future", soa("hostmaster 2099010101 7200 3600 1209600 3600"), "dns.soa.serial", Warn, "RFC 1982"},
		{"plain serial", soa("hostmaster 42 7200 3600 1209600 3600"), "dns.soa.serial", Pass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := auditZone(t, dnstest.Start(t, mailZoneWith(tc.replace)), Options{})
			c := wantStatus(t, r, tc.id, tc.want)
			assert.Contains(t, c.Fix, tc.fixHas)
			if tc.want == Warn && tc.id != "dns.soa.serial" {
				assert.Contains(t, c.Fix, "IN SOA ns1.example.test.", "the fix is the SOA record")
			}
		})
	}
	t.Run("rname mailbox", func(t *testing.T) {
		r := auditZone(t, dnstest.Start(t, mailZoneWith(soa(`john\.doe 2024010101 7200 3600 1209600 3600`))), Options{})
		assert.Contains(t, one(t, r, "dns.soa.rname").Message, "john.doe@example.test")
	})
	t.Run("subdomain", func(t *testing.T) {
		// A name inside the zone: the zone's SOA and NS are judged.
		srv := dnstest.Start(t, mailZoneWith(nil, "shop A 192.0.2.80", "shop AAAA 2001:db8::80"))
		r := auditDomain(t, srv, "shop.example.test", Options{})
		c := wantStatus(t, r, "dns.soa", Pass)
		assert.Contains(t, c.Message, "SOA of example.test (shop.example.test is in that zone)")
		wantStatus(t, r, "dns.ns", Pass)
	})
	t.Run("no such domain", func(t *testing.T) {
		srv := dnstest.Start(t, mailZone)
		r := auditDomain(t, srv, "nothere.example.test", Options{})
		c := wantStatus(t, r, "dns.soa", Fail)
		assert.Contains(t, c.Message, "does not exist")
		assert.Empty(t, checks(r, "dns.ns"), "the name servers of the zone above are not the domain's")
	})
	t.Run("timeout", func(t *testing.T) {
		r := auditDropping(t, mailZone, Options{}, mailDomainName, dns.TypeSOA)
		wantStatus(t, r, "dns.soa", Error)
		assert.Empty(t, checks(r, "dns.soa.rname"))
	})
}

func TestDNSTTL(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replace map[string]string
		id      string
		want    Status
		fixHas  string
	}{
		{"short NS", map[string]string{"@ NS": "@ 60 NS ns1\n@ 60 NS ns2.dns-host.example."}, "dns.ttl.ns", Warn, "example.test. 86400 IN NS ns1.example.test."},
		{"short A", map[string]string{"@ A": "@ 60 A 192.0.2.1"}, "dns.ttl.web", Warn, "example.test. 3600 IN A 192.0.2.1"},
		{"long AAAA", map[string]string{"www AAAA": "www 172800 AAAA 2001:db8::1"}, "dns.ttl.web", Warn, "www.example.test. 3600 IN AAAA 2001:db8::1"},
		{"five minutes", map[string]string{"@ A": "@ 300 A 192.0.2.1", "www A": "www 86400 A 192.0.2.1"}, "dns.ttl.web", Pass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := auditZone(t, dnstest.Start(t, mailZoneWith(tc.replace)), Options{})
			c := wantStatus(t, r, tc.id, tc.want)
			assert.Contains(t, c.Fix, tc.fixHas)
		})
	}
	t.Run("fix only the records concerned", func(t *testing.T) {
		r := auditZone(t, dnstest.Start(t, mailZoneWith(map[string]string{"@ A": "@ 60 A 192.0.2.1"})), Options{})
		c := one(t, r, "dns.ttl.web")
		assert.NotContains(t, c.Fix, "www")
		assert.Contains(t, c.Message, "example.test A TTL 60")
	})
}

// TestFailedLookupsAreErrors fails one lookup of each check with SERVFAIL:
// each check must say it could not run, never that a record is missing.
func TestFailedLookupsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		qtype uint16
		id    string
	}{
		{"example.test", dns.TypeTXT, "mail.spf"},
		{"example.test", dns.TypeMX, "mail.mx"},
		{"_dmarc.example.test", dns.TypeTXT, "mail.dmarc"},
		{"_mta-sts.example.test", dns.TypeTXT, "mail.mta-sts"},
		{"_smtp._tls.example.test", dns.TypeTXT, "mail.tlsrpt"},
		{"example.test", dns.TypeNS, "dns.ns"},
		{"example.test", dns.TypeSOA, "dns.soa"},
		{"example.test", dns.TypeCAA, "dns.caa"},
		{"example.test", dns.TypeAAAA, "dns.ipv6.apex"},
		{"www.example.test", dns.TypeA, "dns.ttl.web"},
		{"mx1.example.test", dns.TypeAAAA, "dns.ipv6.mx"},
		{"ns2.dns-host.example", dns.TypeA, "dns.ipv6.ns"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			srv := dnstest.Start(t, mailZone)
			srv.Fail(tc.name, tc.qtype, dnstest.FailServFail)
			r := auditZone(t, srv, Options{})
			wantStatus(t, r, tc.id, Error)
		})
	}
}
