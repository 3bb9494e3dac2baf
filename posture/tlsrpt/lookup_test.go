//go:build !js

package tlsrpt

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const zone = `
$ORIGIN example.test.
@              SOA  ns hostmaster 1 3600 600 86400 300
_smtp._tls     TXT  "v=TLSRPTv1; rua=mailto:tlsrpt@example.test"
_smtp._tls     TXT  "some-verification=1"
_smtp._tls.two TXT  "v=TLSRPTv1; rua=mailto:a@example.test"
_smtp._tls.two TXT  "v=TLSRPTv1; rua=mailto:b@example.test"
_smtp._tls.bad TXT  "v=TLSRPTv1; rua=tlsrpt@example.test"
_smtp._tls.split TXT "v=TLSRPTv1;" " rua=mailto:a@example.test," "https://r.example.test/v1"
_smtp._tls.spf TXT  "v=spf1 -all"
only-a         A    192.0.2.1
`

func TestLookup(t *testing.T) {
	srv := dnstest.Start(t, zone)
	r := srv.Resolver()
	ctx := context.Background()

	rec, txts, err := Lookup(ctx, r, "example.test.")
	require.NoError(t, err)
	assert.Equal(t, []string{"mailto:tlsrpt@example.test"}, rec.RUA)
	assert.Len(t, txts, 2)

	// The strings of one record are joined without spaces (RFC 8460,
	// Section 3).
	rec, _, err = Lookup(ctx, r, "split.example.test")
	require.NoError(t, err)
	assert.Equal(t, []string{"mailto:a@example.test", "https://r.example.test/v1"}, rec.RUA)

	_, _, err = Lookup(ctx, r, "two.example.test")
	assert.ErrorIs(t, err, ErrMultipleRecords)
	_, _, err = Lookup(ctx, r, "bad.example.test")
	assert.ErrorIs(t, err, ErrSyntax)
	_, txts, err = Lookup(ctx, r, "spf.example.test")
	assert.ErrorIs(t, err, ErrNoRecord) // TXT records, none of them TLS-RPT
	assert.Equal(t, []string{"v=spf1 -all"}, txts)
	_, _, err = Lookup(ctx, r, "only-a.example.test") // NODATA
	assert.ErrorIs(t, err, ErrNoRecord)
	_, _, err = Lookup(ctx, r, "nonexistent.example.test") // NXDOMAIN
	assert.ErrorIs(t, err, ErrNoRecord)

	// A failed lookup is not "no record".
	srv.Fail("_smtp._tls.example.test.", dns.TypeTXT, dnstest.FailServFail)
	_, _, err = Lookup(ctx, r, "example.test")
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrNoRecord), "%v", err)
	var de *net.DNSError
	assert.True(t, errors.As(err, &de) && !de.IsNotFound, "%v", err)
}
