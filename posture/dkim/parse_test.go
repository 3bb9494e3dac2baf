package dkim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rfcRSA is the 1024-bit RSA example key of RFC 6376 (Appendix C; the key
// of brisbane._domainkey.example.com in its examples).
const rfcRSA = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYt" +
	"IxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhi" +
	"tdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB"

// rfc8463Key is the Ed25519 example key of RFC 8463, Appendix A.2
// (brisbane._domainkey.football.example.com), the public key of RFC 8032's
// first test vector.
const rfc8463Key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

// rfc8463KeySPKI is the same key wrapped in SubjectPublicKeyInfo, the usual
// mistake (openssl pkey -pubout gives it).
const rfc8463KeySPKI = "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

func TestParse(t *testing.T) {
	good := func(txt string, want Record) {
		t.Helper()
		r, err := Parse(txt)
		if !assert.NoError(t, err, "%q", txt) {
			return
		}
		if want.Version == "" {
			want.Version = Version
		}
		if want.KeyType == "" {
			want.KeyType = KeyRSA
		}
		if want.Key == nil {
			want.Key = r.Key // checked elsewhere
		}
		assert.Equal(t, want, *r, "%q", txt)
	}
	bad := func(txt string, off int, contains string) {
		t.Helper()
		_, err := Parse(txt)
		var se *SyntaxError
		if !assert.ErrorAs(t, err, &se, "%q", txt) {
			return
		}
		assert.ErrorIs(t, err, ErrSyntax)
		assert.Equal(t, off, se.Offset, "offset in %q: %v", txt, err)
		assert.Contains(t, err.Error(), contains, "%q", txt)
	}
	rsa1024 := &KeyInfo{Type: KeyRSA, Bits: 1024, Format: FormatSPKI}
	ed := &KeyInfo{Type: KeyEd25519, Bits: 256, Format: FormatRaw}

	// The example keys of RFC 6376, Appendix C and RFC 8463, Appendix A.2.
	good("v=DKIM1; p="+rfcRSA, Record{PublicKey: rfcRSA, Key: rsa1024})
	good("v=DKIM1; k=ed25519; p="+rfc8463Key, Record{KeyType: KeyEd25519, PublicKey: rfc8463Key, Key: ed})
	// v= is optional; the tags may come in any order after it.
	good("p="+rfcRSA, Record{PublicKey: rfcRSA, Key: rsa1024})
	good("p="+rfc8463Key+"; k=ed25519", Record{KeyType: KeyEd25519, PublicKey: rfc8463Key, Key: ed})
	// FWS around tags, around '=' and inside the base64 (RFC 6376, Section
	// 3.2 and 3.6.1). go-msgauth removes only spaces from p=, so it fails
	// on the tab and line breaks here; the RFC allows them.
	good(" v = DKIM1 ;\tk=rsa;\r\n p = "+rfcRSA[:40]+" \r\n\t"+rfcRSA[40:100]+"\t"+rfcRSA[100:]+" ; ", Record{PublicKey: rfcRSA, Key: rsa1024})
	// A final ';' and nothing after it.
	good("v=DKIM1; p="+rfcRSA+";", Record{PublicKey: rfcRSA, Key: rsa1024})
	// An empty p= is a revoked key: a valid record (RFC 6376, Section 3.6.1).
	good("v=DKIM1; p=", Record{})
	good("v=DKIM1; k=ed25519; p= ;", Record{KeyType: KeyEd25519})
	// The other tags of RFC 6376, Section 3.6.1, with FWS around ':'.
	good("v=DKIM1; h=sha256 : sha1; s=email:tlsrpt; t=y:s; n=Hello=20world; p="+rfcRSA,
		Record{Hashes: []HashAlgorithm{HashSHA256, HashSHA1}, Services: []Service{ServiceEmail, ServiceTLSRPT},
			Flags: []Flag{FlagTesting, FlagStrict}, Notes: "Hello=20world", PublicKey: rfcRSA, Key: rsa1024})
	good("s=*; p="+rfcRSA, Record{Services: []Service{ServiceAll}, PublicKey: rfcRSA, Key: rsa1024})
	// Unknown values in lists are ignored by verifiers, not errors.
	good("h=sha512; t=x-future; s=x-new; p="+rfcRSA,
		Record{Hashes: []HashAlgorithm{"sha512"}, Flags: []Flag{"x-future"}, Services: []Service{"x-new"}, PublicKey: rfcRSA, Key: rsa1024})
	// Unknown tags are kept; tag names are case-sensitive, so V= and P= are
	// unknown tags, not v= and p=.
	good("V=DKIM1; g=*; x_y=a b  c; p="+rfcRSA,
		Record{Extensions: []Tag{{"V", "DKIM1"}, {"g", "*"}, {"x_y", "a b  c"}}, PublicKey: rfcRSA, Key: rsa1024})
	// An unknown key type parses (verifiers ignore the key; Check reports
	// it), and so does k=RSA (values are case-sensitive).
	good("k=dsa; p=AAAA", Record{KeyType: "dsa", PublicKey: "AAAA"})
	good("k=RSA; p=AAAA", Record{KeyType: "RSA", PublicKey: "AAAA"})
	// Missing padding is accepted (Check warns).
	good("k=ed25519; p="+strings.TrimRight(rfc8463Key, "="), Record{KeyType: KeyEd25519, PublicKey: strings.TrimRight(rfc8463Key, "="), Key: ed})

	bad("", 0, "empty")
	bad("  ", 0, "empty")
	bad("v=DKIM1", 7, "no p= tag")                           // p= is required
	bad("v=DKIM1; P="+rfcRSA, 227, "no p= tag")              // names are case-sensitive
	bad("v=DKIM1; p=; p="+rfcRSA, 13, "appears twice")       // RFC 6376, Section 3.2
	bad("v=DKIM1; v=DKIM1; p=", 9, "appears twice")          //
	bad("k=rsa; v=DKIM1; p="+rfcRSA, 7, "must be the first") // RFC 6376, Section 3.6.1
	bad("v=DKIM2; p="+rfcRSA, 2, "only version")
	bad("v=dkim1; p="+rfcRSA, 2, "case matters")
	bad("v=DKIM1.0; p="+rfcRSA, 2, "only version") // a string comparison
	bad(";p="+rfcRSA, 0, "empty tag")
	bad("v=DKIM1;; p="+rfcRSA, 8, "empty tag") // go-msgauth skips empty tags; the grammar has none
	bad("v=DKIM1; p", 9, "no '='")
	bad("v=DKIM1; =x; p=", 9, "no name")
	bad("v=DKIM1; 1x=y; p=", 9, "starting with a letter")
	bad("v=DKIM1; x-y=z; p=", 9, "only letters, digits and '_'")
	bad("v=DKIM1 k=rsa; p=", 2, "';' missing") // inner spaces belong to the value
	bad("v=DKIM1; k=rsa p="+rfcRSA, 11, "';' missing")
	bad("v=DKIM1; n=caf\xc3\xa9; p=", 14, "not allowed")
	bad("v=DKIM1; n=a\x00b; p=", 12, "not allowed")
	bad("v=DKIM1; k=; p=", 11, "not a key type")
	bad("v=DKIM1; k=-rsa; p=", 11, "not a key type")
	bad("v=DKIM1; h=; p=", 11, "not a list entry")
	bad("v=DKIM1; h=sha256:; p=", 11, "not a list entry")
	bad("v=DKIM1; t=1; p=", 11, "not a list entry")
	bad("v=DKIM1; s=email:**; p=", 11, "not a list entry")
	bad("v=DKIM1; p=MIGf$MA0", 15, "not a base64 character")
	bad("v=DKIM1; p=ab-_", 13, "base64url")
	bad("v=DKIM1; p="+rfcRSA[:101], 11, "not a multiple of 4") // a key cut short
	bad("v=DKIM1; p=AA=A", 11, "padding")
	bad("v=DKIM1; p="+rfcRSA[:100]+"AAAA", 11, "neither")                  // base64 of nothing RSA
	bad("v=DKIM1; p="+rfc8463Key, 11, "add k=ed25519")                     // an Ed25519 key under k=rsa
	bad("v=DKIM1; p="+rfc8463KeySPKI, 11, "add k=ed25519")                 // the same, wrapped
	bad("v=DKIM1; k=ed25519; p="+rfc8463KeySPKI, 22, "raw 32-byte key")    // RFC 8463 wants raw bytes
	bad("v=DKIM1; k=ed25519; p="+rfcRSA, 22, "32 bytes, but p= holds 162") // an RSA key under k=ed25519
	bad("v=DKIM1; k=ed25519; p=AAAA", 22, "holds 3")
}

func TestParseErrorIsSentinel(t *testing.T) {
	_, err := Parse("v=DKIM1")
	require.Error(t, err)
	assert.Equal(t, "dkim: syntax error: at offset 7: the record has no p= tag, which holds the key", err.Error())
}

func TestRoundTrip(t *testing.T) {
	for _, txt := range []string{
		"v=DKIM1; p=" + rfcRSA,
		"p=" + rfcRSA[:50] + " " + rfcRSA[50:] + "; k=rsa",
		"v=DKIM1; k=ed25519; h=sha256; s=email:tlsrpt; t=s; n=a b; x=1; p=" + rfc8463Key,
		"v=DKIM1; p=",
		"k=foo; p=AAAA; y=2",
	} {
		r, err := Parse(txt)
		require.NoError(t, err, "%q", txt)
		s := r.String()
		r2, err := Parse(s)
		require.NoError(t, err, "%q", s)
		assert.Equal(t, r, r2)
		assert.Equal(t, s, r2.String())
	}
	r, err := Parse("p=" + rfcRSA[:50] + "\r\n " + rfcRSA[50:])
	require.NoError(t, err)
	assert.Equal(t, "v=DKIM1; k=rsa; p="+rfcRSA, r.String())
	r, err = Parse("p=" + rfc8463Key + "; n=x; t=y; k=ed25519; h=sha256; v2=z")
	require.NoError(t, err)
	assert.Equal(t, "v=DKIM1; k=ed25519; h=sha256; t=y; n=x; v2=z; p="+rfc8463Key, r.String())
}
