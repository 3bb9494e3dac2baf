package sectxt

import (
	"strings"
	"time"
)

// Paths of the file on a web server (RFC 9116, Section 3).
const (
	// WellKnownPath is where the file MUST be placed.
	WellKnownPath = "/.well-known/security.txt"
	// LegacyPath is the top-level location kept for legacy compatibility;
	// it may hold a copy or redirect to WellKnownPath, and when both exist
	// the well-known one is used.
	LegacyPath = "/security.txt"
)

// Limits RFC 9116, Section 5.4 suggests researchers' tools apply: such
// tools "may choose to have the code not parse files larger than 32 KBs,
// those with fields longer than 2,048 characters, or those containing more
// than 1,000 lines".
const (
	// MaxFileSize is the largest file, in bytes, that [Fetch] reads and
	// that [Check] accepts without a warning.
	MaxFileSize = 32 << 10
	// MaxLineLength is the longest line, in bytes, [Check] accepts without
	// a warning.
	MaxLineLength = 2048
	// MaxLines is the most lines [Check] accepts without a warning.
	MaxLines = 1000
)

// WellKnownURL returns the address of the security.txt of host (a host
// name or IP address, with an optional port).
func WellKnownURL(host string) string { return "https://" + host + WellKnownPath }

// LegacyURL returns the legacy address of the security.txt of host.
func LegacyURL(host string) string { return "https://" + host + LegacyPath }

// File is the content of a security.txt file (RFC 9116, Section 2). Field
// values are kept as written (URIs are not normalised); comments are not
// kept.
type File struct {
	// Canonical are the URIs the file is meant to be retrieved from
	// (Section 2.5.2).
	Canonical []string `json:"canonical,omitempty"`
	// Contacts are the ways to report a vulnerability, most preferred
	// first: mailto:, tel: or https: URIs (Section 2.5.3). At least one is
	// required.
	Contacts []string `json:"contacts"`
	// Encryption are URIs of keys for encrypted reports (Section 2.5.4).
	Encryption []string `json:"encryption,omitempty"`
	// Policy are URIs of the vulnerability disclosure policy (Section
	// 2.5.7).
	Policy []string `json:"policy,omitempty"`
	// Acknowledgments are URIs of pages thanking researchers (Section
	// 2.5.1).
	Acknowledgments []string `json:"acknowledgments,omitempty"`
	// Hiring are URIs of security-related job offers (Section 2.5.6).
	Hiring []string `json:"hiring,omitempty"`
	// PreferredLanguages are language tags (RFC 5646) of the languages
	// reports may be written in (Section 2.5.8).
	PreferredLanguages []string `json:"preferred_languages,omitempty"`
	// CSAF are URIs of the provider-metadata.json of a Common Security
	// Advisory Framework provider (a registered extension, CSAF 2.0,
	// Section 7.1.8).
	CSAF []string `json:"csaf,omitempty"`
	// Extensions are the other fields, in order (Section 2.4: researchers
	// ignore fields they do not support).
	Extensions []Field `json:"extensions,omitempty"`
	// Expires is when the content becomes stale (Section 2.5.5). It is
	// required; see [DefaultExpiry]. The zero time means none.
	Expires time.Time `json:"expires,omitzero"`

	// Signed is set by the parsers when the text was an OpenPGP
	// cleartext-signed message. [File.String] ignores it.
	Signed bool `json:"signed,omitempty"`
	// HashAlgorithms are the values of the Hash headers of a signed file.
	HashAlgorithms []string `json:"hash_algorithms,omitempty"`
}

// Field is a field RFC 9116 does not define.
type Field struct {
	// Name is the field name as written (names are case-insensitive).
	Name string `json:"name"`
	// Value is the text after "Name: ", without the white space at its
	// ends.
	Value string `json:"value"`
}

// DefaultExpiry returns the Expires value a new file should carry: one
// year after now less one day, in UTC and to the second, so that it stays
// under the year RFC 9116, Section 2.5.5 recommends (and, unlike exactly a
// year, is not taken for "more than a year" by checkers that count days).
func DefaultExpiry(now time.Time) time.Time {
	return now.UTC().AddDate(1, 0, -1).Truncate(time.Second)
}

// String returns the file as text in a canonical form: one field a line,
// each line ended with CRLF (the final line too), in the order of the
// RFC's examples (Section 2.7) — Canonical, Contact, Encryption, Policy,
// Acknowledgments — then Hiring, Preferred-Languages, CSAF, the extensions
// in order, and Expires last. Empty fields are left out. The text is
// unsigned: a signature of the original text would not match it, so sign
// the result again if the file is to be signed. Parse(f.String()) gives
// back the same fields when f is valid.
func (f *File) String() string {
	var b strings.Builder
	b.Grow(128 + 64*(len(f.Contacts)+len(f.Canonical)+len(f.Encryption)+len(f.Policy)+len(f.Extensions)))
	line := func(name, value string) {
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteString("\r\n")
	}
	lines := func(name string, values []string) {
		for _, v := range values {
			line(name, v)
		}
	}
	lines("Canonical", f.Canonical)
	lines("Contact", f.Contacts)
	lines("Encryption", f.Encryption)
	lines("Policy", f.Policy)
	lines("Acknowledgments", f.Acknowledgments)
	lines("Hiring", f.Hiring)
	if len(f.PreferredLanguages) > 0 {
		line("Preferred-Languages", strings.Join(f.PreferredLanguages, ", "))
	}
	lines("CSAF", f.CSAF)
	for _, e := range f.Extensions {
		line(e.Name, e.Value)
	}
	if !f.Expires.IsZero() {
		line("Expires", formatTime(f.Expires))
	}
	return b.String()
}

// The fields RFC 9116 defines, and CSAF, with the section of each.
type fieldKind int

const (
	kindExtension fieldKind = iota
	kindAcknowledgments
	kindCanonical
	kindContact
	kindEncryption
	kindExpires
	kindHiring
	kindPolicy
	kindLanguages
	kindCSAF
)

var knownFields = [...]struct {
	name string
	rfc  string
}{
	kindExtension:       {"", rfcExtensibility},
	kindAcknowledgments: {"Acknowledgments", "RFC 9116, Section 2.5.1"},
	kindCanonical:       {"Canonical", rfcCanonical},
	kindContact:         {"Contact", rfcContact},
	kindEncryption:      {"Encryption", "RFC 9116, Section 2.5.4"},
	kindExpires:         {"Expires", rfcExpires},
	kindHiring:          {"Hiring", "RFC 9116, Section 2.5.6"},
	kindPolicy:          {"Policy", "RFC 9116, Section 2.5.7"},
	kindLanguages:       {"Preferred-Languages", rfcLanguages},
	kindCSAF:            {"CSAF", rfcCSAF},
}

// kindOf returns the kind of a field name; field names are case-insensitive
// (RFC 9116, Section 2).
func kindOf(name string) fieldKind {
	for k := kindAcknowledgments; k <= kindCSAF; k++ {
		if strings.EqualFold(name, knownFields[k].name) {
			return k
		}
	}
	return kindExtension
}

// uris returns the list a URI-valued field kind is kept in.
func (f *File) uris(k fieldKind) *[]string {
	switch k {
	case kindAcknowledgments:
		return &f.Acknowledgments
	case kindCanonical:
		return &f.Canonical
	case kindContact:
		return &f.Contacts
	case kindEncryption:
		return &f.Encryption
	case kindHiring:
		return &f.Hiring
	case kindPolicy:
		return &f.Policy
	case kindCSAF:
		return &f.CSAF
	}
	return nil
}
