package dmarc

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestString(t *testing.T) {
	for _, tc := range []struct {
		rec  Record
		want string
	}{
		{Record{}, "v=DMARC1;"},
		{*NoMail(), "v=DMARC1; p=reject;"},
		{*Recommended("dmarc@example.com"), "v=DMARC1; p=none; rua=mailto:dmarc@example.com;"},
		{*New(PolicyQuarantine, "mailto:a@example.com", " b@example.net ", ""), "v=DMARC1; p=quarantine; rua=mailto:a@example.com,mailto:b@example.net;"},
		// v first, then p, then the others in a fixed order.
		{Record{Unknown: []Tag{{"x", "1"}}, PSD: PSDNo, Testing: true, SPFAlignment: AlignmentStrict, DKIMAlignment: AlignmentStrict,
			FailureOptions: []FailureOption{FailureAny, FailureDKIM}, FailureReports: mailto("f@example.com"), AggregateReports: mailto("a@example.com"),
			NonexistentPolicy: PolicyReject, SubdomainPolicy: PolicyQuarantine, Policy: PolicyNone},
			"v=DMARC1; p=none; sp=quarantine; np=reject; rua=mailto:a@example.com; ruf=mailto:f@example.com; fo=1:d; adkim=s; aspf=s; t=y; psd=n; x=1;"},
		// Defaults are left out.
		{Record{Policy: PolicyReject, DKIMAlignment: AlignmentRelaxed, SPFAlignment: AlignmentRelaxed, FailureOptions: []FailureOption{FailureAll},
			PSD: PSDUnknown, Percent: ptr(100), ReportInterval: ptr(uint32(86400)), ReportFormat: []string{"afrf"}},
			"v=DMARC1; p=reject;"},
		{Record{Policy: PolicyReject, Percent: ptr(0), ReportInterval: ptr(uint32(3600)), ReportFormat: []string{"afrf", "iodef"}},
			"v=DMARC1; p=reject; pct=0; rf=afrf:iodef; ri=3600;"},
		{Record{Policy: PolicyReject, AggregateReports: []ReportURI{{URI: "mailto:a@example.com", Size: "10m"}, {URI: "https://r.example/x"}}},
			"v=DMARC1; p=reject; rua=mailto:a@example.com!10m,https://r.example/x;"},
	} {
		assert.Equal(t, tc.want, tc.rec.String())
		// What String writes parses back to the same text.
		rec, _, err := Parse(tc.want)
		if assert.NoError(t, err, tc.want) {
			assert.Equal(t, tc.want, rec.String())
		}
	}
}

func TestBuilders(t *testing.T) {
	// The kit's record for a domain without mail: no errors; no reports
	// is worth knowing, no more.
	assert.Equal(t, []string{"info dmarc.rua_missing"}, sevCodes(NoMail().Validate()))
	// The first step of a deployment: monitoring, which Check says.
	assert.Equal(t, []string{"warning dmarc.policy_none"}, sevCodes(Recommended("dmarc@example.com").Validate()))
	assert.Empty(t, New(PolicyReject, "dmarc@example.com").Validate())
	assert.Equal(t, PolicyReject, New(PolicyReject).Policy)
	assert.Nil(t, New(PolicyReject).AggregateReports)
}

func TestPolicyFor(t *testing.T) {
	type want struct{ self, sub, nx Policy }
	for txt, w := range map[string]want{
		"v=DMARC1; p=reject":                            {PolicyReject, PolicyReject, PolicyReject},
		"v=DMARC1; p=reject; sp=quarantine":             {PolicyReject, PolicyQuarantine, PolicyQuarantine}, // np -> sp
		"v=DMARC1; p=quarantine; np=reject":             {PolicyQuarantine, PolicyQuarantine, PolicyReject}, // sp -> p
		"v=DMARC1; p=none; sp=quarantine; np=reject":    {PolicyNone, PolicyQuarantine, PolicyReject},
		"v=DMARC1; rua=mailto:d@example.com":            {PolicyNone, PolicyNone, PolicyNone}, // missing p reads as none
		"v=DMARC1; rua=mailto:d@example.com; sp=reject": {PolicyNone, PolicyReject, PolicyReject},
	} {
		rec, _, err := Parse(txt)
		require.NoError(t, err, txt)
		assert.Equal(t, w.self, rec.PolicyFor(false, true), "%s: domain", txt)
		assert.Equal(t, w.self, rec.PolicyFor(false, false), "%s: domain", txt)
		assert.Equal(t, w.sub, rec.PolicyFor(true, true), "%s: existing subdomain", txt)
		assert.Equal(t, w.nx, rec.PolicyFor(true, false), "%s: non-existent subdomain", txt)
	}
	assert.Equal(t, Policy(""), (&Record{Policy: "bad"}).PolicyFor(false, true))
}

func TestRecordJSON(t *testing.T) {
	rec, _, err := Parse("v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com!10m; t=y; pct=50; foo=bar")
	require.NoError(t, err)
	b, err := json.Marshal(rec)
	require.NoError(t, err)
	assert.JSONEq(t, `{"v":"DMARC1","p":"reject","sp":"none","rua":[{"uri":"mailto:d@example.com","size":"10m"}],"t":true,"pct":50,"unknown":[{"name":"foo","value":"bar"}]}`, string(b))
	var back Record
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, *rec, back)
}

func TestRecordName(t *testing.T) {
	assert.Equal(t, "_dmarc.example.com", RecordName("example.com."))
}
