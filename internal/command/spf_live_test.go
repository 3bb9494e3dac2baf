//go:build !js

package command_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/posturekit/posturekit/internal/command"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/posture/spf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSPFCommand runs "spf DOMAIN" through the table, as the command line
// does, against an in-process DNS server.
func TestSPFCommand(t *testing.T) {
	srv := dnstest.Start(t, `
		$ORIGIN example.com.
		@          TXT "v=spf1 include:_spf.example.net mx -all"
		           MX  10 mail
		mail       A   192.0.2.25
		over       TXT "v=spf1 include:_spf.example.net include:_big.example.net a:nx1.example.com a:nx2.example.com a:nx3.example.com -all"
		$ORIGIN example.net.
		_spf       TXT "v=spf1 ip4:198.51.100.0/24 include:_spf2.example.net ~all"
		_spf2      TXT "v=spf1 ip6:2001:db8::/32 -all"
		_big       TXT "v=spf1 a:h1.example.net a:h2.example.net a:h3.example.net a:h4.example.net a:h5.example.net a:h6.example.net -all"
		h1         A   192.0.2.1
		h2         A   192.0.2.2
		h3         A   192.0.2.3
		h4         A   192.0.2.4
		h5         A   192.0.2.5
		h6         A   192.0.2.6
	`)
	c := command.Lookup("spf")
	require.NotNil(t, c, `no command "spf"`)
	run := func(domain string) *command.Output {
		t.Helper()
		in, err := command.NewInput(c, []string{domain}, map[string]any{"resolver": srv.Addr}, nil)
		require.NoError(t, err)
		out, err := c.Run(context.Background(), in)
		require.NoError(t, err)
		return out
	}

	out := run("Example.COM.")
	ev, ok := out.Value.(*spf.Evaluation)
	require.True(t, ok, "value is %T", out.Value)
	assert.False(t, out.Failed)
	assert.True(t, ev.Valid)
	assert.Equal(t, 3, ev.Lookups)
	assert.Equal(t, `domain: example.com
record: v=spf1 include:_spf.example.net mx -all
lookups: 3 of 10, void lookups: 0 of 2
  include:_spf.example.net  2 lookups
    ip4:198.51.100.0/24
    include:_spf2.example.net  1 lookup
      ip6:2001:db8::/32
      -all
    ~all
  mx  1 lookup, 1 MX name
  -all
valid
`, out.Text)

	// Over both limits: 2 + 1 + 6 + 3 = 12 lookups, 3 of them void.
	out = run("over.example.com")
	ev = out.Value.(*spf.Evaluation)
	assert.True(t, out.Failed)
	assert.Equal(t, 12, ev.Lookups)
	assert.Equal(t, 3, ev.VoidLookups)
	assert.True(t, ev.Findings.Has("spf.too_many_lookups"))
	assert.True(t, ev.Findings.Has("spf.too_many_void_lookups"))
	assert.Contains(t, out.Text, "  include:_big.example.net  7 lookups\n")
	assert.Contains(t, out.Text, "  a:nx3.example.com  1 lookup, void: found nothing\n")
	assert.Contains(t, out.Text, "invalid: 2 error(s)\n")

	// The JSON the faces print has the contract's names.
	b, err := json.Marshal(out.Value)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, float64(12), m["lookups"])
	assert.Equal(t, float64(3), m["void_lookups"])
	assert.Equal(t, false, m["valid"])

	// A name that is not a domain is a usage error.
	in, err := command.NewInput(c, []string{"not a domain"}, nil, nil)
	require.NoError(t, err)
	_, err = c.Run(context.Background(), in)
	assert.True(t, command.IsUsage(err), "%v", err)
}

// TestRecordValidateSPF runs "record validate spf" on a record's text.
func TestRecordValidateSPF(t *testing.T) {
	c := command.Lookup("record validate")
	require.NotNil(t, c)
	for _, tc := range []struct {
		text   string
		failed bool
		code   string
	}{
		{"v=spf1 ip4:192.0.2.0/24 -all", false, ""},
		{"v=spf1 +all", true, "spf.pass_all"},
		{"v=spf1 a:192.0.2.1 -all", true, "spf.domain_invalid"},
		{"v=spf1mx", true, "spf.not_spf"},
	} {
		in, err := command.NewInput(c, []string{"spf", tc.text}, nil, nil)
		require.NoError(t, err)
		out, err := c.Run(context.Background(), in)
		require.NoError(t, err)
		res := out.Value.(*command.RecordResult)
		assert.Equal(t, tc.failed, out.Failed, tc.text)
		assert.Equal(t, !tc.failed, res.Valid, tc.text)
		if tc.code != "" {
			assert.True(t, res.Findings.Has(tc.code), "%s: %v", tc.text, res.Findings)
		}
		if tc.code == "spf.domain_invalid" || tc.code == "spf.not_spf" {
			assert.Nil(t, res.Record, tc.text)
		} else {
			assert.IsType(t, &spf.Record{}, res.Record, tc.text)
		}
	}
}
