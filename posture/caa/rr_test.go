//go:build !js

package caa

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wire packs rr and unpacks it again: the record as a resolver would
// receive it, its value raw.
func wire(t *testing.T, rr dns.RR) Record {
	t.Helper()
	buf := make([]byte, dns.Len(rr)+512)
	off, err := dns.PackRR(rr, buf, 0, nil, false)
	require.NoError(t, err)
	back, _, err := dns.UnpackRR(buf[:off], 0)
	require.NoError(t, err)
	c := back.(*dns.CAA)
	return Record{Flags: c.Flag, Tag: c.Tag, Value: c.Value}
}

// TestMiekgAgrees parses every table case with miekg/dns too: both must
// read the same flags, tag and value, and put the same bytes on the wire.
func TestMiekgAgrees(t *testing.T) {
	for _, c := range parseCases {
		ours, err := Parse(c.text)
		require.NoError(t, err, "%q", c.text)
		line := "example.com. 3600 IN CAA " + c.text
		if strings.HasPrefix(c.text, "CAA ") || strings.HasPrefix(c.text, "IN CAA ") {
			line = "example.com. 3600 " + c.text
		}
		rr, err := dns.NewRR(line)
		require.NoError(t, err, "%q", c.text)
		require.NotNil(t, rr, "%q", c.text)
		theirs := rr.(*dns.CAA)
		assert.Equal(t, *ours, FromRR(theirs), "%q", c.text)
		assert.Equal(t, *ours, wire(t, theirs), "%q: wire", c.text)
		// Our presentation is theirs.
		assert.Equal(t, ours.String(), theirs.String()[len(theirs.Hdr.String()):], "%q", c.text)
	}
}

// TestMiekgDiffers lists where miekg/dns v1 accepts what RFC 8659 or RFC
// 1035 do not, and why Parse follows the RFC.
func TestMiekgDiffers(t *testing.T) {
	for _, c := range []struct {
		text, why string
		miekg     Record // what miekg/dns reads
	}{
		// RFC 8659, Section 4.1: tags MUST NOT contain other characters
		// than ASCII letters and digits. miekg/dns takes any token.
		{`0 is-sue "x"`, "tag with '-'", Record{0, "is-sue", "x"}},
		// RFC 8659, Section 4.1: the tag length MUST be at least 1.
		{`\# 2 0000`, "empty tag", Record{0, "", ""}},
		// RFC 1035, Section 5.1: \DDD is an octet; miekg/dns wraps 300 to
		// 44 (',').
		{`0 issue "a\300b"`, `\DDD over 255`, Record{0, "issue", "a,b"}},
		// RFC 1035, Section 5.1: a digit after '\' starts \DDD; miekg/dns
		// reads "\25" as the character '2' and then '5'.
		{`0 issue "a\25"`, `\DD`, Record{0, "issue", "a25"}},
	} {
		_, err := Parse(c.text)
		assert.ErrorIs(t, err, ErrSyntax, "%s: %q", c.why, c.text)
		rr, err := dns.NewRR("example.com. CAA " + c.text)
		require.NoError(t, err, "%s: %q", c.why, c.text)
		assert.Equal(t, c.miekg, wire(t, rr), "%s: %q", c.why, c.text)
	}

	// RFC 8659, Section 4.1.1: the value "is not limited to 255
	// characters". miekg/dns reads it as character-strings of at most 255
	// bytes and refuses a CAA value that needs more than one.
	long := Record{Tag: "issue", Value: "ca.example; x=" + strings.Repeat("a", 300)}
	back, err := Parse(long.String())
	require.NoError(t, err)
	assert.Equal(t, long, *back)
	_, err = dns.NewRR("example.com. CAA " + long.String())
	assert.Error(t, err)
	assert.Equal(t, long, wire(t, long.RR("example.com", 0))) // it packs it, though
	// ... up to 1025 bytes of escaped value.
	_, err = dns.PackRR(Record{Tag: "issue", Value: strings.Repeat("a", 1026)}.RR("example.com", 0), make([]byte, 4096), 0, nil, false)
	assert.Error(t, err)
}

func TestRR(t *testing.T) {
	for _, c := range parseCases {
		rr := c.want.RR("example.com", 300)
		assert.Equal(t, "example.com.", rr.Hdr.Name)
		assert.Equal(t, uint32(300), rr.Hdr.Ttl)
		assert.Equal(t, dns.TypeCAA, rr.Hdr.Rrtype)
		assert.Equal(t, c.want, FromRR(rr), "%q", c.text)
		assert.Equal(t, c.want, wire(t, rr), "%q: wire", c.text)
		// miekg/dns prints what Parse reads back.
		back, err := Parse(rr.String()[len(rr.Hdr.String()):])
		require.NoError(t, err)
		assert.Equal(t, c.want, *back)
	}
	// A backslash in a value survives the round trip through miekg/dns.
	r := Record{Tag: "issue", Value: `ca.example; x=a\b`}
	assert.Equal(t, r, wire(t, r.RR("example.com", 0)))
	assert.Equal(t, r, FromRR(r.RR("example.com", 0)))
	assert.Equal(t, `0 issue "ca.example; x=a\\b"`, r.RR("example.com", 0).String()[len("example.com.\t0\tIN\tCAA\t"):])
}
