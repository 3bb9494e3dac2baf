package sectxt

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rfcUnsigned is the example of RFC 9116, Section 2.6, with LF line
// endings as printed.
const rfcUnsigned = `# Our security address
Contact: mailto:security@example.com

# Our OpenPGP key
Encryption: https://example.com/pgp-key.txt

# Our security policy
Policy: https://example.com/security-policy.html

# Our security acknowledgments page
Acknowledgments: https://example.com/hall-of-fame.html

Expires: 2021-12-31T18:37:07z
`

// rfcSignedBody is the signed text of the example of RFC 9116, Section 2.7.
const rfcSignedBody = `# Canonical URI
Canonical: https://example.com/.well-known/security.txt

# Our security address
Contact: mailto:security@example.com

# Our OpenPGP key
Encryption: https://example.com/pgp-key.txt

# Our security policy
Policy: https://example.com/security-policy.html

# Our security acknowledgments page
Acknowledgments: https://example.com/hall-of-fame.html

Expires: 2021-12-31T18:37:07z
`

// sigBlock is a syntactically valid signature block (RFC 4880, Section 6.2
// armor; RFC 9116, Section 4: signature). The data is not a real signature:
// the parser does not verify it.
const sigBlock = "-----BEGIN PGP SIGNATURE-----\r\n" +
	"Version: GnuPG v2.2\r\n" +
	"\r\n" +
	"iHUEARYKAB0WIQTFMDhXxEXAMPLEONLYxnotxrealxsignatureAAoJEAAAAAAA\r\n" +
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\r\n" +
	"=AbCd\r\n" +
	"-----END PGP SIGNATURE-----\r\n"

// crlf converts LF line endings to CRLF.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// signed wraps body in the OpenPGP cleartext signature framework as gpg
// --clearsign writes it (with CRLF), dash-escaping lines that begin with
// '-' (RFC 4880, Section 7.1).
func signed(body string) string {
	var b strings.Builder
	b.WriteString("-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA512\r\n\r\n")
	for _, l := range strings.SplitAfter(body, "\n") {
		if strings.HasPrefix(l, "-") {
			b.WriteString("- ")
		}
		b.WriteString(l)
	}
	b.WriteString(sigBlock)
	return crlf(strings.ReplaceAll(b.String(), "\r\n", "\n"))
}

func rfcExpiry() time.Time { return time.Date(2021, 12, 31, 18, 37, 7, 0, time.UTC) }

func TestParse(t *testing.T) {
	good := func(text string, want File) {
		t.Helper()
		f, err := Parse(text)
		if !assert.NoError(t, err, "%q", text) {
			return
		}
		if want.Contacts == nil {
			want.Contacts = []string{}
		}
		if !want.Expires.IsZero() {
			assert.True(t, want.Expires.Equal(f.Expires), "Expires of %q: %v", text, f.Expires)
			want.Expires = f.Expires
		}
		assert.Equal(t, want, *f, "%q", text)
	}
	bad := func(text string, line int, contains string) {
		t.Helper()
		_, err := Parse(text)
		var se *SyntaxError
		if !assert.ErrorAs(t, err, &se, "%q", text) {
			return
		}
		assert.ErrorIs(t, err, ErrSyntax)
		assert.Equal(t, line, se.Line, "line of %q: %v", text, err)
		assert.Contains(t, err.Error(), contains, "%q", text)
	}
	const base = "Contact: mailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\n"
	minFile := func(extra File) File {
		extra.Contacts = append([]string{"mailto:security@example.com"}, extra.Contacts...)
		extra.Expires = rfcExpiry()
		return extra
	}
	rfcFile := File{
		Contacts:        []string{"mailto:security@example.com"},
		Encryption:      []string{"https://example.com/pgp-key.txt"},
		Policy:          []string{"https://example.com/security-policy.html"},
		Acknowledgments: []string{"https://example.com/hall-of-fame.html"},
		Expires:         rfcExpiry(),
	}
	rfcSigned := rfcFile
	rfcSigned.Canonical = []string{"https://example.com/.well-known/security.txt"}
	rfcSigned.Signed = true
	rfcSigned.HashAlgorithms = []string{"SHA256"}

	// RFC 9116, Section 2.6, as printed (LF) and with CRLF (Section 2.2).
	// eikendev/sectxt#16: its parser once required CRLF and failed on Red
	// Hat's LF file; both are fine in an unsigned file.
	good(rfcUnsigned, rfcFile)
	good(crlf(rfcUnsigned), rfcFile)
	// RFC 9116, Section 2.7, with a signature block that is well formed.
	good(crlf("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"+rfcSignedBody)+sigBlock, rfcSigned)
	// The grammar allows LF in the signed text itself (cleartext = *(... [CR]
	// LF)); only the framework lines need CRLF (Internet.nl#1475 reads it so).
	good("-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\n"+rfcSignedBody+sigBlock, rfcSigned)
	// Mixed line endings; field names are case-insensitive (Section 2).
	good("CONTACT: mailto:security@example.com\r\nexpires: 2021-12-31T18:37:07Z\n", minFile(File{}))
	// eol = *WSP [CR] LF: white space at the end of a line, and blank lines
	// holding only white space.
	good("Contact: mailto:security@example.com \t\n  \t\nExpires: 2021-12-31T18:37:07Z  \r\n", minFile(File{}))
	// Comments may hold any visible character, UTF-8 and tabs (Section 2.1).
	good("#\n# Sécurité\t— 安全\n"+base+"#no space\n", minFile(File{}))
	// Contact examples of Section 2.5.3, in order of preference.
	good("Contact: mailto:security@example.com\nContact: mailto:security%2Buri%2Bencoded@example.com\nContact: tel:+1-201-555-0123\nContact: https://example.com/security-contact.html\nExpires: 2021-12-31T18:37:07Z\n",
		File{Contacts: []string{"mailto:security@example.com", "mailto:security%2Buri%2Bencoded@example.com", "tel:+1-201-555-0123", "https://example.com/security-contact.html"}, Expires: rfcExpiry()})
	// Encryption examples of Section 2.5.4: not only web URIs.
	good(base+"Encryption: https://example.com/pgp-key.txt\nEncryption: dns:5d2d37ab76d47d36._openpgpkey.example.com?type=OPENPGPKEY\nEncryption: openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f\n",
		minFile(File{Encryption: []string{"https://example.com/pgp-key.txt", "dns:5d2d37ab76d47d36._openpgpkey.example.com?type=OPENPGPKEY", "openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f"}}))
	// Canonical examples of Section 2.5.2; Hiring of Section 2.5.6.
	good(base+"Canonical: https://www.example.com/.well-known/security.txt\nCanonical: https://someserver.example.com/.well-known/security.txt\nHiring: https://example.com/jobs.html\n",
		minFile(File{Canonical: []string{"https://www.example.com/.well-known/security.txt", "https://someserver.example.com/.well-known/security.txt"}, Hiring: []string{"https://example.com/jobs.html"}}))
	// Preferred-Languages of Section 2.5.8; lang-values allows *WSP around
	// the commas.
	good(base+"Preferred-Languages: en, es, fr\n", minFile(File{PreferredLanguages: []string{"en", "es", "fr"}}))
	good(base+"Preferred-Languages: en-GB ,de-CH-1996,\tzh-Hant-TW,x-klingon\n", minFile(File{PreferredLanguages: []string{"en-GB", "de-CH-1996", "zh-Hant-TW", "x-klingon"}}))
	// CSAF, a registered extension (CSAF 2.0, Section 7.1.8).
	good(base+"CSAF: https://example.com/.well-known/csaf/provider-metadata.json\n", minFile(File{CSAF: []string{"https://example.com/.well-known/csaf/provider-metadata.json"}}))
	// Unknown fields are kept in order (Section 2.4); an extension's value is
	// "unstructured" and may begin with more white space.
	good(base+"Bug-Bounty: True\nX-Note:   hello, wörld\n", minFile(File{Extensions: []Field{{"Bug-Bounty", "True"}, {"X-Note", "hello, wörld"}}}))
	// RFC 3339 date-times: fractions (securitytxt.org's own file), offsets,
	// "-00:00", lower-case t and z.
	for _, v := range []string{"2021-12-31T18:37:07.000Z", "2021-12-31T19:37:07+01:00", "2021-12-31T13:37:07.0-05:00", "2021-12-31t18:37:07z", "2021-12-31T18:37:07-00:00"} {
		good("Contact: mailto:security@example.com\nExpires: "+v+"\n", minFile(File{}))
	}
	good("Contact: mailto:security@example.com\nExpires: 2024-02-29T23:59:59.123456789Z\n",
		File{Contacts: []string{"mailto:security@example.com"}, Expires: time.Date(2024, 2, 29, 23, 59, 59, 123456789, time.UTC)})
	// Signed: dash-escaped lines are unescaped; any line may be escaped
	// (line-nodash = ["- "] ...); several Hash headers and algorithms.
	good("-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256,SHA512\r\nHash: SHA384\r\n\r\n- Contact: mailto:security@example.com\r\n- -X-Dash: value\r\nExpires: 2021-12-31T18:37:07Z\r\nCanonical: https://example.com/.well-known/security.txt\r\n"+sigBlock,
		File{Contacts: []string{"mailto:security@example.com"}, Canonical: []string{"https://example.com/.well-known/security.txt"}, Extensions: []Field{{"-X-Dash", "value"}}, Expires: rfcExpiry(), Signed: true, HashAlgorithms: []string{"SHA256", "SHA512", "SHA384"}})

	bad("", 0, "empty")
	bad("\r\n \n", 0, "empty")
	bad("Expires: 2021-12-31T18:37:07Z\n", 0, "no Contact")                                            // Section 2.5.3: required
	bad("Contact: mailto:security@example.com\n", 0, "no Expires")                                     // Section 2.5.5: required (Internet.nl#693)
	bad("# Contact: mailto:a@example.com\n"+base[37:], 0, "no Contact")                                // a comment is not a field
	bad("\uFEFF"+base, 1, "byte order mark")                                                           // Section 4: UTF-8 in Net-Unicode form
	bad(base+"# caf\xe9\n", 3, "not valid UTF-8")                                                      // Latin-1
	bad(base+"X: a\x00b\n", 3, "control character")                                                    //
	bad("Contact: mailto:security@example.com\rExpires: 2021-12-31T18:37:07Z\r", 1, "carriage return") // a bare CR is no line break
	// Every line, the last one included, ends with a line break (Section
	// 2.2, and line = [field / comment] eol in Section 4). Peers differ:
	// eikendev/sectxt's nom grammar agrees (line_parser ends with a
	// mandatory eol), while line-splitting checkers accept such a file.
	bad(strings.TrimSuffix(base, "\n"), 2, "does not end with a line break")
	bad(base+"# the end", 3, "does not end with a line break")
	// field-name fs SP value: exactly one space after the colon, none
	// before it (eikendev/sectxt: no_space, prec_ws).
	bad("Contact:mailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\n", 1, "no space after")
	bad("Contact:\tmailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\n", 1, "a tab after")
	bad("Contact:  mailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\n", 1, "more than one space")
	bad("Contact : mailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\n", 1, "white space between")
	bad(base+"Policy:\n", 3, "no value")
	bad(base+"X-Empty: \n", 3, "no value") // Section 2: a field MUST have a value
	// Internet.nl#493 drafted a file with indented lines.
	bad(base+" Policy: https://example.com/disclosure/\n", 3, "begins with white space")
	bad(base+"hello\n", 3, "neither a field")
	bad(base+"Con tact: x\n", 3, "white space")
	bad(base+"Contäct: x\n", 3, "printable ASCII")
	// Contact (Section 2.5.3): a URI; web URIs https.
	bad("Contact: security@example.com\nExpires: 2021-12-31T18:37:07Z\n", 1, "mailto:")
	bad("Contact: +1 201 555 0123\nExpires: 2021-12-31T18:37:07Z\n", 1, "tel:")
	bad("Contact: http://example.com/security\nExpires: 2021-12-31T18:37:07Z\n", 1, "must begin with https://")
	bad("Contact: https:/example.com\nExpires: 2021-12-31T18:37:07Z\n", 1, "not a URI")
	bad("Contact: https://\nExpires: 2021-12-31T18:37:07Z\n", 1, "no host")
	bad("Contact: mailto:security@example.com (24/7)\nExpires: 2021-12-31T18:37:07Z\n", 1, "white space")
	bad("Contact: mailto:security\nExpires: 2021-12-31T18:37:07Z\n", 1, "needs an e-mail address")
	bad("Contact: https://bücher.example/\nExpires: 2021-12-31T18:37:07Z\n", 1, "non-ASCII")
	bad("Contact: https://example.com/%zz\nExpires: 2021-12-31T18:37:07Z\n", 1, "hexadecimal")
	bad("Contact: www.example.com/security\nExpires: 2021-12-31T18:37:07Z\n", 1, "no scheme")
	// The other URI fields.
	bad(base+"Policy: http://example.com/policy\n", 3, "https://")
	bad(base+"Acknowledgments: http://example.com/thanks\n", 3, "https://")
	bad(base+"Canonical: http://example.com/.well-known/security.txt\n", 3, "https://")
	bad(base+"Hiring: /jobs\n", 3, "not a URI")
	bad(base+"Encryption: -----BEGIN PGP PUBLIC KEY BLOCK-----\n", 3, "holds a key")   // Section 2.5.4
	bad(base+"CSAF: http://example.com/provider-metadata.json\n", 3, "https://")       // CSAF 2.0
	bad(base+"CSAF: ftp://example.com/provider-metadata.json\n", 3, "https:// URI of") //
	// Expires (Section 2.5.5): exactly once, an RFC 3339 date-time.
	bad(base+"Expires: 2022-12-31T18:37:07Z\n", 3, "second Expires")
	bad("Contact: mailto:a@example.com\nExpires: 2021-12-31\n", 2, "date alone")                    // Internet.nl#769
	bad("Contact: mailto:a@example.com\nExpires: 2021-12-31T18:37:07\n", 2, "no time zone")         // Internet.nl#769
	bad("Contact: mailto:a@example.com\nExpires: 2021-12-31 18:37:07Z\n", 2, "not a space")         //
	bad("Contact: mailto:a@example.com\nExpires: 2023-04-31T23:00:00.000Z\n", 2, "not a date")      // nextcloud/server#34522
	bad("Contact: mailto:a@example.com\nExpires: 2023-02-29T23:00:00Z\n", 2, "not a date")          // not a leap year
	bad("Contact: mailto:a@example.com\nExpires: Mon, 14 Mar 2022 00:00 +0000\n", 2, "RFC 3339")    // an older draft's format
	bad("Contact: mailto:a@example.com\nExpires: 2021-12-31T18:37Z\n", 2, "needs seconds")          //
	bad("Contact: mailto:a@example.com\nExpires: 2021-12-31T24:00:00Z\n", 2, "not a time of day")   //
	bad("Contact: mailto:a@example.com\nExpires: 2021-12-31T18:37:07+0100\n", 2, "needs a colon")   //
	bad("Contact: mailto:a@example.com\nExpires: 2021-12-31T18:37:07 UTC\n", 2, "not a time zone")  //
	bad("Contact: mailto:a@example.com\nExpires: 2021-12-31T18:37:07.Z\n", 2, "followed by digits") //
	bad("Contact: mailto:a@example.com\nExpires: 9999-12-31T23:59:60Z\n", 2, "after the year 9999") // a leap second past year 9999
	// Preferred-Languages (Section 2.5.8): at most once, RFC 5646 tags.
	bad(base+"Preferred-Languages: en\nPreferred-Languages: nl\n", 4, "second Preferred-Languages")
	bad(base+"Preferred-Languages: en_US\n", 3, "not '_'")
	bad(base+"Preferred-Languages: en es\n", 3, "commas")
	bad(base+"Preferred-Languages: en,\n", 3, "empty")
	bad(base+"Preferred-Languages: en;q=0.9\n", 3, "not a language tag")
	bad(base+"Preferred-Languages: 12\n", 3, "not a language tag")
	bad(base+"Preferred-Languages: toolongtag\n", 3, "1 to 8")
}

func TestParseSigned(t *testing.T) {
	bad := func(text string, line int, contains string) {
		t.Helper()
		_, err := Parse(text)
		var se *SyntaxError
		if assert.ErrorAs(t, err, &se, "%q", text) {
			assert.Equal(t, line, se.Line, "line of %v", err)
			assert.Contains(t, err.Error(), contains)
		}
	}
	body := "Canonical: https://example.com/.well-known/security.txt\nContact: mailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\n"
	f, err := Parse(signed(body))
	require.NoError(t, err)
	assert.True(t, f.Signed)
	assert.Equal(t, []string{"SHA512"}, f.HashAlgorithms)

	// Nothing may follow the signature (RFC 9116, Section 4: the body ends
	// with armor-tail), not even an empty line.
	bad(signed(body)+"Contact: mailto:attacker@example.net\r\n", 14, "nothing may follow")
	bad(signed(body)+"\r\n", 14, "nothing may follow")
	// gpg --clearsign on Unix writes LF only: the framework lines need CRLF.
	bad(strings.ReplaceAll(signed(body), "\r\n", "\n"), 1, "CRLF")
	bad(strings.Replace(signed(body), "-----END PGP SIGNATURE-----\r\n", "-----END PGP SIGNATURE-----\n", 1), 13, "CRLF")
	// The header must be the first line, exactly.
	bad("\r\n"+signed(body), 2, "first line")
	bad("# hello\r\n"+signed(body), 2, "first line")
	bad(signed(body)[1:], 1, "exactly") // Internet.nl#493's draft had four dashes
	bad(" "+signed(body), 1, "exactly")
	// Hash headers (RFC 9116, Section 4: 1*hash-header, case-sensitive).
	bad(strings.Replace(signed(body), "Hash: SHA512\r\n", "", 1), 2, "no Hash header")
	bad(strings.Replace(signed(body), "Hash: SHA512\r\n\r\n", "", 1), 2, "no Hash header")
	bad(strings.Replace(signed(body), "Hash: SHA512\r\n\r\n", "Hash: SHA512\r\n", 1), 3, "empty line must separate")
	bad(strings.Replace(signed(body), "Hash: SHA512", "hash: SHA512", 1), 2, "exactly \"Hash: \"")
	bad(strings.Replace(signed(body), "Hash: SHA512", "Hash: SHA 512", 1), 2, "not the name of a hash")
	bad(strings.Replace(signed(body), "Hash: SHA512\r\n\r\n", "Hash: SHA512\r\n \r\n", 1), 3, "holds white space")
	// Dash-escaping (RFC 4880, Section 7.1): a signed line beginning with
	// '-' must be escaped.
	bad(strings.Replace(signed(body), "Contact:", "-Contact:", 1), 5, "dash-escaped")
	// The signature block.
	bad(strings.Split(signed(body), "-----BEGIN PGP SIGNATURE-----")[0], 6, "not followed by a signature")
	bad(strings.Split(signed(body), "-----END PGP SIGNATURE-----")[0], 12, "does not end with")
	bad(strings.Replace(signed(body), "Version: GnuPG v2.2\r\n\r\n", "Version: GnuPG v2.2\r\n", 1), 9, "empty line must separate")
	bad(strings.Replace(signed(body), "=AbCd\r\n", "=AbCd\r\n[signature]\r\n", 1), 13, "not signature data") // RFC 9116's placeholder
	bad(strings.Replace(signed(body), "-----BEGIN PGP SIGNATURE-----", " -----BEGIN PGP SIGNATURE-----", 1), 7, "exactly")
	bad(strings.Replace(signed(body), "-----END PGP SIGNATURE-----", "-----END PGP SIGNATURE----", 1), 13, "exactly")
	bad(strings.Replace(signed(body), "Version: GnuPG v2.2\r\n\r\n", "Version: GnuPG v2.2\r\nnot a header\r\n\r\n", 1), 9, "neither an armor header")
	bad("-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA512\r\n\r\nContact: mailto:a@example.com\r\nExpires: 2021-12-31T18:37:07Z\r\n-----BEGIN PGP SIGNATURE-----\r\n\r\n-----END PGP SIGNATURE-----\r\n", 8, "no signature data")
	// A signature block without the signed header.
	bad(minText()+sigBlock, 3, "does not begin with -----BEGIN PGP SIGNED MESSAGE-----")
}

func minText() string { return "Contact: mailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\n" }

func TestParseErrorIsSentinel(t *testing.T) {
	_, err := Parse("Contact: mailto:a@example.com\nnonsense\n")
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrSyntax))
	assert.Equal(t, `sectxt: syntax error: line 2: "nonsense" is neither a field (Name: value), a comment (# ...) nor an empty line`, err.Error())
	_, err = Parse("Contact: mailto:a@example.com\n")
	assert.Equal(t, "sectxt: syntax error: no Expires field: the file must say when its content becomes stale", err.Error())
}

func TestParseDateTime(t *testing.T) {
	for in, want := range map[string]string{
		"2021-12-31T18:37:07z":                "2021-12-31T18:37:07Z",
		"1985-04-12T23:20:50.52Z":             "1985-04-12T23:20:50.52Z",   // RFC 3339, Section 5.8
		"1996-12-19T16:39:57-08:00":           "1996-12-19T16:39:57-08:00", //
		"1990-12-31T23:59:60Z":                "1991-01-01T00:00:00Z",      // a leap second, normalised
		"1937-01-01T12:00:27.87+00:20":        "1937-01-01T12:00:27.87+00:20",
		"2021-12-31T18:37:07.1234567891Z":     "2021-12-31T18:37:07.123456789Z",
		"0000-01-01T00:00:00+01:00":           "0000-01-01T00:00:00+01:00",
		"2024-02-29T00:00:00.000000000+14:00": "2024-02-29T00:00:00+14:00",
	} {
		tm, msg, _ := parseDateTime(in)
		if assert.Empty(t, msg, in) {
			assert.Equal(t, want, formatTime(tm), in)
		}
	}
	_, _, fix := parseDateTime("Mon, 14 Mar 2022 00:00 +0000")
	assert.Equal(t, "Expires: 2022-03-14T00:00:00Z", fix) // securitytxt.org PR #79
	_, _, fix = parseDateTime("2021-12-31")
	assert.Equal(t, "2021-12-31T00:00:00Z", fix)
}

func TestRoundTrip(t *testing.T) {
	for _, text := range []string{
		rfcUnsigned,
		crlf("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"+rfcSignedBody) + sigBlock,
		"expires: 2021-12-31T19:37:07.5+01:00\ncontact: tel:+1-201-555-0123\nContact: mailto:a@example.com\nPreferred-Languages: en ,nl\nX-Foo:  bar  baz\nCSAF: https://example.com/provider-metadata.json\nHiring: https://example.com/jobs\n",
	} {
		f, err := Parse(text)
		require.NoError(t, err)
		s := f.String()
		assert.True(t, strings.HasSuffix(s, "\r\n"))
		assert.NotContains(t, strings.ReplaceAll(s, "\r\n", ""), "\n", "only CRLF line endings")
		f2, err := Parse(s)
		require.NoError(t, err, "%q", s)
		f.Signed, f.HashAlgorithms = false, nil // String gives the unsigned text
		assert.Equal(t, f.String(), f2.String())
		assert.True(t, f.Expires.Equal(f2.Expires))
		f2.Expires = f.Expires
		assert.Equal(t, f, f2)
	}
}
