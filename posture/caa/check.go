package caa

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
)

// Section names cited in findings.
const (
	rfcRelevant     = "RFC 8659, Section 3"
	rfcSyntax       = "RFC 8659, Section 4.1"
	rfcPresentation = "RFC 8659, Section 4.1.1"
	rfcIssue        = "RFC 8659, Section 4.2"
	rfcIssueWild    = "RFC 8659, Section 4.3"
	rfcIODEF        = "RFC 8659, Section 4.4"
	rfcCritical     = "RFC 8659, Section 4.5"
	rfcDeployment   = "RFC 8659, Section 6"
	rfcAccountURI   = "RFC 8657, Section 3"
	rfcMethods      = "RFC 8657, Section 4"
	rfcMailSyntax   = "RFC 9495, Section 3"
	rfcMail         = "RFC 9495, Section 4"
	rfcOldTagLen    = "RFC 6844, Section 5.1"
	rfcRegistry     = "RFC 6844, Section 7.2"
	rfcDuplicate    = "RFC 2181, Section 5"
	brIODEF         = "CA/Browser Forum Baseline Requirements, Section 3.2.2.8"
	brWildcard      = "CA/Browser Forum Baseline Requirements, Sections 3.2.2.4.18-20"
	brContactEmail  = "CA/Browser Forum Baseline Requirements, Appendix A.1.1"
	brContactPhone  = "CA/Browser Forum Baseline Requirements, Appendix A.1.2"
	brEmailMethod   = "CA/Browser Forum Baseline Requirements, Section 3.2.2.4.13"
	brPhoneMethod   = "CA/Browser Forum Baseline Requirements, Section 3.2.2.4.17"
	vmcRequirements = "Verified Mark Certificate Requirements (issuevmc)"
)

// Check parses one record (as [Parse] does) and reports every problem of
// the record itself: a syntax error, invalid flags, a value that does not
// follow the grammar of its property, and what is legal but unwise. The
// record is nil when the text does not parse. Problems that concern the
// whole RRset, such as a missing issue record, are reported by
// [CheckSet] and [CheckSetText].
func Check(text string) (*Record, finding.List) {
	r, err := parseRecord(text)
	if err != nil {
		return nil, finding.List{syntaxFinding(err, 0)}
	}
	l := lintRecord(*r)
	l.Sort()
	return r, l
}

// Validate reports the problems of a record built in code, as [Check]
// would find them in its text, including an invalid tag.
func (r *Record) Validate() finding.List {
	l := lintRecord(*r)
	l.Sort()
	return l
}

// CheckSet reports every problem of a CAA RRset: those of each record, as
// [Record.Validate] finds them, and those of the set as a whole: no issue
// record (every CA may then issue), an issue ";" that other issue records
// make void, duplicates, an accounturi or validationmethods binding that
// another record of the same CA bypasses, and, as information, what is
// missing but useful (issuewild, iodef, issuemail, an account binding).
// Findings about one record name it in Where. An empty set gives the
// warning that any CA may issue.
func CheckSet(records []Record) finding.List {
	l := checkSet(records, nil)
	l.Sort()
	return l
}

// CheckSetText parses a CAA RRset written one record per line (as
// [ParseSet] reads it) and reports every problem, each with its line: the
// syntax errors of lines that do not parse, and what [CheckSet] finds in
// the records that do. It returns those records. Text without any record
// is an error.
func CheckSetText(text string) ([]Record, finding.List) {
	var (
		recs  = []Record{}
		lines []int
		l     finding.List
	)
	for _, ll := range splitRecords(text) {
		r, err := parseRecord(ll.text)
		if err != nil {
			l = append(l, syntaxFinding(err, ll.line))
			continue
		}
		recs = append(recs, *r)
		lines = append(lines, ll.line)
	}
	switch {
	case len(recs) > 0:
		l = append(l, checkSet(recs, lines)...)
	case len(l) == 0:
		l = append(l, finding.Finding{Code: "caa.empty", Severity: finding.Error, RFC: rfcPresentation,
			Message: "no CAA record given: expected one record per line, FLAGS TAG \"VALUE\"",
			Fix:     `0 issue "letsencrypt.org"`})
	}
	l.Sort()
	return recs, l
}

func syntaxFinding(err *SyntaxError, line int) finding.Finding {
	msg := err.Msg
	if err.Offset >= 0 {
		msg = fmt.Sprintf("%s (at offset %d)", msg, err.Offset)
	}
	return finding.Finding{Code: "caa.syntax", Severity: finding.Error, Message: msg, Line: line, RFC: rfcPresentation}
}

// checkSet lints each record and the set. lines, when not nil, holds the
// line of each record; otherwise findings name the record in Where.
func checkSet(recs []Record, lines []int) finding.List {
	var l finding.List
	place := func(f finding.Finding, k int) finding.Finding {
		if lines != nil {
			f.Line = lines[k]
		} else {
			f.Where = recs[k].String()
		}
		return f
	}
	if len(recs) == 0 {
		return finding.List{{Code: "caa.missing", Severity: finding.Warning, RFC: rfcRelevant,
			Message: "no CAA records: every CA may issue certificates for the domain",
			Fix:     `publish an issue record for each CA you use, such as 0 issue "letsencrypt.org"`}}
	}

	type info struct {
		prop  string
		issue *Issue // parsed issuer value, nil if not an issuer tag or malformed
	}
	infos := make([]info, len(recs))
	count := map[string]int{}
	// authorizes reports whether a well-formed record of the tag names a
	// CA.
	authorizes := func(tag string) bool {
		for _, in := range infos {
			if in.prop == tag && in.issue != nil && in.issue.IssuerDomain != "" {
				return true
			}
		}
		return false
	}
	for k, r := range recs {
		for _, f := range lintRecord(r) {
			l = append(l, place(f, k))
		}
		in := info{prop: r.Property()}
		if isIssuerTag(in.prop) {
			in.issue, _, _ = parseIssue(r.Value)
		}
		infos[k] = in
		count[in.prop]++
	}

	// RFC 8659, Section 3: a set without a property that restricts
	// issuance does not restrict it. issuewild restricts wildcard names
	// only (Section 4.3); issuemail and issuevmc other kinds of
	// certificate.
	switch {
	case count[TagIssue] == 0 && count[TagIssueWild] > 0:
		l = append(l, finding.Finding{Code: "caa.issue_missing", Severity: finding.Warning, RFC: rfcIssueWild,
			Message: "no issue record: issuewild covers wildcard certificates only, so every CA may issue certificates for names that are not wildcards",
			Fix:     `add an issue record for each CA you use, such as 0 issue "letsencrypt.org", or 0 issue ";" to forbid them`})
	case count[TagIssue] == 0:
		l = append(l, finding.Finding{Code: "caa.issue_missing", Severity: finding.Warning, RFC: rfcRelevant,
			Message: "no issue record: these records restrict no CA, so every CA may issue TLS certificates for the domain",
			Fix:     `add an issue record for each CA you use, such as 0 issue "letsencrypt.org"`})
	case count[TagIssueWild] == 0 && authorizes(TagIssue):
		// RFC 8659, Section 4.3: without issuewild, the issue records
		// govern wildcard certificates too.
		l = append(l, finding.Finding{Code: "caa.issuewild_missing", Severity: finding.Info, RFC: rfcIssueWild,
			Message: "no issuewild record: wildcard certificates follow the issue records, so the CAs named there may issue them too",
			Fix:     `to forbid wildcard certificates, add 0 issuewild ";"`})
	}

	// RFC 8659, Section 4.2: authorizations are additive, so a record
	// that names no CA is void beside one that does.
	for _, tag := range []string{TagIssue, TagIssueWild, TagIssueMail, TagIssueVMC} {
		authorized := ""
		for k := range recs {
			if infos[k].prop == tag && infos[k].issue != nil && infos[k].issue.IssuerDomain != "" {
				authorized = infos[k].issue.IssuerDomain
				break
			}
		}
		if authorized == "" {
			continue
		}
		for k := range recs {
			if infos[k].prop == tag && infos[k].issue != nil && infos[k].issue.IssuerDomain == "" {
				l = append(l, place(finding.Finding{Code: "caa.empty_issuer_ignored", Severity: finding.Warning, RFC: rfcIssue,
					Message: fmt.Sprintf("%s \";\" forbids nothing here: authorizations add up, and another %s record authorizes %s", tag, tag, authorized),
					Fix:     fmt.Sprintf("remove this record, or the other %s records if no CA may issue", tag)}, k))
			}
		}
	}

	// Duplicates. An RRset holds no identical records (RFC 2181, Section
	// 5); records that differ only in case or spacing mean the same.
	seen := map[string]int{}
	for k, r := range recs {
		key := infos[k].prop + "\x00" + r.Value
		if is := infos[k].issue; is != nil {
			norm := Issue{IssuerDomain: strings.ToLower(is.IssuerDomain), Params: is.Params}
			key = infos[k].prop + "\x00" + norm.String()
		}
		if first, dup := seen[key]; dup {
			msg := fmt.Sprintf("the same %s record appears twice", infos[k].prop)
			if recs[first].Flags != r.Flags {
				msg = fmt.Sprintf("the same %s property appears twice, with flags %d and %d", infos[k].prop, recs[first].Flags, r.Flags)
			}
			l = append(l, place(finding.Finding{Code: "caa.duplicate", Severity: finding.Info, RFC: rfcDuplicate,
				Message: msg, Fix: "remove one of them"}, k))
			continue
		}
		seen[key] = k
	}

	// RFC 8657, Sections 3 and 4, with the additive rule of RFC 8659,
	// Section 4.2: a record of the same CA without accounturi or
	// validationmethods authorizes every account and method, so it voids
	// the binding of the others.
	type group struct{ open, bound []int }
	groups := map[string]*group{}
	var order []string
	bindingSeen := false
	for k := range recs {
		in := infos[k]
		if (in.prop != TagIssue && in.prop != TagIssueWild) || in.issue == nil || in.issue.IssuerDomain == "" {
			continue
		}
		key := in.prop + "\x00" + strings.ToLower(in.issue.IssuerDomain)
		g := groups[key]
		if g == nil {
			g = &group{}
			groups[key] = g
			order = append(order, key)
		}
		if _, acct := in.issue.Param(ParamAccountURI); acct {
			g.bound = append(g.bound, k)
			bindingSeen = true
		} else if _, meth := in.issue.Param(ParamValidationMethods); meth {
			g.bound = append(g.bound, k)
			bindingSeen = true
		} else {
			g.open = append(g.open, k)
		}
	}
	for _, key := range order {
		g := groups[key]
		if len(g.open) == 0 || len(g.bound) == 0 {
			continue
		}
		for _, k := range g.open {
			in := infos[k]
			l = append(l, place(finding.Finding{Code: "caa.binding_bypassed", Severity: finding.Warning, RFC: rfcAccountURI,
				Message: fmt.Sprintf("this %s record authorizes every account and validation method of %s, so the accounturi or validationmethods of its other %s records restricts nothing",
					in.prop, in.issue.IssuerDomain, in.prop),
				Fix: "remove this record, or give it the same parameters"}, k))
		}
	}

	// Useful but missing: information only.
	if count[TagIODEF] == 0 {
		l = append(l, finding.Finding{Code: "caa.iodef_missing", Severity: finding.Info, RFC: rfcIODEF,
			Message: "no iodef record: CAs have nowhere to report requests they refused",
			Fix:     `0 iodef "mailto:security@<your domain>"`})
	}
	if len(order) > 0 && !bindingSeen {
		first := groups[order[0]]
		ca := infos[append(first.open, first.bound...)[0]].issue.IssuerDomain
		l = append(l, finding.Finding{Code: "caa.binding_suggested", Severity: finding.Info, RFC: rfcAccountURI,
			Message: "no record binds the authorization to your CA account (accounturi) or to validation methods (validationmethods): whoever passes the CA's domain validation can get a certificate",
			Fix:     fmt.Sprintf(`0 issue "%s; accounturi=<your account URL at the CA>; validationmethods=dns-01" (if your CA supports RFC 8657)`, ca)})
	}
	if count[TagIssue] > 0 && count[TagIssueMail] == 0 {
		l = append(l, finding.Finding{Code: "caa.issuemail_missing", Severity: finding.Info, RFC: rfcMail,
			Message: "no issuemail record: issue records do not cover S/MIME certificates, so every CA may issue them for addresses at the domain",
			Fix:     `0 issuemail ";" if nobody needs S/MIME certificates, or one issuemail record per CA that issues them`})
	}
	return l
}

// lintRecord reports the problems of one record. Findings carry neither
// Line nor Where.
func lintRecord(r Record) finding.List {
	var l finding.List
	add := func(code string, sev finding.Severity, rfc, msg, fix string) {
		l = append(l, finding.Finding{Code: code, Severity: sev, RFC: rfc, Message: msg, Fix: fix})
	}
	prop := r.Property()
	// RFC 8659, Section 4.1: the reserved flag bits MUST be 0. A flags
	// value of 1 is the classic mistake for the critical flag, which is
	// bit 0 counting from the most significant bit.
	if r.Flags&^FlagCritical != 0 {
		fix := fmt.Sprintf("%d %s %s", r.Flags&FlagCritical, r.Tag, Quote(r.Value))
		if r.Flags == 1 {
			add("caa.flags_reserved", finding.Error, rfcSyntax,
				"flags 1 sets a reserved bit, not the issuer critical flag: that flag is 128 (bit 0 is the most significant bit), and CAs ignore reserved bits",
				fix+" (or 128 to make the property critical)")
		} else {
			add("caa.flags_reserved", finding.Error, rfcSyntax,
				fmt.Sprintf("flags %d set reserved bits, which must be 0; CAs ignore them (only 0 and 128 are meaningful)", r.Flags), fix)
		}
	}
	if msg := tagSyntax(r.Tag); msg != "" {
		add("caa.tag_invalid", finding.Error, rfcSyntax, msg, "")
		return l
	}
	if r.Tag != prop {
		add("caa.tag_case", finding.Info, rfcPresentation,
			fmt.Sprintf("tag %q: tags match in any case, but are written in lower case", r.Tag),
			fmt.Sprintf("%d %s %s", r.Flags, prop, Quote(r.Value)))
	}
	if len(r.Tag) > 15 {
		add("caa.tag_long", finding.Info, rfcOldTagLen,
			fmt.Sprintf("tag %q is %d characters long; RFC 6844 asked for at most 15 and some DNS software still enforces it", msgtext.Clip(r.Tag), len(r.Tag)), "")
	}
	if n := 2 + len(r.Tag) + len(r.Value); n > maxRDataLen {
		add("caa.value_too_long", finding.Error, rfcSyntax,
			fmt.Sprintf("the record is %d bytes long; a DNS record holds at most %d", n, maxRDataLen), "")
	} else if len(r.Value) > 255 {
		// RFC 8659, Section 4.1.1 allows it; miekg/dns (and so the
		// servers built on it) reads a value as one character-string.
		add("caa.value_long", finding.Info, rfcPresentation,
			fmt.Sprintf("the value is %d bytes long: that is legal, but some zone-file parsers, miekg/dns among them, refuse CAA values over 255 bytes", len(r.Value)), "")
	}

	switch prop {
	case TagIssue, TagIssueWild, TagIssueMail, TagIssueVMC:
		l = append(l, lintIssue(r, prop)...)
	case TagIODEF:
		l = append(l, lintIODEF(r.Value)...)
	case TagContactEmail:
		if msg := emailSyntax(r.Value); msg != "" {
			add("caa.contactemail_invalid", finding.Error, brContactEmail,
				fmt.Sprintf("contactemail %q: %s; the value must be exactly one email address, or CAs cannot use it", msgtext.Clip(r.Value), msg), contactEmailFix(r.Value))
		} else {
			add("caa.contact_validation", finding.Info, brEmailMethod,
				fmt.Sprintf("CAs may validate control of the domain by email to %s: whoever reads that mailbox can obtain certificates for the domain", r.Value), "")
		}
	case TagContactPhone:
		l = append(l, lintPhone(r.Value)...)
	case "auth", "path", "policy":
		// RFC 6844, Section 7.2 reserved these tags; they have no meaning.
		if r.Critical() {
			add("caa.critical_unknown", finding.Error, rfcCritical,
				fmt.Sprintf("critical property %q is reserved and has no meaning: CAs must refuse to issue any certificate for the domain", prop),
				"remove the record")
		} else {
			add("caa.tag_reserved", finding.Warning, rfcRegistry,
				fmt.Sprintf("tag %q is reserved and has no meaning; CAs ignore it", prop), "remove the record")
		}
	default:
		near := nearTag(prop)
		switch {
		case r.Critical():
			// RFC 8659, Section 4.1 and 4.5: a CA MUST NOT issue when the
			// set holds a critical property it does not understand.
			msg := fmt.Sprintf("critical property %q is unknown: CAs that do not understand it must refuse to issue any certificate for the domain", prop)
			if near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			add("caa.critical_unknown", finding.Error, rfcCritical, msg, "clear the critical flag (flags 0) or remove the record")
		case near != "":
			add("caa.tag_unknown", finding.Warning, rfcSyntax,
				fmt.Sprintf("unknown tag %q is ignored by CAs: did you mean %q?", prop, near),
				fmt.Sprintf("%d %s %s", r.Flags, near, Quote(r.Value)))
		default:
			add("caa.tag_unknown", finding.Info, rfcSyntax,
				fmt.Sprintf("unknown tag %q: CAs that do not know it ignore it", prop), "")
		}
	}

	// A critical property that CAs may not implement blocks issuance at
	// every CA that does not (RFC 8659, Section 4.5). Every CA knows issue,
	// issuewild and iodef; the later properties are not universal.
	switch prop {
	case TagIssueMail, TagIssueVMC, TagContactEmail, TagContactPhone:
		if r.Critical() {
			add("caa.critical_extension", finding.Warning, rfcCritical,
				fmt.Sprintf("the critical flag on %s makes every CA that does not implement %s refuse all certificates for the domain", prop, prop),
				fmt.Sprintf("0 %s %s", r.Tag, Quote(r.Value)))
		}
	}
	return l
}

// lintIssue checks the value of issue, issuewild, issuemail and issuevmc.
func lintIssue(r Record, prop string) finding.List {
	var l finding.List
	add := func(code string, sev finding.Severity, rfc, msg, fix string) {
		l = append(l, finding.Finding{Code: code, Severity: sev, RFC: rfc, Message: msg, Fix: fix})
	}
	rfc := rfcIssue
	switch prop {
	case TagIssueWild:
		rfc = rfcIssueWild
	case TagIssueMail:
		rfc = rfcMailSyntax
	case TagIssueVMC:
		rfc = vmcRequirements
	}
	is, off, msg := parseIssue(r.Value)
	if msg != "" {
		// RFC 8659, Section 4.2: a value that does not match the grammar
		// is treated as one naming no issuer.
		add("caa.issue_syntax", finding.Error, rfc,
			fmt.Sprintf("%s value %q: %s (at offset %d); CAs treat the record as naming no CA", prop, msgtext.Clip(r.Value), msg, off),
			issueFix(r, prop))
		return l
	}
	if is.IssuerDomain == "" {
		if len(is.Params) > 0 {
			add("caa.params_ignored", finding.Info, rfc,
				fmt.Sprintf("the %s record names no CA, so its parameters have no effect", prop), "")
		}
		return l
	}
	if prop != TagIssue && prop != TagIssueWild {
		return l // RFC 8657 defines its parameters for issue and issuewild
	}

	// RFC 8657: parameter names are compared exactly; earlier drafts used
	// other names.
	for _, p := range is.Params {
		lower := strings.ToLower(p.Tag)
		switch {
		case p.Tag != lower && (lower == ParamAccountURI || lower == ParamValidationMethods):
			add("caa.param_case", finding.Warning, rfcAccountURI,
				fmt.Sprintf("parameter %q: CAs compare parameter names exactly; write %s", p.Tag, lower), "")
		case draftParams[lower] != "":
			add("caa.param_misspelled", finding.Warning, rfcAccountURI,
				fmt.Sprintf("parameter %q is not understood: RFC 8657 calls it %s", p.Tag, draftParams[lower]),
				fmt.Sprintf("%s=%s", draftParams[lower], p.Value))
		}
	}

	// RFC 8657, Section 3: a property with several accounturi parameters,
	// or an invalid one, is unsatisfiable.
	accts := is.AccountURIs()
	if len(accts) > 1 {
		add("caa.accounturi_multiple", finding.Error, rfcAccountURI,
			fmt.Sprintf("%d accounturi parameters in one record: such a record authorizes no account", len(accts)),
			"publish one record per account")
	}
	for _, a := range accts {
		if msg := accountURISyntax(a); msg != "" {
			add("caa.accounturi_invalid", finding.Error, rfcAccountURI,
				fmt.Sprintf("accounturi %q %s: the record authorizes no account", msgtext.Clip(a), msg),
				"accounturi=<the URL of your account at the CA, e.g. https://acme-v02.api.letsencrypt.org/acme/acct/123456>")
		}
	}

	// RFC 8657, Section 4.
	nMethods := 0
	for _, p := range is.Params {
		if p.Tag == ParamValidationMethods {
			nMethods++
		}
	}
	if nMethods == 0 {
		return l
	}
	if nMethods > 1 {
		add("caa.param_duplicate", finding.Warning, rfcMethods,
			"validationmethods appears more than once; CAs may read only one of them", "list every method in one validationmethods=a,b parameter")
	}
	v, _ := is.Param(ParamValidationMethods)
	methods, msg := parseMethods(v)
	if msg != "" {
		add("caa.validationmethods_invalid", finding.Error, rfcMethods,
			fmt.Sprintf("validationmethods %q: %s; CAs cannot match it, so the record authorizes nothing", msgtext.Clip(v), msg),
			"validationmethods=dns-01 (names separated by commas, no spaces)")
		return l
	}
	usable := 0
	wildOK := false
	for _, m := range methods {
		switch {
		case strings.HasPrefix(m, "ca-"):
			usable++
			wildOK = true // CA-defined: we cannot tell
		case acmeMethods[m] == methodRegistered || acmeMethods[m] == methodDraft:
			usable++
			if !noWildcardMethods[m] {
				wildOK = true
			}
			if acmeMethods[m] == methodDraft {
				add("caa.validationmethods_draft", finding.Info, rfcMethods,
					fmt.Sprintf("validation method %s is not yet registered with IANA; only CAs that implement its draft can use it", m), "")
			}
		case acmeMethods[m] == methodWithdrawn:
			add("caa.validationmethods_unknown", finding.Warning, rfcMethods,
				fmt.Sprintf("validation method %s was withdrawn; no CA uses it", m), "")
		case acmeMethods[strings.ToLower(m)] != methodUnknown || strings.HasPrefix(strings.ToLower(m), "ca-"):
			add("caa.validationmethods_unknown", finding.Warning, rfcMethods,
				fmt.Sprintf("validation method %q: method names are lower case, and CAs compare them exactly", m),
				"validationmethods="+strings.ToLower(v))
		default:
			add("caa.validationmethods_unknown", finding.Warning, rfcMethods,
				fmt.Sprintf("validation method %q is neither an ACME validation method (http-01, dns-01, tls-alpn-01, ...) nor a CA-specific ca-... name, so no CA will match it", m),
				"")
		}
	}
	switch {
	case usable == 0:
		add("caa.issue_unsatisfiable", finding.Error, rfcMethods,
			fmt.Sprintf("validationmethods %q lists no usable method, so the record authorizes nothing", v),
			"validationmethods=dns-01")
	case prop == TagIssueWild && !wildOK:
		add("caa.wildcard_method", finding.Warning, brWildcard,
			fmt.Sprintf("validationmethods %s: CAs cannot validate wildcard names with http-01 or tls-alpn-01, so this issuewild record authorizes nothing in practice", v),
			"validationmethods=dns-01")
	}
	return l
}

// issueFix suggests a corrected issue value when the mistake is a common
// one.
func issueFix(r Record, prop string) string {
	v := strings.TrimSpace(r.Value)
	fixed := v
	if i := strings.Index(fixed, "://"); i >= 0 {
		fixed = fixed[i+3:]
		if j := strings.IndexAny(fixed, "/:"); j >= 0 {
			fixed = fixed[:j]
		}
	}
	if j := strings.IndexByte(fixed, ';'); j >= 0 {
		head, tail := strings.TrimSpace(fixed[:j]), fixed[j:]
		fixed = strings.TrimSuffix(head, ".") + tail
	} else {
		fixed = strings.TrimSuffix(fixed, ".")
	}
	fixed = strings.Trim(fixed, `"`)
	if fixed != v {
		if _, _, msg := parseIssue(fixed); msg == "" {
			return fmt.Sprintf("%d %s %s", r.Flags, prop, Quote(fixed))
		}
	}
	return fmt.Sprintf(`%d %s "<issuer domain of the CA>", such as %d %s "letsencrypt.org"`, r.Flags, prop, r.Flags, prop)
}

// draftParams maps the parameter names of drafts of RFC 8657 and common
// misspellings to the names CAs understand.
var draftParams = map[string]string{
	"account-uri":        ParamAccountURI,
	"accounturl":         ParamAccountURI,
	"account-url":        ParamAccountURI,
	"acme-methods":       ParamValidationMethods,
	"validation-methods": ParamValidationMethods,
	"validationmethod":   ParamValidationMethods,
}

type methodStatus int

const (
	methodUnknown methodStatus = iota
	methodRegistered
	methodDraft
	methodWithdrawn
)

// acmeMethods are the names of the IANA "ACME Validation Methods" registry
// (RFC 8555, Section 9.7.8 and later RFCs), the drafts CAs have begun to
// implement, and the withdrawn tls-sni methods.
var acmeMethods = map[string]methodStatus{
	"http-01":        methodRegistered, // RFC 8555
	"dns-01":         methodRegistered, // RFC 8555
	"tls-alpn-01":    methodRegistered, // RFC 8737
	"email-reply-00": methodRegistered, // RFC 8823
	"tkauth-01":      methodRegistered, // RFC 9447
	"onion-csr-01":   methodRegistered, // RFC 9799
	"dns-account-01": methodDraft,      // draft-ietf-acme-dns-account-label
	"dns-persist-01": methodDraft,      // draft-ietf-acme-dns-persist
	"tls-sni-01":     methodWithdrawn,
	"tls-sni-02":     methodWithdrawn,
}

// noWildcardMethods cannot validate a wildcard name (Baseline
// Requirements, Sections 3.2.2.4.18 to 3.2.2.4.20).
var noWildcardMethods = map[string]bool{"http-01": true, "tls-alpn-01": true}

// parseMethods reads the value of validationmethods (RFC 8657, Section 4):
//
//	value = [*(label ",") label]
//	label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
func parseMethods(v string) ([]string, string) {
	if v == "" {
		return []string{}, ""
	}
	methods := strings.Split(v, ",")
	for _, m := range methods {
		if m == "" {
			return nil, "an empty method name (two commas, or a comma at an end)"
		}
		end, msg := scanLabel(m, 0, "method")
		if msg != "" {
			return nil, msg
		}
		if end != len(m) {
			return nil, fmt.Sprintf("method %q: only letters, digits and inner hyphens are allowed", msgtext.Clip(m))
		}
	}
	return methods, ""
}

// accountURISyntax checks an accounturi value: a URI (RFC 3986) with a
// scheme and an authority, which the security considerations of RFC 8657
// (Section 5, "URI Ambiguity") require the account URIs of CAs to have.
// It returns "" when the value is acceptable, or what is wrong.
func accountURISyntax(v string) string {
	if v == "" {
		return "is empty"
	}
	u, err := url.Parse(v)
	if err != nil {
		return "is not a URI"
	}
	if u.Scheme == "" {
		return "is not an absolute URI (it has no scheme)"
	}
	if u.Host == "" {
		return "has no host: account URIs name the CA that assigned them"
	}
	return ""
}

// lintIODEF checks an iodef value (RFC 8659, Section 4.4): a mailto:,
// http: or https: URL. The Baseline Requirements (Section 3.2.2.8) do not
// expect CAs to support any but mailto: and https:.
func lintIODEF(v string) finding.List {
	bad := func(msg, fix string) finding.List {
		return finding.List{{Code: "caa.iodef_invalid", Severity: finding.Error, RFC: rfcIODEF,
			Message: fmt.Sprintf("iodef %q %s", msgtext.Clip(v), msg), Fix: fix}}
	}
	if v == "" {
		return bad("is empty: it must be a mailto: or https: URL", `0 iodef "mailto:security@<your domain>"`)
	}
	colon := strings.IndexByte(v, ':')
	scheme := ""
	if colon > 0 {
		scheme = strings.ToLower(v[:colon])
	}
	switch scheme {
	case "mailto":
		addrs, err := url.PathUnescape(v[colon+1:])
		if err != nil {
			return bad("is not a valid mailto: URL", "")
		}
		if q := strings.IndexByte(addrs, '?'); q >= 0 {
			addrs = addrs[:q]
		}
		for _, a := range strings.Split(addrs, ",") {
			if msg := emailSyntax(a); msg != "" {
				return bad(fmt.Sprintf("is not a usable mailto: URL: %s", msg), "")
			}
		}
		return nil
	case "https", "http":
		u, err := url.Parse(v)
		if err != nil || u.Host == "" {
			return bad("is not a valid URL with a host", "")
		}
		if scheme == "http" {
			return finding.List{{Code: "caa.iodef_http", Severity: finding.Warning, RFC: brIODEF,
				Message: "CAs are not expected to report to http: iodef URLs (RFC 8659 allows them; the Baseline Requirements expect only mailto: and https:)",
				Fix:     Quote("https:" + v[colon+1:])}}
		}
		return nil
	case "":
		if emailSyntax(v) == "" {
			return bad("has no URL scheme", Quote("mailto:"+v))
		}
		return bad("is not a URL: it must be a mailto: or https: URL", `0 iodef "mailto:security@<your domain>"`)
	}
	return bad(fmt.Sprintf("uses the scheme %s: CAs report only to mailto: and https: URLs", scheme), `0 iodef "mailto:security@<your domain>"`)
}

// lintPhone checks contactphone: a global number of RFC 3966, Section
// 5.1.4, with '+', the country code and optional visual separators
// (Baseline Requirements, Appendix A.1.2).
func lintPhone(v string) finding.List {
	msg := phoneSyntax(v)
	if msg == "" {
		return finding.List{{Code: "caa.contact_validation", Severity: finding.Info, RFC: brPhoneMethod,
			Message: fmt.Sprintf("CAs may validate control of the domain by calling %s: whoever answers can obtain certificates for the domain", v)}}
	}
	if fixed := strings.ReplaceAll(strings.TrimSpace(v), " ", "-"); fixed != v && phoneSyntax(fixed) == "" {
		// The Baseline Requirements' own example, "+1 (555) 123-4567",
		// has spaces, which RFC 3966 does not allow.
		return finding.List{{Code: "caa.contactphone_spaces", Severity: finding.Warning, RFC: brContactPhone,
			Message: fmt.Sprintf("contactphone %q has spaces, which an RFC 3966 global number does not allow; strict CAs cannot use it", msgtext.Clip(v)),
			Fix:     Quote(fixed)}}
	}
	fix := ""
	if rest, ok := strings.CutPrefix(v, "tel:"); ok && phoneSyntax(rest) == "" {
		fix = Quote(rest)
	}
	return finding.List{{Code: "caa.contactphone_invalid", Severity: finding.Error, RFC: brContactPhone,
		Message: fmt.Sprintf("contactphone %q: %s; CAs cannot use it", msgtext.Clip(v), msg), Fix: fix}}
}

// phoneSyntax checks an RFC 3966 global-number:
//
//	global-number = global-number-digits *par
//	global-number-digits = "+" *phonedigit DIGIT *phonedigit
//	phonedigit = DIGIT / visual-separator
//	visual-separator = "-" / "." / "(" / ")"
//	par = ";" pname ["=" pvalue]   (simplified)
func phoneSyntax(v string) string {
	if v == "" {
		return "empty"
	}
	if strings.HasPrefix(v, "tel:") {
		return "write the number without tel:"
	}
	if v[0] != '+' {
		return "a global number starts with '+' and the country code, as in +1-555-0100"
	}
	digits := 0
	i := 1
	for ; i < len(v) && v[i] != ';'; i++ {
		switch c := v[i]; {
		case isDigit(c):
			digits++
		case c == '-' || c == '.' || c == '(' || c == ')':
		case c == ' ':
			return "spaces are not allowed; separate digits with '-' or '.'"
		default:
			return fmt.Sprintf("%q is not allowed in a phone number", c)
		}
	}
	if digits == 0 {
		return "no digits"
	}
	for _, par := range strings.Split(v[i:], ";")[1:] {
		name, val, hasVal := strings.Cut(par, "=")
		if name == "" || hasVal && val == "" {
			return fmt.Sprintf("parameter %q is malformed", msgtext.Clip(";"+par))
		}
		for k := 0; k < len(par); k++ {
			c := par[k]
			if !isAlnum(c) && !strings.ContainsRune("-_.!~*'()[]/:&+$%=", rune(c)) {
				return fmt.Sprintf("%q is not allowed in parameter %q", c, msgtext.Clip(";"+par))
			}
		}
	}
	return ""
}

// emailSyntax checks an email address as RFC 6532, Section 3.2 allows it
// (an addr-spec with UTF-8), requiring a domain with a dot. It returns ""
// when the address is acceptable.
func emailSyntax(a string) string {
	if a == "" {
		return "empty"
	}
	if !utf8.ValidString(a) {
		return "not valid UTF-8"
	}
	if strings.ContainsAny(a, " \t<>,") {
		return "just the address is allowed, without a name, spaces or angle brackets"
	}
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 {
		return "not an email address (local@domain)"
	}
	local, domain := a[:at], a[at+1:]
	if strings.HasPrefix(local, "mailto:") {
		return "write the address without mailto:"
	}
	if !(len(local) >= 2 && local[0] == '"' && local[len(local)-1] == '"') {
		if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
			return "misplaced '.' before the '@'"
		}
		for k := 0; k < len(local); k++ {
			c := local[k]
			if !isAlnum(c) && c < 0x80 && !strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", rune(c)) {
				return fmt.Sprintf("%q is not allowed before the '@'", c)
			}
		}
	}
	if strings.IndexByte(domain, '.') < 0 {
		return fmt.Sprintf("domain %q has no dot", msgtext.Clip(domain))
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" {
			return fmt.Sprintf("domain %q has an empty label", msgtext.Clip(domain))
		}
		for k := 0; k < len(label); k++ {
			c := label[k]
			if !isAlnum(c) && c != '-' && c < 0x80 {
				return fmt.Sprintf("%q is not allowed in the domain", c)
			}
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Sprintf("domain label %q begins or ends with '-'", msgtext.Clip(label))
		}
	}
	return ""
}

// contactEmailFix suggests a usable contactemail value.
func contactEmailFix(v string) string {
	a := strings.TrimSpace(strings.TrimPrefix(v, "mailto:"))
	if i, j := strings.IndexByte(a, '<'), strings.IndexByte(a, '>'); i >= 0 && j > i {
		a = a[i+1 : j]
	}
	if a != v && emailSyntax(a) == "" {
		return "0 contactemail " + Quote(a)
	}
	return ""
}

// knownTags are the tags nearTag suggests.
var knownTags = [...]string{TagIssue, TagIssueWild, TagIODEF, TagIssueMail, TagIssueVMC, TagContactEmail, TagContactPhone}

// nearTag returns the known tag an unknown lower-case tag most likely
// misspells, or "".
func nearTag(tag string) string {
	for _, k := range knownTags {
		if msgtext.NearMiss(tag, k) {
			return k
		}
	}
	switch tag {
	case "issuewildcard", "wildcard", "issuewilds", "wild":
		return TagIssueWild
	case "issuer", "issues", "ca":
		return TagIssue
	case "email", "contact", "contactmail":
		return TagContactEmail
	case "phone":
		return TagContactPhone
	}
	return ""
}
