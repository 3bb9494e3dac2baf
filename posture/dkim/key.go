package dkim

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
)

// The DER of SubjectPublicKeyInfo (RFC 5280, Section 4.1) and RSAPublicKey
// (RFC 8017, Appendix A.1.1) is read with encoding/asn1 rather than
// crypto/x509, which would add much to the browser build for two small
// structures. The tests compare the results with crypto/x509.

var (
	oidRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1} // RFC 8017, Appendix A.1
	oidEd25519 = asn1.ObjectIdentifier{1, 3, 101, 112}             // RFC 8410, Section 3
	oidEC      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}     // RFC 5480, Section 2.1.1
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type subjectPublicKeyInfo struct {
	Algorithm algorithmIdentifier
	PublicKey asn1.BitString
}

type rsaPublicKey struct {
	N *big.Int
	E int
}

func marshalRSASPKI(k *rsa.PublicKey) ([]byte, error) {
	inner, err := asn1.Marshal(rsaPublicKey{N: k.N, E: k.E})
	if err != nil {
		return nil, fmt.Errorf("dkim: encoding the RSA key: %w", err)
	}
	der, err := asn1.Marshal(subjectPublicKeyInfo{
		// RFC 3279, Section 2.3.1: the parameters are NULL.
		Algorithm: algorithmIdentifier{Algorithm: oidRSA, Parameters: asn1.NullRawValue},
		PublicKey: asn1.BitString{Bytes: inner, BitLength: 8 * len(inner)},
	})
	if err != nil {
		return nil, fmt.Errorf("dkim: encoding the RSA key: %w", err)
	}
	return der, nil
}

// isFWS reports whether c is folding white space (RFC 6376, Section 2.8).
func isFWS(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// decodeBase64 decodes the value of p= (RFC 6376, Section 3.6.1:
// base64string, which allows FWS between the characters). unpadded is true
// when the final '=' padding is missing but the rest decodes. On failure,
// badOff is the offset in v of the first character that is not base64, or
// -1.
func decodeBase64(v string) (raw []byte, unpadded bool, badOff int, msg string) {
	var b strings.Builder
	b.Grow(len(v))
	for k := 0; k < len(v); k++ {
		c := v[k]
		switch {
		case isFWS(c):
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=':
			b.WriteByte(c)
		default:
			hint := ""
			if c == '-' || c == '_' {
				hint = " (base64url is not allowed: use '+' and '/')"
			}
			return nil, false, k, fmt.Sprintf("p= holds %q, which is not a base64 character%s", c, hint)
		}
	}
	s := b.String()
	raw, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		return raw, false, -1, ""
	}
	if !strings.Contains(s, "=") && len(s)%4 != 0 {
		if raw, err := base64.RawStdEncoding.DecodeString(s); err == nil {
			return raw, true, -1, ""
		}
	}
	if len(s)%4 != 0 {
		return nil, false, -1, fmt.Sprintf("p= is not valid base64: it has %d characters (without spaces), which is not a multiple of 4 once padded; is part of the key missing?", len(s))
	}
	return nil, false, -1, "p= is not valid base64: the '=' padding is misplaced"
}

// decodeKey reads the key bytes of p= for key type kt. For a type this
// package does not know it returns nothing. msg is set when the key cannot
// be used, and fix when a better p= can be said.
func decodeKey(kt KeyType, raw []byte) (pub crypto.PublicKey, info *KeyInfo, msg, fix string) {
	switch kt {
	case KeyRSA:
		return decodeRSA(raw)
	case KeyEd25519:
		// RFC 8463, Section 4.2: the p= value is the 32-byte Ed25519 key.
		if len(raw) == ed25519.PublicKeySize {
			return ed25519.PublicKey(raw), &KeyInfo{Type: KeyEd25519, Bits: 256, Format: FormatRaw}, "", ""
		}
		var spki subjectPublicKeyInfo
		if rest, err := asn1.Unmarshal(raw, &spki); err == nil && len(rest) == 0 && spki.Algorithm.Algorithm.Equal(oidEd25519) &&
			len(spki.PublicKey.Bytes) == ed25519.PublicKeySize && spki.PublicKey.BitLength == 8*ed25519.PublicKeySize {
			return nil, nil, "p= holds the Ed25519 key wrapped in SubjectPublicKeyInfo; RFC 8463 wants the raw 32-byte key, and verifiers reject this one",
				"p=" + base64.StdEncoding.EncodeToString(spki.PublicKey.Bytes)
		}
		return nil, nil, fmt.Sprintf("an Ed25519 key is 32 bytes, but p= holds %d", len(raw)), ""
	}
	return nil, nil, "", ""
}

func decodeRSA(raw []byte) (crypto.PublicKey, *KeyInfo, string, string) {
	var spki subjectPublicKeyInfo
	rest, err := asn1.Unmarshal(raw, &spki)
	if err == nil && len(rest) == 0 {
		alg := spki.Algorithm
		switch {
		case alg.Algorithm.Equal(oidRSA):
			// RFC 3279, Section 2.3.1: the parameters MUST be NULL
			// (crypto/x509, and so go-msgauth, insists).
			if !isNull(alg.Parameters) {
				return nil, nil, "the RSA key's algorithm parameters are not NULL (RFC 3279, Section 2.3.1)", ""
			}
			if spki.PublicKey.BitLength%8 != 0 {
				return nil, nil, "the RSA key's bit string is not a whole number of bytes", ""
			}
			return parseRSAPublicKey(spki.PublicKey.Bytes, FormatSPKI)
		case alg.Algorithm.Equal(oidEd25519):
			fix := ""
			if len(spki.PublicKey.Bytes) == ed25519.PublicKeySize {
				fix = "k=ed25519; p=" + base64.StdEncoding.EncodeToString(spki.PublicKey.Bytes)
			}
			return nil, nil, "p= holds an Ed25519 key, but k= is rsa (the default): add k=ed25519 and publish the raw 32-byte key", fix
		case alg.Algorithm.Equal(oidEC):
			return nil, nil, "p= holds an ECDSA key; DKIM has no ECDSA key type (only rsa and ed25519)", ""
		}
		return nil, nil, fmt.Sprintf("p= holds a key of algorithm %v, not RSA", alg.Algorithm), ""
	}
	// RFC 6376, Section 3.6.1 names RSAPublicKey; erratum 3017 notes that
	// practice is SubjectPublicKeyInfo. Accept both, as go-msgauth does.
	if pub, info, msg, _ := parseRSAPublicKey(raw, FormatPKCS1); msg == "" {
		return pub, info, "", ""
	}
	if len(raw) == ed25519.PublicKeySize {
		return nil, nil, "p= holds 32 bytes, the size of an Ed25519 key, but k= is rsa (the default): add k=ed25519", ""
	}
	return nil, nil, "p= is not an RSA public key: it is neither a DER SubjectPublicKeyInfo nor an RSAPublicKey", ""
}

func isNull(v asn1.RawValue) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == asn1.TagNull && len(v.Bytes) == 0 && !v.IsCompound && len(v.FullBytes) == 2
}

func parseRSAPublicKey(der []byte, format KeyFormat) (crypto.PublicKey, *KeyInfo, string, string) {
	var k rsaPublicKey
	rest, err := asn1.Unmarshal(der, &k)
	if err != nil || len(rest) != 0 {
		return nil, nil, "the RSA key is not a valid DER RSAPublicKey", ""
	}
	if k.N.Sign() <= 0 {
		return nil, nil, "the RSA modulus is not a positive number", ""
	}
	// An exponent below 3, or even, makes no valid RSA key; Go's verifier
	// rejects exponents above 2^31-1.
	if k.E < 3 || k.E%2 == 0 || k.E > 1<<31-1 {
		return nil, nil, fmt.Sprintf("the RSA public exponent %d is not usable", k.E), ""
	}
	return &rsa.PublicKey{N: k.N, E: k.E}, &KeyInfo{Type: KeyRSA, Bits: k.N.BitLen(), Format: format}, "", ""
}
