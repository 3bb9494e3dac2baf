package sectxt

import (
	"fmt"
	"strings"
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
)

// expiresSoon is how close to its expiry a file is worth a reminder.
const expiresSoon = 30 * 24 * time.Hour

// Validate reports the problems of a file built in code, judging Expires
// against now: missing or invalid values, as [Check] would find them in the
// text of [File.String], and what is legal but unwise. It does not suggest
// signing: String gives the unsigned text, to be signed afterwards.
func (f *File) Validate(now time.Time) finding.List {
	var l finding.List
	add := func(pr problem, where, rfc string) {
		l = append(l, finding.Finding{Code: pr.code, Severity: finding.Error, Message: pr.msg, Where: where, RFC: rfc, Fix: pr.fix})
	}
	if len(f.Contacts) == 0 {
		add(problem{"sectxt.contact_missing", "no Contact: the file must say how to report a vulnerability", "Contact: mailto:security@<your domain>"}, "Contact", rfcContact)
	}
	for k := kindAcknowledgments; k <= kindCSAF; k++ {
		list := f.uris(k)
		if list == nil {
			continue
		}
		for _, v := range *list {
			if pr := uriFieldProblem(k, v); !pr.ok() {
				add(pr, knownFields[k].name+": "+msgtext.Clip(v), knownFields[k].rfc)
			}
		}
	}
	if f.Expires.IsZero() {
		add(problem{"sectxt.expires_missing", "no Expires: the file must say when its content becomes stale", "Expires: " + formatTime(DefaultExpiry(now))}, "Expires", rfcExpires)
	} else if y := f.Expires.Year(); y < 0 || y > 9999 {
		add(problem{"sectxt.expires_invalid", fmt.Sprintf("Expires is in the year %d: RFC 3339 writes years 0000 to 9999", y), "Expires: " + formatTime(DefaultExpiry(now))}, "Expires", rfcExpires)
	}
	for _, tag := range f.PreferredLanguages {
		if msg := langTagProblem(tag); msg != "" {
			add(problem{"sectxt.language_invalid", msg, ""}, "Preferred-Languages: "+msgtext.Clip(tag), rfcLanguages)
		}
	}
	for _, e := range f.Extensions {
		where := msgtext.Clip(e.Name)
		switch msg := fieldNameSyntax(e.Name); {
		case msg != "":
			add(problem{"sectxt.field_name_invalid", msg, ""}, where, rfcSpec)
		case e.Name[0] == '#':
			add(problem{"sectxt.field_name_invalid", fmt.Sprintf("field name %q begins with '#', which makes the line a comment", msgtext.Clip(e.Name)), ""}, where, rfcSpec)
		case kindOf(e.Name) != kindExtension:
			add(problem{"sectxt.field_name_invalid", fmt.Sprintf("%q is a field RFC 9116 defines: set it in its own field of File, not as an extension", msgtext.Clip(e.Name)), ""}, where, rfcSpec)
		default:
			if pr := valueProblem(e.Name, e.Value); !pr.ok() {
				add(pr, where, rfcExtensibility)
			} else if trimWSP(e.Value) != e.Value {
				add(problem{"sectxt.value_space", fmt.Sprintf("the value of %s begins or ends with white space, which readers drop", msgtext.Clip(e.Name)), ""}, where, rfcGrammar)
			}
		}
	}
	l = append(l, lint(f, &fileLines{}, now)...)
	l.Sort()
	return l
}

// lint reports what is legal but unwise in a file, parsed (lines.parsed)
// or built in code.
func lint(f *File, lines *fileLines, now time.Time) finding.List {
	var l finding.List
	add := func(code string, sev finding.Severity, line int, where, rfc, msg, fix string) {
		l = append(l, finding.Finding{Code: code, Severity: sev, Line: line, Where: where, RFC: rfc, Message: msg, Fix: fix})
	}
	where := func(field, v string) string {
		if lines.parsed {
			return ""
		}
		return field + ": " + msgtext.Clip(v)
	}

	// Expires (RFC 9116, Sections 2.5.5 and 5.3).
	if !f.Expires.IsZero() && (lines.expiresOK || !lines.parsed) {
		exp, line, w := f.Expires, lines.expires, where("Expires", formatTime(f.Expires))
		fix := "Expires: " + formatTime(DefaultExpiry(now))
		switch {
		case !exp.After(now):
			add("sectxt.expired", finding.Error, line, w, rfcExpires,
				fmt.Sprintf("the file expired on %s: researchers treat its content as stale and should not use it", formatTime(exp)), fix)
		case exp.After(now.AddDate(1, 0, 0)):
			// Internet.nl#1380: a recommendation (lint), not a syntax
			// error.
			add("sectxt.expires_too_far", finding.Warning, line, w, rfcExpires,
				fmt.Sprintf("Expires %s is more than a year ahead: RFC 9116 recommends less than a year, so that stale content is noticed", formatTime(exp)), fix)
		case exp.Sub(now) < expiresSoon:
			add("sectxt.expires_soon", finding.Info, line, w, rfcExpires,
				fmt.Sprintf("the file expires on %s, in less than %d days: update it and move Expires forward", formatTime(exp), int(expiresSoon/(24*time.Hour))), fix)
		}
	}

	// Signature and Canonical (RFC 9116, Section 2.3).
	if lines.parsed && !lines.signed {
		add("sectxt.unsigned", finding.Info, 0, "", rfcSignature,
			"the file is not signed: RFC 9116 recommends an OpenPGP cleartext signature, so that researchers can tell a genuine file from one planted on a compromised site",
			"add a Canonical field and sign the file with gpg --clearsign")
	}
	if lines.signed && len(f.Canonical) == 0 {
		add("sectxt.canonical_missing", finding.Warning, 0, "", rfcSignature,
			"the file is signed but has no Canonical field, so the signature does not tell where the file belongs and can be replayed on another site",
			"Canonical: https://<host>/.well-known/security.txt")
	}

	// Contact (RFC 9116, Section 2.5.3).
	mail := false
	seen := make(map[string]bool, len(f.Contacts))
	for i, c := range f.Contacts {
		line, w := lineAt(lines.contact, i), where("Contact", c)
		scheme, _, ok := splitScheme(c)
		if !ok || !uriFieldProblem(kindContact, c).ok() {
			continue
		}
		switch scheme {
		case "mailto":
			mail = true
		case "tel", "https":
		default:
			add("sectxt.contact_scheme", finding.Info, line, w, rfcContact,
				fmt.Sprintf("Contact %q is neither an e-mail address (mailto:), a telephone number (tel:) nor a web page (https:); researchers may not know how to use it", msgtext.Clip(c)), "")
		}
		if key := strings.ToLower(c); seen[key] {
			add("sectxt.contact_duplicate", finding.Info, line, w, rfcContact, fmt.Sprintf("Contact %q is listed twice", msgtext.Clip(c)), "remove the second one")
		} else {
			seen[key] = true
		}
	}
	if mail && len(f.Encryption) == 0 {
		add("sectxt.encryption_missing", finding.Info, 0, "", rfcContact,
			"an e-mail Contact without an Encryption field: RFC 9116 recommends offering a key so that reports can be sent encrypted",
			"Encryption: https://<your site>/pgp-key.txt")
	}

	// Preferred-Languages (RFC 9116, Section 2.5.8; RFC 5646, Section
	// 2.2.1: primary language subtags of 4 to 8 letters are reserved or
	// unregistered).
	for _, tag := range f.PreferredLanguages {
		first, _, _ := strings.Cut(tag, "-")
		if len(first) >= 4 && langTagProblem(tag) == "" {
			add("sectxt.language_unusual", finding.Warning, lines.lang, where("Preferred-Languages", tag), rfcLanguages,
				fmt.Sprintf("%q is not a language code: write the short ISO 639 code, such as en, de or fr", msgtext.Clip(tag)), "")
		}
	}

	// CSAF (CSAF 2.0, Section 7.1.8).
	for i, c := range f.CSAF {
		if uriFieldProblem(kindCSAF, c).ok() && !strings.HasSuffix(pathOf(c), "/provider-metadata.json") {
			add("sectxt.csaf_not_provider_metadata", finding.Warning, lineAt(lines.csaf, i), where("CSAF", c), rfcCSAF,
				fmt.Sprintf("CSAF %q does not point to a provider-metadata.json", msgtext.Clip(c)), "")
		}
	}
	return l
}

// pathOf returns the path of a URI, without query and fragment.
func pathOf(uri string) string {
	if i := strings.IndexAny(uri, "?#"); i >= 0 {
		uri = uri[:i]
	}
	return uri
}
