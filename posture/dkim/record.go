package dkim

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/zonetext"
)

// Version is the only version of the key record (RFC 6376, Section 3.6.1).
const Version = "DKIM1"

// KeyType is the k= tag: the kind of key in p=.
type KeyType string

// The key types verifiers know.
const (
	// KeyRSA is the default (RFC 6376, Section 3.6.1).
	KeyRSA KeyType = "rsa"
	// KeyEd25519 is defined by RFC 8463.
	KeyEd25519 KeyType = "ed25519"
)

// HashAlgorithm is an entry of the h= tag.
type HashAlgorithm string

// The hash algorithms of RFC 6376, Section 3.6.1.
const (
	HashSHA256 HashAlgorithm = "sha256"
	// HashSHA1 must no longer be used for signing or verifying (RFC 8301,
	// Section 3.1).
	HashSHA1 HashAlgorithm = "sha1"
)

// Service is an entry of the s= tag: what the key may sign.
type Service string

// The service types.
const (
	// ServiceAll means any service; it is the default.
	ServiceAll Service = "*"
	// ServiceEmail is electronic mail (RFC 6376, Section 3.6.1).
	ServiceEmail Service = "email"
	// ServiceTLSRPT is the signing of TLS-RPT reports (RFC 8460,
	// Section 3).
	ServiceTLSRPT Service = "tlsrpt"
)

// Flag is an entry of the t= tag.
type Flag string

// The flags of RFC 6376, Section 3.6.1.
const (
	// FlagTesting (y): the domain is testing DKIM; verifiers treat signed
	// mail like unsigned mail.
	FlagTesting Flag = "y"
	// FlagStrict (s): the i= domain of signatures must equal d=, not be a
	// subdomain of it.
	FlagStrict Flag = "s"
)

// KeyFormat says how the key in p= is encoded.
type KeyFormat string

// The key encodings.
const (
	// FormatSPKI is a DER SubjectPublicKeyInfo, what RSA keys are published
	// as in practice.
	FormatSPKI KeyFormat = "spki"
	// FormatPKCS1 is a bare DER RSAPublicKey (PKCS #1). RFC 6376 names it,
	// but erratum 3017 notes practice uses SubjectPublicKeyInfo, and some
	// verifiers read only that.
	FormatPKCS1 KeyFormat = "pkcs1"
	// FormatRaw is the 32 bytes of an Ed25519 key (RFC 8463).
	FormatRaw KeyFormat = "raw"
)

// Record is a DKIM key record, the TXT record at
// <selector>._domainkey.<domain> (RFC 6376, Section 3.6.1).
type Record struct {
	// Version is always "DKIM1" (the default when v= is absent).
	Version string `json:"version"`
	// KeyType is k=; "rsa" when absent.
	KeyType KeyType `json:"key_type"`
	// PublicKey is p=, the base64 key with any white space removed. Empty
	// means the key was revoked.
	PublicKey string `json:"public_key"`
	// Hashes is h=, the hash algorithms signatures may use; empty means
	// any.
	Hashes []HashAlgorithm `json:"hashes,omitempty"`
	// Services is s=; empty means any ("*").
	Services []Service `json:"services,omitempty"`
	// Flags is t=.
	Flags []Flag `json:"flags,omitempty"`
	// Notes is n=, text for people.
	Notes string `json:"notes,omitempty"`
	// Extensions are the tags RFC 6376 does not define, in order.
	// Verifiers ignore them.
	Extensions []Tag `json:"extensions,omitempty"`
	// Key describes the key in PublicKey: set by [Parse], [Check] and
	// [FromPublicKey], nil when the key is revoked or of an unknown type.
	// String ignores it.
	Key *KeyInfo `json:"key,omitempty"`
}

// Tag is a tag of the record that RFC 6376 does not define.
type Tag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// KeyInfo describes a public key.
type KeyInfo struct {
	Type KeyType `json:"type"`
	// Bits is the size of an RSA modulus, or 256 for Ed25519.
	Bits   int       `json:"bits"`
	Format KeyFormat `json:"format"`
}

// RecordName returns the name the key record of a selector is published at
// (RFC 6376, Section 3.6.2.1).
func RecordName(selector, domain string) string {
	return selector + "._domainkey." + strings.TrimSuffix(domain, ".")
}

// ErrKeyType is returned by [FromPublicKey] for a key that is neither RSA
// nor Ed25519, the two types DKIM defines.
var ErrKeyType = errors.New("dkim: unsupported public key type")

// FromPublicKey returns the record that publishes pub, a *rsa.PublicKey
// (encoded as SubjectPublicKeyInfo, as verifiers expect) or an
// ed25519.PublicKey (the raw 32 bytes, RFC 8463, Section 4.2). Check the
// result with [Record.Validate]: an RSA key under 2048 bits is reported
// there.
func FromPublicKey(pub crypto.PublicKey) (*Record, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k == nil || k.N == nil || k.N.Sign() <= 0 || k.E < 2 {
			return nil, fmt.Errorf("%w: an invalid RSA key", ErrKeyType)
		}
		der := marshalRSASPKI(k.N, k.E)
		return &Record{Version: Version, KeyType: KeyRSA, PublicKey: base64.StdEncoding.EncodeToString(der),
			Key: &KeyInfo{Type: KeyRSA, Bits: k.N.BitLen(), Format: FormatSPKI}}, nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: an Ed25519 key of %d bytes", ErrKeyType, len(k))
		}
		return &Record{Version: Version, KeyType: KeyEd25519, PublicKey: base64.StdEncoding.EncodeToString(k),
			Key: &KeyInfo{Type: KeyEd25519, Bits: 256, Format: FormatRaw}}, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrKeyType, pub)
}

// Revoked reports whether the key was revoked: p= is empty (RFC 6376,
// Section 3.6.1).
func (r *Record) Revoked() bool { return r.PublicKey == "" }

// PublicKeyValue decodes p= according to k= and returns the key, a
// *rsa.PublicKey or an ed25519.PublicKey, with what it is. It fails for a
// revoked key, an unknown key type and a key that cannot be read.
func (r *Record) PublicKeyValue() (crypto.PublicKey, *KeyInfo, error) {
	if r.Revoked() {
		return nil, nil, errors.New("dkim: the key is revoked (p= is empty)")
	}
	kt := r.KeyType
	if kt == "" {
		kt = KeyRSA
	}
	if kt != KeyRSA && kt != KeyEd25519 {
		return nil, nil, fmt.Errorf("dkim: unknown key type k=%s", kt)
	}
	raw, _, _, msg := decodeBase64(r.PublicKey)
	if msg != "" {
		return nil, nil, fmt.Errorf("%w: %s", ErrSyntax, msg)
	}
	pub, info, msg, _ := decodeKey(kt, raw)
	if msg != "" {
		return nil, nil, fmt.Errorf("%w: %s", ErrSyntax, msg)
	}
	return pub, info, nil
}

// String returns the TXT value in canonical form: "v=DKIM1; k=<type>",
// then h=, s=, t=, n= and extensions when present, and p= last.
func (r *Record) String() string {
	var b strings.Builder
	b.Grow(len(r.PublicKey) + 32)
	v := r.Version
	if v == "" {
		v = Version
	}
	k := r.KeyType
	if k == "" {
		k = KeyRSA
	}
	b.WriteString("v=")
	b.WriteString(v)
	b.WriteString("; k=")
	b.WriteString(string(k))
	list := func(tag string, items []string) {
		if len(items) == 0 {
			return
		}
		b.WriteString("; ")
		b.WriteString(tag)
		b.WriteString("=")
		b.WriteString(strings.Join(items, ":"))
	}
	list("h", strs(r.Hashes))
	list("s", strs(r.Services))
	list("t", strs(r.Flags))
	if r.Notes != "" {
		b.WriteString("; n=")
		b.WriteString(r.Notes)
	}
	for _, e := range r.Extensions {
		b.WriteString("; ")
		b.WriteString(e.Name)
		b.WriteString("=")
		b.WriteString(e.Value)
	}
	b.WriteString("; p=")
	b.WriteString(r.PublicKey)
	return b.String()
}

func strs[T ~string](l []T) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = string(s)
	}
	return out
}

// TXTStrings returns the value split into character-strings of at most 255
// bytes, as a TXT record must hold it: a 2048-bit RSA key alone is about
// 400 bytes. Verifiers join the strings without spaces (RFC 6376, Section
// 3.6.2.2), so the split may fall anywhere.
func (r *Record) TXTStrings() []string {
	return zonetext.Split(r.String())
}

// ZoneValue returns the value as written in a zone file: the strings of
// [Record.TXTStrings], each in double quotes, separated by spaces, as in
// "v=DKIM1; k=rsa; p=MIIB..." "...rest". Quotes and backslashes are
// escaped, and bytes that are not printable ASCII written as \DDD (RFC
// 1035, Section 5.1).
func (r *Record) ZoneValue() string {
	return zonetext.Quote(r.String())
}

// Validate reports the problems of a record built in code, as [Check]
// finds them in its String form.
func (r *Record) Validate() finding.List {
	_, l := Check(r.String())
	return l
}
