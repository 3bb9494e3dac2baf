package sectxt

import (
	"strings"
	"testing"
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkNow is the clock of the Check tests: half a year before the
// Expires of RFC 9116's examples.
var checkNow = time.Date(2021, 6, 30, 12, 0, 0, 0, time.UTC)

// wholeFile are the codes of findings about the file as a whole, which
// have no line.
var wholeFile = map[string]bool{
	"sectxt.empty": true, "sectxt.contact_missing": true, "sectxt.expires_missing": true, "sectxt.unsigned": true,
	"sectxt.canonical_missing": true, "sectxt.encryption_missing": true, "sectxt.too_large": true, "sectxt.too_many_lines": true,
}

// codes returns the codes Check reports, each with its line, and checks
// the shape of every finding.
func codes(t *testing.T, text string, now time.Time) map[string]int {
	t.Helper()
	f, l := Check(text, now)
	require.NotNil(t, f)
	m := map[string]int{}
	for _, x := range l {
		m[x.Code] = x.Line
		assert.True(t, strings.HasPrefix(x.Code, "sectxt."), x.Code)
		assert.NotEmpty(t, x.Message, x.Code)
		assert.Contains(t, []finding.Severity{finding.Error, finding.Warning, finding.Info}, x.Severity)
		assert.Regexp(t, `^(RFC \d+|CSAF 2\.0), Section [\d.]+$`, x.RFC, x.Code)
		if !wholeFile[x.Code] {
			assert.Positive(t, x.Line, "finding %s has no line: %v", x.Code, x)
		}
	}
	return m
}

func TestCheck(t *testing.T) {
	has := func(text, code string, line int, now ...time.Time) {
		t.Helper()
		at := checkNow
		if len(now) > 0 {
			at = now[0]
		}
		m := codes(t, text, at)
		got, ok := m[code]
		if assert.True(t, ok, "want %s in %q, got %v", code, text, m) {
			assert.Equal(t, line, got, "line of %s", code)
		}
	}
	clean := func(text string) {
		t.Helper()
		assert.Empty(t, codes(t, text, checkNow), "%q", text)
	}
	const base = "Contact: mailto:security@example.com\nExpires: 2021-12-31T18:37:07Z\nEncryption: https://example.com/pgp-key.txt\n"
	const canon = "Canonical: https://example.com/.well-known/security.txt\n"
	clean(signed(canon + base))
	clean(signed(canon + "Contact: https://example.com/security\nExpires: 2021-12-31T18:37:07Z\nPreferred-Languages: en, nl\nCSAF: https://example.com/.well-known/csaf/provider-metadata.json\n"))

	// Expires (RFC 9116, Section 2.5.5): stale, too far ahead
	// (Internet.nl#1380: a recommendation, so a warning), soon.
	has(base, "sectxt.expired", 2, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	has(base, "sectxt.expired", 2, time.Date(2021, 12, 31, 18, 37, 7, 0, time.UTC)) // "after which": the instant itself is stale
	has(base, "sectxt.expires_too_far", 2, time.Date(2020, 12, 31, 18, 37, 6, 0, time.UTC))
	has(base, "sectxt.expires_soon", 2, time.Date(2021, 12, 20, 0, 0, 0, 0, time.UTC))
	assert.NotContains(t, codes(t, base, time.Date(2020, 12, 31, 18, 37, 7, 0, time.UTC)), "sectxt.expires_too_far") // exactly a year
	// The default expiry stays under a year, even from a 29 February.
	for _, now := range []time.Time{checkNow, time.Date(2024, 2, 29, 23, 59, 59, 999, time.UTC), time.Date(2023, 12, 31, 23, 0, 0, 0, time.FixedZone("", -11*3600))} {
		text := "Contact: https://example.com/security\nExpires: " + formatTime(DefaultExpiry(now)) + "\n"
		m := codes(t, text, now)
		assert.NotContains(t, m, "sectxt.expires_too_far", "%v", now)
		assert.NotContains(t, m, "sectxt.expired", "%v", now)
	}
	// An invalid Expires is reported once, not also as missing.
	m := codes(t, "Contact: mailto:a@example.com\nExpires: 2021-12-31\n", checkNow)
	assert.Contains(t, m, "sectxt.expires_invalid")
	assert.NotContains(t, m, "sectxt.expires_missing")
	m = codes(t, "Contact: tel\nExpires:\n", checkNow)
	assert.NotContains(t, m, "sectxt.expires_missing")
	assert.NotContains(t, m, "sectxt.contact_missing")

	// Signature (RFC 9116, Section 2.3).
	has(base, "sectxt.unsigned", 0)
	has(signed(base), "sectxt.canonical_missing", 0)
	has(strings.Replace(signed(canon+base), "SHA512", "SHA1", 1), "sectxt.weak_hash", 2)
	has(signed(canon+base)+"\r\n", "sectxt.data_after_signature", 15)

	// Contact (Section 2.5.3).
	has("Contact: mailto:a@example.com\nExpires: 2021-12-31T18:37:07Z\n", "sectxt.encryption_missing", 0)
	has(base+"Contact: MAILTO:security@example.com\n", "sectxt.contact_duplicate", 4)
	has(base+"Contact: xmpp:security@example.com\n", "sectxt.contact_scheme", 4)

	// Unknown fields (Section 2.4): ignored, but a near miss is a warning.
	has(base+"Acknowledgements: https://example.com/thanks\n", "sectxt.unknown_field", 4)
	has(base+"Expiry: 2021-12-31T18:37:07Z\n", "sectxt.unknown_field", 4)
	has(base+"Bug-Bounty: True\n", "sectxt.unknown_field", 4)
	_, l := Check(base+"Acknowledgements: https://example.com/thanks\nBug-Bounty: True\n", checkNow)
	for _, f := range l {
		switch f.Line {
		case 4:
			assert.Equal(t, finding.Warning, f.Severity)
			assert.Equal(t, "Acknowledgments: https://example.com/thanks", f.Fix)
		case 5:
			assert.Equal(t, finding.Info, f.Severity)
		}
	}

	// Preferred-Languages (Section 2.5.8).
	has(base+"Preferred-Languages: English, nl\n", "sectxt.language_unusual", 4)
	// CSAF (CSAF 2.0, Section 7.1.8).
	has(base+"CSAF: https://example.com/csaf/\n", "sectxt.csaf_not_provider_metadata", 4)

	// Limits of Section 5.4.
	has(base+strings.Repeat("# padding "+strings.Repeat("x", 90)+"\n", 330), "sectxt.too_large", 0)
	has(base+strings.Repeat("\n", 1000), "sectxt.too_many_lines", 0)
	has(base+"# "+strings.Repeat("x", 2100)+"\n", "sectxt.line_too_long", 4)

	// Every syntax error of Parse is a finding with its line, and Check goes
	// on after it.
	m = codes(t, "\uFEFFContact:mailto:a@example.com\n Policy: http://example.com/\nExpires: 2021-12-31\nhello\n# caf\xe9\nPreferred-Languages: en_US\nX: \x01\nContact: https://example.com/ok", checkNow)
	for code, line := range map[string]int{
		"sectxt.bom": 1, "sectxt.no_space_after_colon": 1, "sectxt.leading_space": 2, "sectxt.insecure_uri": 2, "sectxt.expires_invalid": 3,
		"sectxt.not_a_field": 4, "sectxt.invalid_utf8": 5, "sectxt.language_invalid": 6, "sectxt.control_char": 7, "sectxt.no_final_eol": 8,
	} {
		assert.Equal(t, line, m[code], "%s in %v", code, m)
	}
	has("", "sectxt.empty", 0)
	assert.Len(t, codes(t, " \r\n", checkNow), 1)
}

func TestCheckFile(t *testing.T) {
	// What could be read is returned even when there are errors.
	f, l := Check("Contact: mailto:a@example.com\nContact: http://example.com/\nExpires: 2021-12-31\nPolicy: https://example.com/policy\n", checkNow)
	assert.True(t, l.HasErrors())
	assert.Equal(t, []string{"mailto:a@example.com"}, f.Contacts)
	assert.Equal(t, []string{"https://example.com/policy"}, f.Policy)
	assert.True(t, f.Expires.IsZero())
	f, _ = Check("", checkNow)
	assert.Equal(t, []string{}, f.Contacts)
}

func TestValidate(t *testing.T) {
	now := checkNow
	f := &File{
		Canonical:          []string{"https://example.com/.well-known/security.txt"},
		Contacts:           []string{"mailto:security@example.com", "https://example.com/security"},
		Encryption:         []string{"https://example.com/pgp-key.txt"},
		PreferredLanguages: []string{"en", "nl"},
		Extensions:         []Field{{"Bug-Bounty", "True"}},
		Expires:            DefaultExpiry(now),
	}
	assert.Empty(t, f.Validate(now))
	_, l := Check(f.String(), now)
	assert.Equal(t, []string{"sectxt.unsigned", "sectxt.unknown_field"}, codeList(l), "the text of a valid built file checks clean but for the signature and the extension")

	has := func(f *File, code string) {
		t.Helper()
		l := f.Validate(now)
		assert.True(t, l.Has(code), "want %s, got %v", code, codeList(l))
		for _, x := range l {
			if x.Code == code {
				assert.NotEmpty(t, x.Where, code)
			}
		}
	}
	valid := func() *File {
		return &File{Contacts: []string{"https://example.com/security"}, Expires: DefaultExpiry(now)}
	}
	with := func(change func(*File)) *File { f := valid(); change(f); return f }
	has(&File{Expires: DefaultExpiry(now)}, "sectxt.contact_missing")
	has(&File{Contacts: []string{"mailto:a@example.com"}}, "sectxt.expires_missing")
	has(with(func(f *File) { f.Contacts = []string{"security@example.com"} }), "sectxt.contact_invalid")
	has(with(func(f *File) { f.Policy = []string{"http://example.com/"} }), "sectxt.insecure_uri")
	has(with(func(f *File) { f.Expires = now.Add(-time.Hour) }), "sectxt.expired")
	has(with(func(f *File) { f.Expires = now.AddDate(2, 0, 0) }), "sectxt.expires_too_far")
	has(with(func(f *File) { f.Expires = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), "sectxt.expires_invalid")
	has(with(func(f *File) { f.PreferredLanguages = []string{"en es"} }), "sectxt.language_invalid")
	has(with(func(f *File) { f.CSAF = []string{"https://example.com/"} }), "sectxt.csaf_not_provider_metadata")
	// Extensions cannot smuggle lines or shadow the defined fields.
	has(with(func(f *File) { f.Extensions = []Field{{"X", "a\r\nContact: mailto:attacker@example.net"}} }), "sectxt.control_char")
	has(with(func(f *File) { f.Extensions = []Field{{"contact", "mailto:a@example.com"}} }), "sectxt.field_name_invalid")
	has(with(func(f *File) { f.Extensions = []Field{{"#X", "y"}} }), "sectxt.field_name_invalid")
	has(with(func(f *File) { f.Extensions = []Field{{"X Y", "z"}} }), "sectxt.field_name_invalid")
	has(with(func(f *File) { f.Extensions = []Field{{"X", ""}} }), "sectxt.value_missing")
	has(with(func(f *File) { f.Extensions = []Field{{"X", " y"}} }), "sectxt.value_space")

	// Whatever Validate accepts, Parse reads back the same.
	for _, f := range []*File{valid(), f} {
		if assert.False(t, f.Validate(now).HasErrors()) {
			g, err := Parse(f.String())
			require.NoError(t, err)
			assert.Equal(t, f.String(), g.String())
		}
	}
}

func codeList(l finding.List) []string {
	var s []string
	for _, f := range l {
		s = append(s, f.Code)
	}
	return s
}

func TestStringOrder(t *testing.T) {
	f := &File{
		Expires:            time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600)),
		Extensions:         []Field{{"Bug-Bounty", "True"}},
		CSAF:               []string{"https://example.com/provider-metadata.json"},
		PreferredLanguages: []string{"en", "fr"},
		Hiring:             []string{"https://example.com/jobs"},
		Acknowledgments:    []string{"https://example.com/thanks"},
		Policy:             []string{"https://example.com/policy"},
		Encryption:         []string{"https://example.com/key.asc"},
		Contacts:           []string{"mailto:security@example.com", "tel:+1-201-555-0123"},
		Canonical:          []string{"https://example.com/.well-known/security.txt"},
		Signed:             true,
	}
	want := "Canonical: https://example.com/.well-known/security.txt\r\n" +
		"Contact: mailto:security@example.com\r\n" +
		"Contact: tel:+1-201-555-0123\r\n" +
		"Encryption: https://example.com/key.asc\r\n" +
		"Policy: https://example.com/policy\r\n" +
		"Acknowledgments: https://example.com/thanks\r\n" +
		"Hiring: https://example.com/jobs\r\n" +
		"Preferred-Languages: en, fr\r\n" +
		"CSAF: https://example.com/provider-metadata.json\r\n" +
		"Bug-Bounty: True\r\n" +
		"Expires: 2026-03-01T12:00:00+01:00\r\n"
	assert.Equal(t, want, f.String())
	assert.Equal(t, "", (&File{}).String())
	// An offset that is not whole minutes is written in UTC.
	assert.Equal(t, "Contact: tel:1\r\nExpires: 2026-03-01T11:59:30Z\r\n",
		(&File{Contacts: []string{"tel:1"}, Expires: time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("", 30))}).String())
}

func TestDefaultExpiry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 30, 15, 500, time.FixedZone("CET", 3600))
	assert.Equal(t, "2027-02-28T11:30:15Z", formatTime(DefaultExpiry(now)))
	for _, now := range []time.Time{now, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)} {
		d := DefaultExpiry(now)
		assert.True(t, d.After(now.AddDate(0, 11, 0)), "%v", d)
		assert.False(t, d.After(now.AddDate(1, 0, 0)), "%v", d)
	}
}
