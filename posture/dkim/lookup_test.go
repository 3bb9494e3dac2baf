//go:build !js

package dkim

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

func TestLookup(t *testing.T) {
	big, err := FromPublicKey(rsaKey(t, 2048))
	require.NoError(t, err)
	require.Len(t, big.TXTStrings(), 2)
	srv := dnstest.Start(t, `
		$ORIGIN example.test.
		@                      SOA  ns hostmaster 1 3600 600 86400 300
		big._domainkey         TXT  `+big.ZoneValue()+`
		brisbane._domainkey    TXT  ( "v=DKIM1; k=ed25519; "
		                              "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" )
		rfc._domainkey         TXT  ( "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYt"
		                              "IxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhi"
		                              "tdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB" )
		old._domainkey         TXT  "v=DKIM1; p="
		two._domainkey         TXT  "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
		two._domainkey         TXT  "v=DKIM1; p="
		spaced._domainkey      TXT  "v=DKIM1;" "k=ed25519;" " p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
		broken._domainkey      TXT  "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHU"
		a._domainkey           A    192.0.2.1
	`)
	r := srv.Resolver()
	ctx := context.Background()

	// A 2048-bit key published with ZoneValue, as two strings, comes back
	// joined without spaces (RFC 6376, Section 3.6.2.2).
	rec, txts, err := Lookup(ctx, r, "big", "example.test.")
	require.NoError(t, err)
	assert.Equal(t, big.String(), txts[0])
	assert.Equal(t, big, rec)

	rec, _, err = Lookup(ctx, r, "brisbane", "example.test")
	require.NoError(t, err)
	assert.Equal(t, &KeyInfo{Type: KeyEd25519, Bits: 256, Format: FormatRaw}, rec.Key)
	rec, _, err = Lookup(ctx, r, "rfc", "example.test")
	require.NoError(t, err)
	assert.Equal(t, 1024, rec.Key.Bits)
	rec, _, err = Lookup(ctx, r, "spaced", "example.test")
	require.NoError(t, err)
	assert.Equal(t, KeyEd25519, rec.KeyType)

	// A revoked key is a record, not an error.
	rec, _, err = Lookup(ctx, r, "old", "example.test")
	require.NoError(t, err)
	assert.True(t, rec.Revoked())

	// Two records: failure (RFC 6376, Section 3.6.2.2; go-msgauth agrees).
	_, txts, err = Lookup(ctx, r, "two", "example.test")
	assert.ErrorIs(t, err, ErrMultipleRecords)
	assert.Len(t, txts, 2)

	_, _, err = Lookup(ctx, r, "broken", "example.test")
	assert.ErrorIs(t, err, ErrSyntax)
	_, _, err = Lookup(ctx, r, "a", "example.test") // NODATA
	assert.ErrorIs(t, err, ErrNoRecord)
	_, _, err = Lookup(ctx, r, "missing", "example.test") // NXDOMAIN
	assert.ErrorIs(t, err, ErrNoRecord)
	_, _, err = Lookup(ctx, r, "", "example.test")
	assert.Error(t, err)

	// A failed lookup is not "no key".
	srv.Fail("brisbane._domainkey.example.test.", dns.TypeTXT, dnstest.FailServFail)
	_, _, err = Lookup(ctx, r, "brisbane", "example.test")
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrNoRecord), "%v", err)
	var de *net.DNSError
	assert.True(t, errors.As(err, &de) && !de.IsNotFound, "%v", err)
}
