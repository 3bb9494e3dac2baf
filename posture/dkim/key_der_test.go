package dkim

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"
	"reflect"
	"testing"
)

// The reference: the keys read with encoding/asn1, as this package did
// before der.go. decodeKey must give exactly what refDecodeKey gives.

type refAlgorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type refSPKI struct {
	Algorithm refAlgorithmIdentifier
	PublicKey asn1.BitString
}

type refRSAPublicKey struct {
	N *big.Int
	E int
}

func refDecodeKey(kt KeyType, raw []byte) (crypto.PublicKey, *KeyInfo, string, string) {
	switch kt {
	case KeyRSA:
		return refDecodeRSA(raw)
	case KeyEd25519:
		if len(raw) == ed25519.PublicKeySize {
			return ed25519.PublicKey(raw), &KeyInfo{Type: KeyEd25519, Bits: 256, Format: FormatRaw}, "", ""
		}
		var spki refSPKI
		if rest, err := asn1.Unmarshal(raw, &spki); err == nil && len(rest) == 0 && spki.Algorithm.Algorithm.Equal(asn1.ObjectIdentifier(oidEd25519)) &&
			len(spki.PublicKey.Bytes) == ed25519.PublicKeySize && spki.PublicKey.BitLength == 8*ed25519.PublicKeySize {
			return nil, nil, "p= holds the Ed25519 key wrapped in SubjectPublicKeyInfo; RFC 8463 wants the raw 32-byte key, and verifiers reject this one",
				"p=" + base64.StdEncoding.EncodeToString(spki.PublicKey.Bytes)
		}
		return nil, nil, fmt.Sprintf("an Ed25519 key is 32 bytes, but p= holds %d", len(raw)), ""
	}
	return nil, nil, "", ""
}

func refDecodeRSA(raw []byte) (crypto.PublicKey, *KeyInfo, string, string) {
	var spki refSPKI
	rest, err := asn1.Unmarshal(raw, &spki)
	if err == nil && len(rest) == 0 {
		alg := spki.Algorithm
		switch {
		case alg.Algorithm.Equal(asn1.ObjectIdentifier(oidRSA)):
			p := alg.Parameters
			if !(p.Class == asn1.ClassUniversal && p.Tag == asn1.TagNull && len(p.Bytes) == 0 && !p.IsCompound && len(p.FullBytes) == 2) {
				return nil, nil, "the RSA key's algorithm parameters are not NULL (RFC 3279, Section 2.3.1)", ""
			}
			if spki.PublicKey.BitLength%8 != 0 {
				return nil, nil, "the RSA key's bit string is not a whole number of bytes", ""
			}
			return refParseRSAPublicKey(spki.PublicKey.Bytes, FormatSPKI)
		case alg.Algorithm.Equal(asn1.ObjectIdentifier(oidEd25519)):
			fix := ""
			if len(spki.PublicKey.Bytes) == ed25519.PublicKeySize {
				fix = "k=ed25519; p=" + base64.StdEncoding.EncodeToString(spki.PublicKey.Bytes)
			}
			return nil, nil, "p= holds an Ed25519 key, but k= is rsa (the default): add k=ed25519 and publish the raw 32-byte key", fix
		case alg.Algorithm.Equal(asn1.ObjectIdentifier(oidEC)):
			return nil, nil, "p= holds an ECDSA key; DKIM has no ECDSA key type (only rsa and ed25519)", ""
		}
		return nil, nil, fmt.Sprintf("p= holds a key of algorithm %v, not RSA", alg.Algorithm), ""
	}
	if pub, info, msg, _ := refParseRSAPublicKey(raw, FormatPKCS1); msg == "" {
		return pub, info, "", ""
	}
	if len(raw) == ed25519.PublicKeySize {
		return nil, nil, "p= holds 32 bytes, the size of an Ed25519 key, but k= is rsa (the default): add k=ed25519", ""
	}
	return nil, nil, "p= is not an RSA public key: it is neither a DER SubjectPublicKeyInfo nor an RSAPublicKey", ""
}

func refParseRSAPublicKey(der []byte, format KeyFormat) (crypto.PublicKey, *KeyInfo, string, string) {
	var k refRSAPublicKey
	rest, err := asn1.Unmarshal(der, &k)
	if err != nil || len(rest) != 0 {
		return nil, nil, "the RSA key is not a valid DER RSAPublicKey", ""
	}
	if k.N.Sign() <= 0 {
		return nil, nil, "the RSA modulus is not a positive number", ""
	}
	if k.E < 3 || k.E%2 == 0 || k.E > 1<<31-1 {
		return nil, nil, fmt.Sprintf("the RSA public exponent %d is not usable", k.E), ""
	}
	return &rsa.PublicKey{N: k.N, E: k.E}, &KeyInfo{Type: KeyRSA, Bits: k.N.BitLen(), Format: format}, "", ""
}

// sameDecoding checks decodeKey against the encoding/asn1 reference.
func sameDecoding(t *testing.T, raw []byte) {
	t.Helper()
	for _, kt := range []KeyType{KeyRSA, KeyEd25519} {
		pub, info, msg, fix := decodeKey(kt, raw)
		wpub, winfo, wmsg, wfix := refDecodeKey(kt, raw)
		if !reflect.DeepEqual(pub, wpub) || !reflect.DeepEqual(info, winfo) || msg != wmsg || fix != wfix {
			t.Fatalf("k=%s, %x:\n got %v %+v %q %q\nwant %v %+v %q %q", kt, raw, pub, info, msg, fix, wpub, winfo, wmsg, wfix)
		}
	}
}

// derInputs are keys of every kind and DER that stresses the reader.
func derInputs(t testing.TB) [][]byte {
	var in [][]byte
	for _, bits := range []int{512, 1024, 2048} {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, spki, x509.MarshalPKCS1PublicKey(&k.PublicKey))
	}
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edDER, err := x509.MarshalPKIXPublicKey(edPub)
	if err != nil {
		t.Fatal(err)
	}
	rfc, err := base64.StdEncoding.DecodeString(rfcRSA)
	if err != nil {
		t.Fatal(err)
	}
	in = append(in, edDER, edPub, rfc)
	mk := func(v any) []byte {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	big1 := new(big.Int).Lsh(big.NewInt(1), 1023)
	for _, e := range []int{-1, 0, 1, 2, 3, 65537, 1<<31 - 1, 1 << 31, 1<<32 + 1, 1<<62 + 1, -65537} {
		in = append(in, mk(refRSAPublicKey{N: big1, E: e}))
	}
	for _, n := range []*big.Int{big.NewInt(0), big.NewInt(-5), big.NewInt(1), big.NewInt(255), new(big.Int).Neg(big1)} {
		in = append(in, mk(refRSAPublicKey{N: n, E: 65537}))
	}
	pk := mk(refRSAPublicKey{N: big1, E: 65537})
	for _, s := range []refSPKI{
		{Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier(oidRSA), Parameters: asn1.NullRawValue}, PublicKey: asn1.BitString{Bytes: pk, BitLength: 8 * len(pk)}},
		{Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier(oidRSA)}, PublicKey: asn1.BitString{Bytes: pk, BitLength: 8 * len(pk)}},
		{Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier(oidRSA), Parameters: asn1.RawValue{Tag: 4, Bytes: []byte{1}}}, PublicKey: asn1.BitString{Bytes: pk, BitLength: 8 * len(pk)}},
		{Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier(oidRSA), Parameters: asn1.NullRawValue}, PublicKey: asn1.BitString{Bytes: pk, BitLength: 8*len(pk) - 1}},
		{Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{2, 999, 1 << 30, 0}}, PublicKey: asn1.BitString{Bytes: []byte{1}, BitLength: 8}},
		{Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier(oidEC)}, PublicKey: asn1.BitString{Bytes: pk, BitLength: 8 * len(pk)}},
		{Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier(oidEd25519)}, PublicKey: asn1.BitString{Bytes: edPub, BitLength: 256}},
		{Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier(oidEd25519)}, PublicKey: asn1.BitString{Bytes: edPub[:31], BitLength: 248}},
	} {
		in = append(in, mk(s))
	}
	// Hand-made DER: long-form and non-minimal lengths, indefinite
	// lengths, high tag numbers, extra elements, trailing bytes.
	in = append(in,
		nil, []byte{0x30}, []byte{0x30, 0x00}, []byte{0x30, 0x80, 0x00, 0x00}, []byte{0x30, 0x81, 0x05, 2, 1, 1, 2, 1}, []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03},
		[]byte{0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03, 0x05, 0x00, 0x00}, []byte{0x30, 0x07, 0x02, 0x01, 0x05, 0x02, 0x02, 0x00, 0x03},
		[]byte{0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03, 0x00}, []byte{0x30, 0x82, 0x00, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03},
		[]byte{0x3f, 0x10, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03}, []byte{0x30, 0x06, 0x22, 0x01, 0x05, 0x02, 0x01, 0x03},
		[]byte{0x30, 0x06, 0x82, 0x01, 0x05, 0x02, 0x01, 0x03}, []byte{0x30, 0x07, 0x02, 0x02, 0xff, 0x85, 0x02, 0x01, 0x03},
		[]byte{0x30, 0x07, 0x02, 0x02, 0xff, 0x05, 0x02, 0x01, 0x03}, []byte{0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x03},
	)
	return in
}

// mutations are each input with each byte of its first 48 changed,
// truncated at each of those, and with a byte added.
func mutations(in [][]byte) [][]byte {
	var out [][]byte
	for _, b := range in {
		out = append(out, b, append(bytes.Clone(b), 0))
		for i := 0; i < len(b) && i < 48; i++ {
			for _, x := range []byte{0x01, 0x20, 0x80, 0xff} {
				d := bytes.Clone(b)
				d[i] ^= x
				out = append(out, d)
			}
			out = append(out, b[:i])
		}
	}
	return out
}

// TestDERAgainstASN1 holds der.go to encoding/asn1 on keys, damaged keys
// and odd DER.
func TestDERAgainstASN1(t *testing.T) {
	for _, raw := range mutations(derInputs(t)) {
		sameDecoding(t, raw)
	}
}

func FuzzDERAgainstASN1(f *testing.F) {
	for _, raw := range derInputs(f) {
		f.Add(raw)
	}
	f.Fuzz(sameDecoding)
}

// TestMarshalRSASPKI compares the SubjectPublicKeyInfo der.go writes with
// encoding/asn1's and crypto/x509's for moduli and exponents of every
// length class.
func TestMarshalRSASPKI(t *testing.T) {
	ns := []*big.Int{big.NewInt(1), big.NewInt(127), big.NewInt(128), big.NewInt(255), big.NewInt(256)}
	for _, bits := range []int{8, 63, 64, 500, 1000, 1016, 1024, 2048, 4096, 8192} {
		n := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
		ns = append(ns, n, new(big.Int).Add(n, big.NewInt(1)), new(big.Int).Sub(new(big.Int).Lsh(n, 1), big.NewInt(1)))
	}
	for _, n := range ns {
		for _, e := range []int{2, 3, 127, 128, 255, 256, 65537, 1<<31 - 1, 1 << 31, 1<<62 + 1} {
			inner, err := asn1.Marshal(refRSAPublicKey{N: n, E: e})
			if err != nil {
				t.Fatal(err)
			}
			want, err := asn1.Marshal(refSPKI{
				Algorithm: refAlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier(oidRSA), Parameters: asn1.NullRawValue},
				PublicKey: asn1.BitString{Bytes: inner, BitLength: 8 * len(inner)},
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := marshalRSASPKI(n, e); !bytes.Equal(got, want) {
				t.Fatalf("n %v e %d:\n got %x\nwant %x", n, e, got, want)
			}
			if x, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: n, E: e}); err == nil && !bytes.Equal(x, want) {
				t.Fatalf("n %v e %d: crypto/x509 writes %x", n, e, x)
			}
		}
	}
}

func TestOIDString(t *testing.T) {
	for _, o := range []oid{oidRSA, oidEd25519, {2, 999, 1 << 30}, {0, 0}} {
		if got, want := o.String(), asn1.ObjectIdentifier(o).String(); got != want {
			t.Errorf("%v: %q, asn1 %q", []int(o), got, want)
		}
	}
}
