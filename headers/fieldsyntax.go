package headers

import "net/netip"

// The syntax of header fields and of IP address literals, written here so
// that the browser build links neither golang.org/x/net/http/httpguts nor
// net/textproto nor net (fieldsyntax_test.go holds each function to the
// one it stands for).

// validFieldValue reports whether value holds no control character but
// HTAB (RFC 9110, Section 5.5: field-vchar, SP, HTAB and obs-text), as
// httpguts.ValidHeaderFieldValue: like it, it does not reject leading or
// trailing white space.
func validFieldValue(value string) bool {
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// canonicalFieldName returns name as net/http writes it
// (textproto.CanonicalMIMEHeaderKey): each letter that starts the name
// or follows "-" upper case, the others lower case; a name with a byte
// that is not a tchar is returned as it is.
func canonicalFieldName(name string) string {
	b := []byte(name)
	upper := true
	for i, c := range b {
		if !tokenChar(c) {
			return name
		}
		switch {
		case upper && 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case !upper && 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
		upper = c == '-'
	}
	return string(b)
}

// ipLiteral parses s as net.ParseIP does: an IPv4 or IPv6 address
// without a zone. is4 is what net.IP.To4 != nil says: IPv4, or IPv4
// mapped into IPv6 (::ffff:a.b.c.d).
func ipLiteral(s string) (ok, is4 bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return false, false
	}
	return true, a.Is4() || a.Is4In6()
}

// isIPLiteral reports whether net.ParseIP(s) would give an address.
func isIPLiteral(s string) bool {
	ok, _ := ipLiteral(s)
	return ok
}
