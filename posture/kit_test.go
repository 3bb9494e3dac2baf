package posture

import (
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posturekit/posturekit/posture/dkim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/kit")

var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// ed25519Key is a fixed test key (RFC 8463, Appendix A.2's public key).
func ed25519Record(t *testing.T) string {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	rec, err := dkim.FromPublicKey(ed25519.NewKeyFromSeed(seed).Public())
	require.NoError(t, err)
	return rec.String()
}

// kits are the descriptions with golden outputs in testdata/kit.
func kits(t *testing.T) map[string]Domain {
	return map[string]Domain{
		"mail": {
			Name: "Example.COM.", MX: []string{"mx1.example.com", "mx2.mail-provider.example"},
			SPFInclude: []string{"_spf.mail-provider.example"}, SPFIP: []string{"192.0.2.0/24", "2001:db8::25"},
			Reports: []string{"dmarc@example.com", "mailto:reports@analytics.example"}, DMARCPolicy: "quarantine",
			MTASTSID: "20261122120000Z", CAs: []string{"letsencrypt.org", "sectigo.com"},
			Contact: []string{"mailto:security@example.com", "https://example.com/security"},
			DKIM:    []DKIMKey{{Selector: "s2026", Record: ed25519Record(t)}, {Selector: "rsa1", Record: rsaRecord}},
		},
		"nomail":  {Name: "parked.example", NoMail: true, CAs: []string{"letsencrypt.org"}, NoWildcard: true, Contact: []string{"mailto:abuse@registrar.example"}},
		"minimal": {Name: "bücher.example", MX: []string{"mx.bücher.example"}, Reports: []string{"postmaster@bücher.example"}, MTASTSID: "1", MTASTSHost: "sts.hosting.example", MTASTSMode: "testing"},
	}
}

func TestKitGolden(t *testing.T) {
	for name, d := range kits(t) {
		t.Run(name, func(t *testing.T) {
			k, err := Build(d, now)
			require.NoError(t, err)
			assert.False(t, k.Findings.HasErrors(), "every record the kit emits passes its validator: %v", k.Findings)
			r53, err := k.Route53()
			require.NoError(t, err)
			js, err := json.MarshalIndent(k, "", "  ")
			require.NoError(t, err)
			for ext, got := range map[string]string{"zone": k.Zone(), "route53.json": string(r53), "tf": k.Terraform(), "json": string(js) + "\n"} {
				path := filepath.Join("testdata", "kit", name+"."+ext)
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
					continue
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./posture -update to create the golden files")
				assert.Equal(t, string(want), got, "%s (run go test ./posture -update and review the diff)", path)
			}
		})
	}
}

func TestKitRecords(t *testing.T) {
	k, err := Build(kits(t)["mail"], now)
	require.NoError(t, err)
	byName := map[string]RR{}
	for _, rr := range k.Records {
		byName[rr.Name+" "+rr.Type] = rr
	}
	assert.Equal(t, []string{"10 mx1.example.com", "20 mx2.mail-provider.example"}, byName["example.com MX"].Values)
	assert.Equal(t, []string{"v=spf1 mx include:_spf.mail-provider.example ip4:192.0.2.0/24 ip6:2001:db8::25 -all"}, byName["example.com TXT"].Values)
	assert.Equal(t, []string{"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com,mailto:reports@analytics.example;"}, byName["_dmarc.example.com TXT"].Values)
	assert.Equal(t, []string{"v=STSv1; id=20261122120000Z;"}, byName["_mta-sts.example.com TXT"].Values)
	assert.Contains(t, byName["_smtp._tls.example.com TXT"].Values[0], "v=TLSRPTv1; rua=mailto:dmarc@example.com")
	assert.Contains(t, byName["s2026._domainkey.example.com TXT"].Values[0], "k=ed25519")
	assert.Greater(t, len(byName["rsa1._domainkey.example.com TXT"].Values[0]), 255, "a 2048-bit key needs several strings")
	assert.Len(t, byName["example.com CAA"].Values, 6, "issue and issuewild per CA, iodef per mailto: and https: contact")
	// Reports to another domain need its authorization record.
	require.Len(t, k.External, 1)
	assert.Equal(t, "example.com._report._dmarc.analytics.example", k.External[0].Name)
	// The policy file lists the MX hosts, with CRLF.
	require.Len(t, k.Files, 2)
	assert.Equal(t, "https://mta-sts.example.com/.well-known/mta-sts.txt", k.Files[0].URL)
	assert.Equal(t, "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.mail-provider.example\r\nmax_age: 2419200\r\n", k.Files[0].Content)
	assert.Contains(t, k.Files[1].Content, "Expires: 2027-11-21T12:00:00Z\r\n", "security.txt expires in less than a year")

	// A domain without mail: null MX, SPF -all, DMARC reject, revoked DKIM.
	k, err = Build(kits(t)["nomail"], now)
	require.NoError(t, err)
	var all []string
	for _, rr := range k.Records {
		all = append(all, rr.Name+" "+rr.Type+" "+strings.Join(rr.Values, " | "))
	}
	assert.Contains(t, all, "parked.example MX 0 .")
	assert.Contains(t, all, "parked.example TXT v=spf1 -all")
	assert.Contains(t, all, "_dmarc.parked.example TXT v=DMARC1; p=reject;")
	assert.Contains(t, all, "*._domainkey.parked.example TXT v=DKIM1; k=rsa; p=")
	assert.Contains(t, all, `parked.example CAA 0 issue "letsencrypt.org" | 0 issuewild ";" | 0 issuemail ";" | 0 iodef "mailto:abuse@registrar.example"`)
}

func TestKitErrors(t *testing.T) {
	for _, c := range []struct {
		d    Domain
		want string
	}{
		{Domain{}, "not a registrable domain"},
		{Domain{Name: "localhost", MX: []string{"a.example"}}, "not a registrable domain"},
		{Domain{Name: "example.com"}, "no mail"},
		{Domain{Name: "example.com", NoMail: true, MX: []string{"mx.example.com"}}, "without mail"},
		{Domain{Name: "example.com", MX: []string{"mx.example.com"}, DMARCPolicy: "block"}, "want none, quarantine or reject"},
		{Domain{Name: "example.com", MX: []string{"mx .example.com"}}, "MX host"},
		{Domain{Name: "example.com", MX: []string{"mx.example.com"}, SPFIP: []string{"300.1.1.1"}}, "SPF network"},
		{Domain{Name: "example.com", MX: []string{"mx.example.com"}, DKIM: []DKIMKey{{Selector: "s", Record: "v=DKIM1; p=notbase64!"}}}, "DKIM key"},
		{Domain{Name: "example.com", MX: []string{"mx.example.com"}, CAs: []string{"not a ca"}}, "CAA"},
		{Domain{Name: "example.com", MX: []string{"mx.example.com"}, MTASTSID: "not-an-id"}, "MTA-STS"},
	} {
		_, err := Build(c.d, now)
		if assert.Error(t, err, "%+v", c.d) {
			assert.ErrorIs(t, err, ErrDomain)
			assert.Contains(t, err.Error(), c.want)
		}
	}
}
