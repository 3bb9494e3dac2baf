package dkim

import (
	"strings"
	"testing"

	"github.com/posturekit/posturekit/finding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	codes := func(txt string) map[string]finding.Severity {
		t.Helper()
		_, l := Check(txt)
		m := map[string]finding.Severity{}
		for _, f := range l {
			m[f.Code] = f.Severity
			assert.NotEmpty(t, f.Message)
			assert.True(t, strings.HasPrefix(f.Code, "dkim."), f.Code)
			assert.True(t, strings.HasPrefix(f.RFC, "RFC "), f.Code)
		}
		return m
	}
	has := func(txt, code string, sev finding.Severity) {
		t.Helper()
		m := codes(txt)
		if assert.Contains(t, m, code, "%q", txt) {
			assert.Equal(t, sev, m[code], "severity of %s in %q", code, txt)
		}
	}
	only := func(txt string, want ...string) {
		t.Helper()
		got := []string{}
		for c := range codes(txt) {
			got = append(got, c)
		}
		if want == nil {
			want = []string{}
		}
		assert.ElementsMatch(t, want, got, "%q", txt)
	}
	ed := "k=ed25519; p=" + rfc8463Key

	// A clean Ed25519 record; the RFC's RSA key is only 1024 bits.
	r, l := Check("v=DKIM1; " + ed)
	assert.Empty(t, l)
	assert.NotNil(t, r)
	only("v=DKIM1; p="+rfcRSA, "dkim.key_short")

	// Syntax errors are errors, and the record is nil.
	for _, c := range []struct{ txt, code string }{
		{"", "dkim.syntax"},
		{"v=DKIM1", "dkim.key_missing"},
		{"v=DKIM1; p=; p=", "dkim.duplicate_tag"},
		{"k=rsa; v=DKIM1; p=", "dkim.version_not_first"},
		{"v=DKIM2; p=", "dkim.version_invalid"},
		{"v=DKIM1; p=!!", "dkim.key_invalid"},
		{"v=DKIM1; k=ed25519; p=" + rfc8463KeySPKI, "dkim.key_invalid"},
	} {
		r, l := Check(c.txt)
		assert.Nil(t, r, "%q", c.txt)
		assert.True(t, l.Has(c.code), "%q: %v", c.txt, l)
		assert.True(t, l.HasErrors())
	}
	// Every bad tag is reported, and a malformed p= does not also count
	// as a missing one.
	_, l = Check("v=DKIM1; k=-; h=:; p=\x01")
	assert.Len(t, l, 3, "%v", l)
	assert.False(t, l.Has("dkim.key_missing"))

	// The fix for an Ed25519 key in SubjectPublicKeyInfo form is the raw key.
	_, l = Check("v=DKIM1; k=ed25519; p=" + rfc8463KeySPKI)
	require.Len(t, l, 1)
	assert.Equal(t, "p="+rfc8463Key, l[0].Fix)
	assert.Equal(t, "RFC 8463, Section 4.2", l[0].RFC)

	only(ed, "dkim.version_missing") // RECOMMENDED
	has(ed, "dkim.version_missing", finding.Info)
	has("v=DKIM1; p=", "dkim.key_revoked", finding.Warning)
	only("v=DKIM1; k=ed25519; p=", "dkim.key_revoked")
	has("v=DKIM1; k=ecdsa; p=AAAA", "dkim.key_type_unknown", finding.Error) // verifiers ignore the key
	has("v=DKIM1; k=RSA; p=AAAA", "dkim.key_type_unknown", finding.Error)
	has("v=DKIM1; k=ed25519; p="+strings.TrimRight(rfc8463Key, "="), "dkim.key_padding", finding.Warning)
	has("v=DKIM1; h=sha1:sha256; "+ed, "dkim.hash_sha1", finding.Warning)
	has("v=DKIM1; h=sha1; "+ed, "dkim.hash_none", finding.Error) // RFC 8301, Section 3.1
	has("v=DKIM1; h=sha512; "+ed, "dkim.hash_none", finding.Error)
	has("v=DKIM1; h=sha512:sha256; "+ed, "dkim.hash_unknown", finding.Info)
	only("v=DKIM1; h=sha256; " + ed)
	only("v=DKIM1; s=*; " + ed)
	only("v=DKIM1; s=email:tlsrpt; " + ed)
	// TLS-RPT report receivers need s=tlsrpt or * (RFC 8460, Section 3).
	has("v=DKIM1; s=email; "+ed, "dkim.service_no_tlsrpt", finding.Info)
	has("v=DKIM1; s=tlsrpt; "+ed, "dkim.service_not_email", finding.Info)
	has("v=DKIM1; s=x-other; "+ed, "dkim.service_not_email", finding.Warning)
	has("v=DKIM1; s=x-other; "+ed, "dkim.service_unknown", finding.Info)
	has("v=DKIM1; t=y; "+ed, "dkim.testing", finding.Warning)
	only("v=DKIM1; t=s; " + ed)
	has("v=DKIM1; t=s:z; "+ed, "dkim.flag_unknown", finding.Info)
	has("v=DKIM1; x=1; "+ed, "dkim.unknown_tag", finding.Info)
	has("v=DKIM1; K=ed25519; p="+rfcRSA, "dkim.unknown_tag", finding.Warning) // tag names are case-sensitive
	has("V=DKIM1; "+ed, "dkim.unknown_tag", finding.Warning)
	has("v=DKIM1; g=*; "+ed, "dkim.unknown_tag", finding.Info) // RFC 4871's g= is gone
}

func TestValidate(t *testing.T) {
	r := &Record{KeyType: KeyEd25519, PublicKey: rfc8463Key}
	assert.Empty(t, r.Validate())
	assert.Equal(t, "v=DKIM1; k=ed25519; p="+rfc8463Key, r.String())
	r.Flags = []Flag{FlagTesting}
	assert.True(t, r.Validate().Has("dkim.testing"))
	assert.True(t, (&Record{}).Validate().Has("dkim.key_revoked"))
	assert.True(t, (&Record{PublicKey: rfc8463Key}).Validate().Has("dkim.key_invalid"))
	assert.True(t, (&Record{PublicKey: "AAAA", Notes: "a;b"}).Validate().HasErrors())
}

func TestTXTStrings(t *testing.T) {
	// A 2048-bit key is about 400 bytes: two strings.
	rec, err := FromPublicKey(rsaKey(t, 2048))
	require.NoError(t, err)
	s := rec.String()
	parts := rec.TXTStrings()
	require.Len(t, parts, 2)
	assert.Len(t, parts[0], 255)
	assert.Equal(t, s, strings.Join(parts, ""))
	zv := rec.ZoneValue()
	assert.Equal(t, `"`+parts[0]+`" "`+parts[1]+`"`, zv)
	assert.True(t, strings.HasPrefix(zv, `"v=DKIM1; k=rsa; p=MIIB`), zv)

	// A short record is one string.
	rec = &Record{KeyType: KeyEd25519, PublicKey: rfc8463Key}
	assert.Equal(t, []string{rec.String()}, rec.TXTStrings())
	assert.Equal(t, `"v=DKIM1; k=ed25519; p=`+rfc8463Key+`"`, rec.ZoneValue())

	// Exactly 255 bytes is one string; 256 is two.
	rec = &Record{KeyType: KeyEd25519, PublicKey: rfc8463Key, Notes: strings.Repeat("x", 255-len(rec.String())-len("; n="))}
	assert.Len(t, rec.String(), 255)
	assert.Len(t, rec.TXTStrings(), 1)
	rec.Notes += "x"
	assert.Len(t, rec.TXTStrings(), 2)

	// Quotes and backslashes are escaped in the zone form (RFC 1035,
	// Section 5.1); so are bytes a valid record cannot hold.
	rec = &Record{KeyType: KeyEd25519, PublicKey: rfc8463Key, Notes: `say "hi" \o/`}
	assert.Equal(t, `"v=DKIM1; k=ed25519; n=say \"hi\" \\o/; p=`+rfc8463Key+`"`, rec.ZoneValue())
	rec.Notes = "\x01\xff"
	assert.Contains(t, rec.ZoneValue(), `n=\001\255;`)
}

func TestRecordName(t *testing.T) {
	assert.Equal(t, "brisbane._domainkey.example.com", RecordName("brisbane", "example.com."))
	assert.Equal(t, "s1.2024._domainkey.example.com", RecordName("s1.2024", "example.com"))
}
