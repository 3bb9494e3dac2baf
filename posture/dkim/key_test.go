//go:debug rsa1024min=0

package dkim

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"sync"
	"testing"

	"github.com/posturekit/posturekit/finding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The go:debug line above lets crypto/rsa generate the 512-bit key that
// verifiers must reject.

var (
	keysOnce sync.Once
	rsaKeys  map[int]*rsa.PrivateKey
)

// rsaKey returns an RSA key of the given size, generated once per run.
func rsaKey(t testing.TB, bits int) *rsa.PublicKey {
	t.Helper()
	keysOnce.Do(func() {
		rsaKeys = map[int]*rsa.PrivateKey{}
		for _, n := range []int{512, 1024, 2048} {
			k, err := rsa.GenerateKey(rand.Reader, n)
			if err != nil {
				panic(err)
			}
			rsaKeys[n] = k
		}
	})
	k, ok := rsaKeys[bits]
	if !ok {
		t.Fatalf("no %d-bit key", bits)
	}
	return &k.PublicKey
}

func TestFromPublicKey(t *testing.T) {
	for _, bits := range []int{512, 1024, 2048} {
		pub := rsaKey(t, bits)
		rec, err := FromPublicKey(pub)
		require.NoError(t, err)
		// The SubjectPublicKeyInfo is byte for byte what crypto/x509 makes.
		der, err := x509.MarshalPKIXPublicKey(pub)
		require.NoError(t, err)
		assert.Equal(t, base64.StdEncoding.EncodeToString(der), rec.PublicKey)
		assert.Equal(t, &KeyInfo{Type: KeyRSA, Bits: bits, Format: FormatSPKI}, rec.Key)
		assert.True(t, strings.HasPrefix(rec.String(), "v=DKIM1; k=rsa; p=M"), rec.String())

		// It parses back to the same key.
		back, err := Parse(rec.String())
		require.NoError(t, err)
		assert.Equal(t, rec, back)
		k, info, err := back.PublicKeyValue()
		require.NoError(t, err)
		assert.True(t, pub.Equal(k))
		assert.Equal(t, rec.Key, info)
	}

	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	rec, err := FromPublicKey(pub)
	require.NoError(t, err)
	assert.Equal(t, "v=DKIM1; k=ed25519; p="+base64.StdEncoding.EncodeToString(pub), rec.String())
	assert.Equal(t, &KeyInfo{Type: KeyEd25519, Bits: 256, Format: FormatRaw}, rec.Key)
	assert.Empty(t, rec.Validate())
	k, _, err := rec.PublicKeyValue()
	require.NoError(t, err)
	assert.True(t, pub.Equal(k))

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, err = FromPublicKey(&ec.PublicKey)
	assert.ErrorIs(t, err, ErrKeyType)
	_, err = FromPublicKey(ed25519.PublicKey(make([]byte, 31)))
	assert.ErrorIs(t, err, ErrKeyType)
	_, err = FromPublicKey((*rsa.PublicKey)(nil))
	assert.ErrorIs(t, err, ErrKeyType)
	_, err = FromPublicKey(nil)
	assert.ErrorIs(t, err, ErrKeyType)
}

// TestKeySizes checks RFC 8301, Section 3.2: verifiers must reject RSA keys
// under 1024 bits, and signers should use 2048 or more.
func TestKeySizes(t *testing.T) {
	for _, c := range []struct {
		bits int
		code string
		sev  finding.Severity
	}{
		{512, "dkim.key_too_short", finding.Error},
		{1024, "dkim.key_short", finding.Warning},
		{2048, "", ""},
	} {
		rec, err := FromPublicKey(rsaKey(t, c.bits))
		require.NoError(t, err)
		l := rec.Validate()
		if c.code == "" {
			assert.Empty(t, l, "%d bits", c.bits)
			continue
		}
		require.Len(t, l, 1, "%d bits: %v", c.bits, l)
		assert.Equal(t, c.code, l[0].Code)
		assert.Equal(t, c.sev, l[0].Severity)
		assert.Equal(t, "RFC 8301, Section 3.2", l[0].RFC)
	}
}

// TestPKCS1 checks erratum 3017: a bare RSAPublicKey is accepted, as
// go-msgauth accepts it, but reported.
func TestPKCS1(t *testing.T) {
	pub := rsaKey(t, 2048)
	txt := "v=DKIM1; p=" + base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(pub))
	rec, err := Parse(txt)
	require.NoError(t, err)
	assert.Equal(t, &KeyInfo{Type: KeyRSA, Bits: 2048, Format: FormatPKCS1}, rec.Key)
	k, _, err := rec.PublicKeyValue()
	require.NoError(t, err)
	assert.True(t, pub.Equal(k))
	_, l := Check(txt)
	require.Len(t, l, 1, "%v", l)
	assert.Equal(t, "dkim.key_pkcs1", l[0].Code)
	assert.Equal(t, finding.Warning, l[0].Severity)

	// The SubjectPublicKeyInfo form gives no finding.
	spki, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	_, l = Check("v=DKIM1; p=" + base64.StdEncoding.EncodeToString(spki))
	assert.Empty(t, l)
}

// TestKeyDecodingAgainstX509 compares the hand-written DER reader with
// crypto/x509 on real and damaged keys.
func TestKeyDecodingAgainstX509(t *testing.T) {
	pub := rsaKey(t, 1024)
	spki, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	pkcs1 := x509.MarshalPKCS1PublicKey(pub)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecDER, err := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	require.NoError(t, err)
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edDER, err := x509.MarshalPKIXPublicKey(edPub)
	require.NoError(t, err)

	inputs := [][]byte{spki, pkcs1, ecDER, edDER, append(append([]byte{}, spki...), 0), spki[:len(spki)-1], pkcs1[:10], {}, {0x30, 0x00}}
	// Each single-byte change of the SubjectPublicKeyInfo header and
	// the start of the key.
	for i := 0; i < 40 && i < len(spki); i++ {
		d := append([]byte{}, spki...)
		d[i] ^= 0x01
		inputs = append(inputs, d)
	}
	for i, der := range inputs {
		got, _, msg, _ := decodeRSA(der)
		var want *rsa.PublicKey
		if k, err := x509.ParsePKIXPublicKey(der); err == nil {
			want, _ = k.(*rsa.PublicKey)
		} else if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
			want = k
		}
		if want == nil {
			assert.NotEmpty(t, msg, "input %d: we read a key x509 rejects", i)
			continue
		}
		if want.E < 3 || want.E%2 == 0 {
			assert.NotEmpty(t, msg, "input %d: exponent %d", i, want.E)
			continue
		}
		if assert.Empty(t, msg, "input %d: x509 reads it", i) {
			assert.True(t, want.Equal(got), "input %d", i)
		}
	}
}
