package caa

import (
	"fmt"
	"strings"
)

// BuildOptions configures [ForIssuers].
type BuildOptions struct {
	// NoWildcard forbids wildcard certificates: the set gets issuewild ";"
	// instead of issuewild records that mirror the issue records.
	NoWildcard bool `json:"no_wildcard,omitempty"`
	// ValidationMethods, when not empty, is added as the validationmethods
	// parameter (RFC 8657, Section 4) to every issue and issuewild record
	// that has none, e.g. []string{"dns-01"}.
	ValidationMethods []string `json:"validation_methods,omitempty"`
	// Contact gives the iodef records: for each mailto: or https: URL, or
	// bare email address, one iodef record (RFC 8659, Section 4.4). Other
	// URIs, such as tel:, are skipped: CAs report only by mail and HTTPS.
	Contact []string `json:"contact,omitempty"`
	// MailIssuers are issuer values, as for issuers, for issuemail records
	// (RFC 9495): the CAs that may issue S/MIME certificates.
	MailIssuers []string `json:"mail_issuers,omitempty"`
	// NoMail forbids S/MIME certificates for addresses at the domain
	// (issuemail ";") when MailIssuers is empty.
	NoMail bool `json:"no_mail,omitempty"`
}

// ForIssuers builds the CAA RRset that lets the given CAs, and no other,
// issue certificates for a domain and its subdomains.
//
// Each issuer is an issue value (see [ParseIssue]): usually a bare issuer
// domain name such as "letsencrypt.org", or one with parameters, such as
// "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1".
// One issue record is made per issuer, in order, without duplicates; no
// issuers gives issue ";", which forbids all issuance. Unless
// opts.NoWildcard is set, issuewild records repeat the issue records, so
// that wildcard certificates come from the same CAs and the set says so;
// with it, issuewild ";" forbids them. issuemail and iodef records follow
// as opts asks.
//
// The error reports an issuer or contact that cannot be published. Check
// the result with [CheckSet] for what is legal but unwise.
func ForIssuers(issuers []string, opts BuildOptions) ([]Record, error) {
	issues, err := issueValues(issuers, "issuer")
	if err != nil {
		return nil, err
	}
	if len(opts.ValidationMethods) > 0 {
		methods := strings.Join(opts.ValidationMethods, ",")
		if _, msg := parseMethods(methods); msg != "" {
			return nil, fmt.Errorf("caa: validation methods %q: %s", methods, msg)
		}
		for _, is := range issues {
			if _, ok := is.Param(ParamValidationMethods); !ok && is.IssuerDomain != "" {
				is.Params = append(is.Params, Param{Tag: ParamValidationMethods, Value: methods})
			}
		}
	}
	var recs []Record
	add := func(tag string, values []*Issue) {
		if len(values) == 0 {
			values = []*Issue{{}}
		}
		for _, is := range values {
			recs = append(recs, Record{Tag: tag, Value: is.String()})
		}
	}
	add(TagIssue, issues)
	switch {
	case opts.NoWildcard:
		add(TagIssueWild, nil)
	case len(issues) > 0:
		add(TagIssueWild, issues)
	}
	mail, err := issueValues(opts.MailIssuers, "mail issuer")
	if err != nil {
		return nil, err
	}
	if len(mail) > 0 || opts.NoMail {
		add(TagIssueMail, mail)
	}
	seen := map[string]bool{}
	for _, c := range opts.Contact {
		v, err := iodefValue(c)
		if err != nil {
			return nil, err
		}
		if v != "" && !seen[strings.ToLower(v)] {
			seen[strings.ToLower(v)] = true
			recs = append(recs, Record{Tag: TagIODEF, Value: v})
		}
	}
	return recs, nil
}

// issueValues parses issuer values, dropping duplicates and values that
// name no CA.
func issueValues(in []string, what string) ([]*Issue, error) {
	var out []*Issue
	seen := map[string]bool{}
	for _, v := range in {
		is, err := ParseIssue(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("caa: %s %q: %w", what, v, err)
		}
		if is.IssuerDomain == "" {
			if len(is.Params) > 0 {
				return nil, fmt.Errorf("caa: %s %q names no CA", what, v)
			}
			continue
		}
		key := (&Issue{IssuerDomain: strings.ToLower(is.IssuerDomain), Params: is.Params}).String()
		if !seen[key] {
			seen[key] = true
			out = append(out, is)
		}
	}
	return out, nil
}

// iodefValue turns a contact into an iodef value: mailto: and https: URLs
// as they are, a bare address with mailto:. Other URIs give "".
func iodefValue(c string) (string, error) {
	c = strings.TrimSpace(c)
	scheme, _, hasScheme := strings.Cut(c, ":")
	switch s := strings.ToLower(scheme); {
	case !hasScheme || strings.Contains(scheme, "@"):
		if msg := emailSyntax(c); msg != "" {
			return "", fmt.Errorf("caa: contact %q: %s", c, msg)
		}
		return "mailto:" + c, nil
	case s == "mailto" || s == "https":
		if l := lintIODEF(c); l.HasErrors() {
			return "", fmt.Errorf("caa: contact %q: %s", c, l[0].Message)
		}
		return c, nil
	}
	return "", nil
}
