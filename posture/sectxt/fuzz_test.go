package sectxt

import (
	"strings"
	"testing"
	"time"

	"github.com/posturekit/posturekit/finding"
)

// syntaxErrors returns the errors of l other than an expired file, which
// depends on the clock rather than the text.
func syntaxErrors(l finding.List) finding.List {
	var errs finding.List
	for _, f := range l {
		if f.Severity == finding.Error && f.Code != "sectxt.expired" {
			errs = append(errs, f)
		}
	}
	return errs
}

// FuzzParse checks that parsing never panics, that Check agrees with Parse
// (Parse fails exactly when Check reports an error other than an expired
// file), that what parses round-trips through String, and that String
// always gives CRLF line endings.
func FuzzParse(f *testing.F) {
	body := "Canonical: https://example.com/.well-known/security.txt\nContact: mailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\n"
	for _, s := range []string{
		rfcUnsigned,
		crlf(rfcUnsigned),
		signed(body),
		signed(body) + "trailing\r\n",
		strings.ReplaceAll(signed(body), "\r\n", "\n"),
		"Contact: tel:+1-201-555-0123\nExpires: 2021-12-31T19:37:07.5+01:00\nPreferred-Languages: en ,nl\nX-Foo:  bar\nCSAF: https://example.com/provider-metadata.json\n",
		"Contact:mailto:a@example.com\nExpires: 2021-12-31\n",
		"\uFEFFContact : x\n Policy: http://x\nhello",
		"",
	} {
		f.Add(s)
	}
	now := time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		file, err := Parse(text)
		cf, l := Check(text, now)
		if cf == nil {
			t.Fatal("Check returned no file")
		}
		if (err != nil) != (len(syntaxErrors(l)) > 0) {
			t.Fatalf("Parse error %v but Check findings %v", err, l)
		}
		if err != nil {
			return
		}
		if cf.String() != file.String() {
			t.Fatalf("Check and Parse read different files:\n%q\n%q", cf.String(), file.String())
		}
		s := file.String()
		if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") || !strings.HasSuffix(s, "\r\n") {
			t.Fatalf("String() is not CRLF text: %q", s)
		}
		f2, err := Parse(s)
		if err != nil {
			t.Fatalf("String() of a parsed file does not parse: %v\n%q\nfrom %q", err, s, text)
		}
		if s2 := f2.String(); s2 != s {
			t.Fatalf("round trip changed the file:\n%q\n%q", s, s2)
		}
		if len(syntaxErrors(file.Validate(now))) > 0 {
			t.Fatalf("Validate finds errors in a parsed file: %v", file.Validate(now))
		}
	})
}
