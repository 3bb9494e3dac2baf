package headers

import (
	"net"
	"net/textproto"
	"testing"

	"golang.org/x/net/http/httpguts"
)

// checkFieldSyntax holds the field and address functions to the library
// functions they stand for.
func checkFieldSyntax(t *testing.T, s string) {
	t.Helper()
	if got, want := isHTTPToken(s), httpguts.ValidHeaderFieldName(s); got != want {
		t.Errorf("isHTTPToken(%q) = %v, httpguts %v", s, got, want)
	}
	if got, want := validFieldValue(s), httpguts.ValidHeaderFieldValue(s); got != want {
		t.Errorf("validFieldValue(%q) = %v, httpguts %v", s, got, want)
	}
	if got, want := canonicalFieldName(s), textproto.CanonicalMIMEHeaderKey(s); got != want {
		t.Errorf("canonicalFieldName(%q) = %q, textproto %q", s, got, want)
	}
	ip := net.ParseIP(s)
	if ok, is4 := ipLiteral(s); ok != (ip != nil) || is4 != (ip.To4() != nil) {
		t.Errorf("ipLiteral(%q) = %v, %v; net.ParseIP %v, To4 %v", s, ok, is4, ip, ip.To4())
	}
	if got := isIPLiteral(s); got != (ip != nil) {
		t.Errorf("isIPLiteral(%q) = %v, net.ParseIP %v", s, got, ip)
	}
}

var fieldSyntaxInputs = []string{
	"", "a", "A", "content-type", "Content-Type", "CONTENT-TYPE", "x--y", "-x", "x-", "a-b-c",
	"content-security-policy", "WWW-Authenticate", "x_y", "x y", "x:y", "x\ty", "é", "x\xff",
	"te", "dnt", "x-1a", "1-a", "value with space", "tab\tok", "bad\x00", "bad\x7f", "bad\r\n",
	"obs-text \x80\xff", " lead", "trail ", "192.0.2.1", "::1", "::ffff:192.0.2.1", "2001:db8::1",
	"fe80::1%eth0", "01.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "[::1]", "::ffff:0:0",
	"0.0.0.0", "::", "1::2::3", "example.com",
}

func TestFieldSyntax(t *testing.T) {
	for _, s := range fieldSyntaxInputs {
		checkFieldSyntax(t, s)
	}
	// Every byte alone, and every byte after and before a letter and "-".
	for c := range 256 {
		b := string([]byte{byte(c)})
		for _, s := range []string{b, "a" + b, b + "a", "-" + b, b + "-x", "x-" + b + "y"} {
			checkFieldSyntax(t, s)
		}
	}
}

func FuzzFieldSyntax(f *testing.F) {
	for _, s := range fieldSyntaxInputs {
		f.Add(s)
	}
	f.Fuzz(checkFieldSyntax)
}
