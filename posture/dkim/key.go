package dkim

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"strings"
)

// The key's DER is read by der.go, not by crypto/x509, which would add
// much to the browser build for two small structures. The tests compare
// the results with crypto/x509.

var (
	oidRSA     = oid{1, 2, 840, 113549, 1, 1, 1} // RFC 8017, Appendix A.1
	oidEd25519 = oid{1, 3, 101, 112}             // RFC 8410, Section 3
	oidEC      = oid{1, 2, 840, 10045, 2, 1}     // RFC 5480, Section 2.1.1
)

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
		if spki, rest, ok := parseSPKI(raw); ok && len(rest) == 0 && spki.algorithm.Equal(oidEd25519) &&
			len(spki.key) == ed25519.PublicKeySize && spki.keyBits == 8*ed25519.PublicKeySize {
			return nil, nil, "p= holds the Ed25519 key wrapped in SubjectPublicKeyInfo; RFC 8463 wants the raw 32-byte key, and verifiers reject this one",
				"p=" + base64.StdEncoding.EncodeToString(spki.key)
		}
		return nil, nil, fmt.Sprintf("an Ed25519 key is 32 bytes, but p= holds %d", len(raw)), ""
	}
	return nil, nil, "", ""
}

func decodeRSA(raw []byte) (crypto.PublicKey, *KeyInfo, string, string) {
	if spki, rest, ok := parseSPKI(raw); ok && len(rest) == 0 {
		switch alg := spki.algorithm; {
		case alg.Equal(oidRSA):
			// RFC 3279, Section 2.3.1: the parameters MUST be NULL
			// (crypto/x509, and so go-msgauth, insists).
			if !isNull(spki.params) {
				return nil, nil, "the RSA key's algorithm parameters are not NULL (RFC 3279, Section 2.3.1)", ""
			}
			if spki.keyBits%8 != 0 {
				return nil, nil, "the RSA key's bit string is not a whole number of bytes", ""
			}
			return parseRSAPublicKey(spki.key, FormatSPKI)
		case alg.Equal(oidEd25519):
			fix := ""
			if len(spki.key) == ed25519.PublicKeySize {
				fix = "k=ed25519; p=" + base64.StdEncoding.EncodeToString(spki.key)
			}
			return nil, nil, "p= holds an Ed25519 key, but k= is rsa (the default): add k=ed25519 and publish the raw 32-byte key", fix
		case alg.Equal(oidEC):
			return nil, nil, "p= holds an ECDSA key; DKIM has no ECDSA key type (only rsa and ed25519)", ""
		default:
			return nil, nil, fmt.Sprintf("p= holds a key of algorithm %v, not RSA", alg), ""
		}
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

// isNull reports whether v is the NULL element 05 00 (X.690, Section 8.8).
func isNull(v derValue) bool {
	return v.is(tagNull, false) && len(v.content) == 0 && len(v.full) == 2
}

func parseRSAPublicKey(der []byte, format KeyFormat) (crypto.PublicKey, *KeyInfo, string, string) {
	n, e, rest, ok := parseRSADER(der)
	if !ok || len(rest) != 0 {
		return nil, nil, "the RSA key is not a valid DER RSAPublicKey", ""
	}
	if n.Sign() <= 0 {
		return nil, nil, "the RSA modulus is not a positive number", ""
	}
	// An exponent below 3, or even, makes no valid RSA key; Go's verifier
	// rejects exponents above 2^31-1.
	if e < 3 || e%2 == 0 || e > 1<<31-1 {
		return nil, nil, fmt.Sprintf("the RSA public exponent %d is not usable", e), ""
	}
	return &rsa.PublicKey{N: n, E: e}, &KeyInfo{Type: KeyRSA, Bits: n.BitLen(), Format: format}, "", ""
}
