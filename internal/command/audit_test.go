//go:build !js

package command_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/internal/command"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/internal/testpki"
	"github.com/posturekit/posturekit/posture/audit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// auditZone has a mail domain with its records and one with nothing. No
// addresses: the web checks find no site and end at once.
const auditZone = `
	$ORIGIN example.com.
	@          SOA  ns1 hostmaster 1 7200 3600 1209600 300
	           NS   ns1
	           NS   ns2
	           MX   10 mail
	           TXT  "v=spf1 mx -all"
	_dmarc     TXT  "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
	$ORIGIN example.org.
	@          SOA  ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300
`

// runAuditCmd runs "audit" through the table as the command line does.
func runAuditCmd(t *testing.T, args []string, flags map[string]any, color bool) (*command.Output, error) {
	t.Helper()
	c := command.Lookup("audit")
	require.NotNil(t, c, `no command "audit"`)
	in, err := command.NewInput(c, args, flags, func(name string) (io.ReadCloser, error) {
		if name == "-" {
			return io.NopCloser(strings.NewReader("")), nil
		}
		return os.Open(name)
	})
	if err != nil {
		return nil, err
	}
	in.Color = color
	return c.Run(context.Background(), in)
}

func TestAuditCommand(t *testing.T) {
	srv := dnstest.Start(t, auditZone)
	flags := map[string]any{"resolver": []string{srv.Addr}, "timeout": "20s"}

	out, err := runAuditCmd(t, []string{"Example.COM."}, flags, false)
	require.NoError(t, err)
	rep, ok := out.Value.(*audit.Report)
	require.True(t, ok, "value is %T", out.Value)
	assert.Equal(t, "example.com", rep.Domain)
	assert.NotEmpty(t, rep.Checks)
	assert.False(t, out.Failed, "no --fail-on: the exit status does not depend on the findings")
	var text strings.Builder
	require.NoError(t, rep.WriteText(&text, false))
	assert.Equal(t, text.String(), out.Text)
	assert.True(t, strings.HasPrefix(out.Text, "example.com  grade "+rep.Grade), out.Text)
	assert.NotContains(t, out.Text, "\x1b[")

	// The JSON the faces print has the contract's names.
	b, err := json.Marshal(out.Value)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"domain", "score", "grade", "areas", "checks"} {
		assert.Contains(t, m, k)
	}

	// Colour when the command line says its output takes it.
	out, err = runAuditCmd(t, []string{"example.com"}, flags, true)
	require.NoError(t, err)
	assert.Contains(t, out.Text, "\x1b[1mexample.com\x1b[0m")

	// Markdown.
	out, err = runAuditCmd(t, []string{"example.com"}, map[string]any{"resolver": []string{srv.Addr}, "markdown": true}, false)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(out.Text, "## posturekit audit: example\\.com\n"), out.Text)
	assert.Contains(t, out.Text, "| status | check | finding |")

	// --fail-on: a domain with no records at all warns and fails.
	for _, tc := range []struct {
		failOn string
		want   func(*audit.Report) bool
	}{
		{"warn", func(r *audit.Report) bool { return r.AtLeast(audit.Warn) }},
		{"fail", func(r *audit.Report) bool { return r.AtLeast(audit.Fail) }},
	} {
		for _, domain := range []string{"example.com", "example.org"} {
			out, err := runAuditCmd(t, []string{domain}, map[string]any{"resolver": []string{srv.Addr}, "fail-on": tc.failOn}, false)
			require.NoError(t, err)
			assert.Equal(t, tc.want(out.Value.(*audit.Report)), out.Failed, "%s --fail-on %s", domain, tc.failOn)
			if domain == "example.org" {
				assert.True(t, out.Failed, "example.org has no SPF, no DMARC, nothing: --fail-on %s", tc.failOn)
			}
		}
	}
}

func TestAuditCommandUsage(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644))
	list := filepath.Join(dir, "domains.txt")
	require.NoError(t, os.WriteFile(list, []byte("example.com\n"), 0o644))
	for _, tc := range []struct {
		args  []string
		flags map[string]any
		want  string
		usage bool
	}{
		{nil, nil, "audit: give the DOMAIN to audit, or --from-file FILE", true},
		{[]string{"example.com"}, map[string]any{"from-file": list}, "audit: give a DOMAIN or --from-file, not both", true},
		{[]string{"example.com"}, map[string]any{"fail-on": "info"}, `audit: --fail-on "info": want warn or fail`, true},
		{[]string{"example.com"}, map[string]any{"timeout": "soon"}, `audit: --timeout "soon": want a duration such as 30s`, true},
		{[]string{"example.com"}, map[string]any{"timeout": "-1s"}, `audit: --timeout "-1s"`, true},
		{nil, map[string]any{"from-file": list, "concurrency": 0}, "audit: --concurrency 0: want 1 to 1000", true},
		{[]string{"example.com"}, map[string]any{"resolver": []string{"127.0.0.1:99999"}}, `audit: --resolver "127.0.0.1:99999": port "99999": want 1 to 65535`, true},
		{[]string{"example.com"}, map[string]any{"resolver": []string{":53"}}, `audit: --resolver ":53": want HOST:PORT`, true},
		{[]string{"example.com"}, map[string]any{"dkim-selector": []string{"a b"}}, `audit: --dkim-selector "a b"`, true},
		{[]string{"exa mple.com"}, nil, `audit: domain "exa mple.com"`, true},
		{[]string{"example.com"}, map[string]any{"ca-file": filepath.Join(dir, "missing.pem")}, "--ca-file: ", false},
		{[]string{"example.com"}, map[string]any{"ca-file": notPEM}, "--ca-file " + notPEM + ": ", false},
		{nil, map[string]any{"from-file": filepath.Join(dir, "missing.txt")}, "missing.txt", false},
	} {
		out, err := runAuditCmd(t, tc.args, tc.flags, false)
		if assert.Error(t, err, "%v %v", tc.args, tc.flags) {
			assert.Nil(t, out)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, tc.usage, command.IsUsage(err), "%v: usage error?", err)
		}
	}
}

func TestAuditCommandCAFile(t *testing.T) {
	// A good CA file is accepted (the audit then runs with it).
	ca := testpki.New(t)
	path := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(path, ca.PEM(), 0o644))
	srv := dnstest.Start(t, auditZone)
	out, err := runAuditCmd(t, []string{"example.com"}, map[string]any{"resolver": []string{srv.Addr}, "ca-file": path}, false)
	require.NoError(t, err)
	assert.Equal(t, "example.com", out.Value.(*audit.Report).Domain)
}

func TestAuditCommandBulk(t *testing.T) {
	srv := dnstest.Start(t, auditZone)
	list := filepath.Join(t.TempDir(), "domains.txt")
	require.NoError(t, os.WriteFile(list, []byte("# our domains\nexample.com\n\n  Example.ORG  \nnot a domain\n"), 0o644))
	flags := func(extra map[string]any) map[string]any {
		m := map[string]any{"resolver": []string{srv.Addr}, "from-file": list, "concurrency": 2}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}

	out, err := runAuditCmd(t, nil, flags(nil), false)
	require.NoError(t, err)
	require.NotNil(t, out.Stream, "a bulk audit streams")
	var b bytes.Buffer
	failed, err := out.Stream(&b, true)
	require.NoError(t, err)
	assert.False(t, failed)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 3, b.String())
	got := map[string]map[string]any{}
	for _, l := range lines {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), "each line is one JSON object: %s", l)
		got[m["domain"].(string)] = m
	}
	assert.Contains(t, got, "example.com")
	assert.Contains(t, got, "example.org")
	assert.Contains(t, got["example.com"], "grade")
	assert.Contains(t, got["example.com"], "checks")
	assert.Equal(t, `audit: domain "not a domain": idna: disallowed rune U+0020`, got["not a domain"]["error"])

	// Text: one line per domain.
	out, err = runAuditCmd(t, nil, flags(nil), false)
	require.NoError(t, err)
	b.Reset()
	failed, err = out.Stream(&b, false)
	require.NoError(t, err)
	assert.False(t, failed)
	assert.Equal(t, 3, strings.Count(b.String(), "\n"))
	assert.Contains(t, b.String(), "example.org: grade ")
	assert.Contains(t, b.String(), "not a domain: could not audit: ")

	// --fail-on fail: example.org fails, and a domain that could not be
	// audited counts as a fail too.
	out, err = runAuditCmd(t, nil, flags(map[string]any{"fail-on": "fail"}), false)
	require.NoError(t, err)
	failed, err = out.Stream(io.Discard, true)
	require.NoError(t, err)
	assert.True(t, failed)

	// Markdown: one report per domain.
	out, err = runAuditCmd(t, nil, flags(map[string]any{"markdown": true}), false)
	require.NoError(t, err)
	b.Reset()
	_, err = out.Stream(&b, false)
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(b.String(), "## posturekit audit: "))
	assert.Contains(t, b.String(), "## posturekit audit: not a domain\n\nCould not audit: ")
}

func TestAuditCommandBulkLongLine(t *testing.T) {
	list := filepath.Join(t.TempDir(), "domains.txt")
	require.NoError(t, os.WriteFile(list, []byte(strings.Repeat("a", 5000)+"\n"), 0o644))
	out, err := runAuditCmd(t, nil, map[string]any{"resolver": []string{"127.0.0.1:1"}, "from-file": list}, false)
	require.NoError(t, err)
	_, err = out.Stream(io.Discard, true)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "domains.txt: a line is longer than 4096 bytes")
}
