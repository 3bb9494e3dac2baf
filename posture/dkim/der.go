package dkim

import (
	"math/big"
	"strconv"
	"strings"
)

// A small reader and writer of the DER (ITU-T X.690) of the two structures
// a DKIM key comes in: SubjectPublicKeyInfo (RFC 5280, Section 4.1) and
// RSAPublicKey (RFC 8017, Appendix A.1.1). encoding/asn1 would cost the
// browser build about 60 KB of brotli for them; this reader accepts and
// rejects what encoding/asn1.Unmarshal does with the structs the package
// used before (key_der_test.go compares the two on real, damaged and
// fuzzed keys), so the findings are the same.

// Universal tags (X.690, Section 8.1.2; X.680, Section 8.4).
const (
	tagInteger   = 2
	tagBitString = 3
	tagNull      = 5
	tagOID       = 6
	tagSequence  = 16
)

// derValue is one DER element: its identifier, contents and whole
// encoding.
type derValue struct {
	class, tag int
	compound   bool
	content    []byte
	full       []byte
}

// is reports whether v is the universal type tag, constructed or not.
func (v derValue) is(tag int, compound bool) bool {
	return v.class == 0 && v.tag == tag && v.compound == compound
}

// readDER reads the element that starts b (X.690, Section 8.1) and
// returns it with the bytes after it. It fails where encoding/asn1 does:
// a tag number of 31 or more not in its minimal form, an indefinite length
// (Section 8.1.3.6, not DER), a long-form length with leading zero bytes
// or below 128 (Section 10.1), a length over 2^31, and contents past the
// end of b.
func readDER(b []byte) (v derValue, rest []byte, ok bool) {
	if len(b) == 0 {
		return v, nil, false
	}
	v.class, v.compound, v.tag = int(b[0]>>6), b[0]&0x20 != 0, int(b[0]&0x1f)
	off := 1
	if v.tag == 0x1f {
		var n int
		if n, off, ok = readBase128(b, off); !ok || n < 0x1f {
			return v, nil, false
		}
		v.tag = n
	}
	if off >= len(b) {
		return v, nil, false
	}
	length := int(b[off])
	off++
	if length&0x80 != 0 {
		n := length & 0x7f
		if n == 0 {
			return v, nil, false
		}
		length = 0
		for range n {
			if off >= len(b) || length >= 1<<23 {
				return v, nil, false
			}
			length = length<<8 | int(b[off])
			off++
			if length == 0 {
				return v, nil, false
			}
		}
		if length < 0x80 {
			return v, nil, false
		}
	}
	if length > len(b)-off {
		return v, nil, false
	}
	v.content, v.full = b[off:off+length], b[:off+length]
	return v, b[off+length:], true
}

// readBase128 reads a base-128 number (X.690, Section 8.19.2) at b[off:]
// that fits in 31 bits and is minimally encoded.
func readBase128(b []byte, off int) (n, next int, ok bool) {
	var v int64
	for shifted := 0; off < len(b); shifted++ {
		if shifted == 5 {
			return 0, off, false
		}
		c := b[off]
		if shifted == 0 && c == 0x80 {
			return 0, off, false
		}
		v = v<<7 | int64(c&0x7f)
		off++
		if c&0x80 == 0 {
			return int(v), off, v <= 1<<31-1
		}
	}
	return 0, off, false
}

// oid is an OBJECT IDENTIFIER's components.
type oid []int

// String returns the components with dots, as asn1.ObjectIdentifier
// prints them.
func (o oid) String() string {
	var b strings.Builder
	for i, c := range o {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(c))
	}
	return b.String()
}

// Equal reports whether o and p have the same components.
func (o oid) Equal(p oid) bool {
	if len(o) != len(p) {
		return false
	}
	for i := range o {
		if o[i] != p[i] {
			return false
		}
	}
	return true
}

// parseOID reads the contents of an OBJECT IDENTIFIER (X.690, Section
// 8.19): the first number holds the first two components.
func parseOID(b []byte) (oid, bool) {
	if len(b) == 0 {
		return nil, false
	}
	v, off, ok := readBase128(b, 0)
	if !ok {
		return nil, false
	}
	o := oid{2, v - 80}
	if v < 80 {
		o = oid{v / 40, v % 40}
	}
	for off < len(b) {
		if v, off, ok = readBase128(b, off); !ok {
			return nil, false
		}
		o = append(o, v)
	}
	return o, true
}

// parseBitString reads the contents of a BIT STRING (X.690, Section
// 8.6): the number of unused bits, 0 to 7 and 0 when empty, which must be
// zero bits (Section 11.2.1).
func parseBitString(b []byte) (bits []byte, bitLen int, ok bool) {
	if len(b) == 0 {
		return nil, 0, false
	}
	pad := int(b[0])
	if pad > 7 || len(b) == 1 && pad > 0 || b[len(b)-1]&(1<<pad-1) != 0 {
		return nil, 0, false
	}
	return b[1:], (len(b)-1)*8 - pad, true
}

// minimalInteger reports whether b is the contents of an INTEGER in its
// minimal two's complement form (X.690, Section 8.3.2).
func minimalInteger(b []byte) bool {
	return len(b) == 1 || len(b) > 1 && !(b[0] == 0 && b[1]&0x80 == 0) && !(b[0] == 0xff && b[1]&0x80 != 0)
}

// spki is a SubjectPublicKeyInfo: the algorithm, its parameters (a zero
// derValue when absent) and the key's bit string.
type spki struct {
	algorithm oid
	params    derValue
	key       []byte
	keyBits   int
}

// parseSPKI reads a SubjectPublicKeyInfo (RFC 5280, Section 4.1.2.7) at
// the start of b. Elements after the last expected one inside a SEQUENCE
// are ignored, as encoding/asn1 ignores them.
func parseSPKI(b []byte) (s spki, rest []byte, ok bool) {
	seq, rest, ok := readDER(b)
	if !ok || !seq.is(tagSequence, true) {
		return s, nil, false
	}
	alg, in, ok := readDER(seq.content)
	if !ok || !alg.is(tagSequence, true) {
		return s, nil, false
	}
	id, params, ok := readDER(alg.content)
	if !ok || !id.is(tagOID, false) {
		return s, nil, false
	}
	if s.algorithm, ok = parseOID(id.content); !ok {
		return s, nil, false
	}
	if len(params) > 0 {
		// AlgorithmIdentifier's parameters: OPTIONAL, of any type.
		if s.params, _, ok = readDER(params); !ok {
			return s, nil, false
		}
	}
	bs, _, ok := readDER(in)
	if !ok || !bs.is(tagBitString, false) {
		return s, nil, false
	}
	if s.key, s.keyBits, ok = parseBitString(bs.content); !ok {
		return s, nil, false
	}
	return s, rest, true
}

// parseRSADER reads an RSAPublicKey (RFC 8017, Appendix A.1.1) at the
// start of b: the modulus and the exponent, which must fit in an int.
func parseRSADER(b []byte) (n *big.Int, e int, rest []byte, ok bool) {
	seq, rest, ok := readDER(b)
	if !ok || !seq.is(tagSequence, true) {
		return nil, 0, nil, false
	}
	mod, in, ok := readDER(seq.content)
	if !ok || !mod.is(tagInteger, false) || !minimalInteger(mod.content) {
		return nil, 0, nil, false
	}
	exp, _, ok := readDER(in)
	if !ok || !exp.is(tagInteger, false) || !minimalInteger(exp.content) || len(exp.content) > 8 {
		return nil, 0, nil, false
	}
	var e64 int64
	for _, c := range exp.content {
		e64 = e64<<8 | int64(c)
	}
	shift := 64 - 8*len(exp.content)
	e64 = e64 << shift >> shift // sign extension
	if int64(int(e64)) != e64 {
		return nil, 0, nil, false
	}
	n = new(big.Int).SetBytes(mod.content)
	if mod.content[0]&0x80 != 0 {
		// A negative modulus: only its sign matters to the caller.
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(mod.content))))
	}
	return n, int(e64), rest, true
}

// appendDER appends an element of the universal type tag with contents.
func appendDER(b []byte, tag int, compound bool, contents []byte) []byte {
	id := byte(tag)
	if compound {
		id |= 0x20
	}
	b = append(b, id)
	if n := len(contents); n < 0x80 {
		b = append(b, byte(n))
	} else {
		var l []byte
		for ; n > 0; n >>= 8 {
			l = append([]byte{byte(n)}, l...)
		}
		b = append(append(b, 0x80|byte(len(l))), l...)
	}
	return append(b, contents...)
}

// integerContents returns the minimal two's complement of n > 0.
func integerContents(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return b
}

// oidRSAEncoding is the DER of rsaEncryption, 1.2.840.113549.1.1.1.
var oidRSAEncoding = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01}

// marshalRSASPKI returns the SubjectPublicKeyInfo of an RSA key with n > 0
// and e > 0: as crypto/x509 writes it, with NULL parameters (RFC 3279,
// Section 2.3.1).
func marshalRSASPKI(n *big.Int, e int) []byte {
	key := appendDER(nil, tagInteger, false, integerContents(n))
	key = appendDER(key, tagInteger, false, integerContents(big.NewInt(int64(e))))
	key = appendDER(nil, tagSequence, true, key)
	alg := appendDER(append([]byte{}, oidRSAEncoding...), tagNull, false, nil)
	body := appendDER(nil, tagSequence, true, alg)
	body = appendDER(body, tagBitString, false, append([]byte{0}, key...))
	return appendDER(nil, tagSequence, true, body)
}
