package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/internal/testpki"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listen443 listens on port 443 of a random 127/8 address, as the check
// dials mta-sts.DOMAIN on 443 like every sender. It needs root (CI has it).
func listen443(t *testing.T) (net.Listener, string) {
	t.Helper()
	var b [3]byte
	for range 5 {
		rand.Read(b[:])
		ip := fmt.Sprintf("127.%d.%d.%d", b[0], b[1], b[2]%254+1)
		ln, err := net.Listen("tcp", ip+":443")
		if err == nil {
			return ln, ip
		}
		if strings.Contains(err.Error(), "permission denied") {
			t.Skip("binding port 443 needs root:", err)
		}
	}
	t.Skip("no free 127/8 address on port 443")
	return nil, ""
}

func TestMTASTSCheckCommand(t *testing.T) {
	ln, ip := listen443(t)
	ca := testpki.New(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, ca.PEM(), 0o600))
	srv := &http.Server{
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{ca.Issue(t, "mta-sts.example.test")}},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmax_age: 2419200\r\n"))
		}),
		ErrorLog: log.New(io.Discard, "", 0), // the untrusted-CA case logs a handshake error
	}
	go srv.ServeTLS(ln, "", "")
	t.Cleanup(func() { srv.Close() })

	dns := dnstest.Start(t, `
		$ORIGIN example.test.
		@          MX   10 mx1
		_mta-sts   TXT  "v=STSv1; id=1;"
		_smtp._tls TXT  "v=TLSRPTv1; rua=mailto:r@example.test"
		mta-sts    A    `+ip+`
	`)
	cli := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	code, out, errOut := cli("mtasts", "check", "--json", "--resolver", dns.Addr, "--ca-file", caFile, "--allow-private", "example.test")
	require.Equal(t, 0, code, "stdout %s\nstderr %s", out, errOut)
	var rep struct {
		Valid    bool
		Record   struct{ ID string }
		Policy   struct{ Mode string }
		MX       []string
		Findings []struct{ Code string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.True(t, rep.Valid)
	assert.Equal(t, "1", rep.Record.ID)
	assert.Equal(t, "enforce", rep.Policy.Mode)
	assert.Equal(t, []string{"mx1.example.test"}, rep.MX)

	// Loopback is refused without --allow-private.
	code, out, _ = cli("mtasts", "check", "--resolver", dns.Addr, "--ca-file", caFile, "example.test")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "mtasts.policy_private_address")

	// Without the CA, the certificate is not trusted.
	code, out, _ = cli("mtasts", "check", "--resolver", dns.Addr, "--allow-private", "example.test")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "mtasts.policy_certificate")

	// An MX host the policy does not cover is an error in enforce mode.
	require.NoError(t, dns.SetZone(`
		$ORIGIN example.test.
		@          MX   10 mx1
		@          MX   20 mx2
		_mta-sts   TXT  "v=STSv1; id=1;"
		mta-sts    A    `+ip+`
	`))
	code, out, _ = cli("mtasts", "check", "--resolver", dns.Addr, "--ca-file", caFile, "--allow-private", "example.test")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "mtasts.mx_not_covered")
	assert.Contains(t, out, "mtasts.tlsrpt_missing")

	// Usage errors exit 2.
	code, _, errOut = cli("mtasts", "check", "--timeout", "soon", "example.test")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--timeout")
	code, _, errOut = cli("mtasts", "check", "not a domain")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not a domain name")
	code, _, errOut = cli("mtasts", "check", "--ca-file", "/nonexistent.pem", "example.test")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "nonexistent.pem")
}
