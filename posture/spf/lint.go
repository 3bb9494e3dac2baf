package spf

import (
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
)

// Check parses an SPF record and reports every syntax problem and
// everything legal but unwise as findings. The record is nil when the value
// is not an SPF record or has a syntax error (a finding of severity error
// says why); receivers return "permerror" whenever a finding has severity
// error.
func Check(txt string) (*Record, finding.List) {
	p := parser{txt: txt, collect: true}
	rec, isSPF := p.parse()
	if isSPF {
		p.lint(rec)
	}
	p.findings.Sort()
	if p.failed {
		rec = nil
	}
	return rec, p.findings
}

// CheckStrings checks an SPF record given as the character-strings of its
// TXT record, as written in a zone file or a DNS provider's form: each
// string must fit in 255 octets, and the strings are joined without spaces
// before the record is read (RFC 7208, Section 3.3), so "v=spf1" "mx" is not
// an SPF record.
func CheckStrings(strs []string) (*Record, finding.List) {
	txt := strings.Join(strs, "")
	rec, l := Check(txt)
	for i, s := range strs {
		if len(s) > maxStringLen {
			l = append(l, finding.Finding{Code: "spf.string_too_long", Severity: finding.Error, RFC: rfcStrings,
				Where:   fmt.Sprintf("string %d", i+1),
				Message: fmt.Sprintf("string %d is %d octets; a TXT character-string holds at most %d", i+1, len(s), maxStringLen),
				Fix:     "split the record into strings of at most 255 octets; they are joined without spaces"})
		}
	}
	// A string that ends inside a term is legal (long records are often
	// split every 255 octets), but when it was meant to end a term, the
	// two terms run together into one: say which.
	off := 0
	for i := 0; i+1 < len(strs); i++ {
		off += len(strs[i])
		a, b := strs[i], strs[i+1]
		if a == "" || b == "" || a[len(a)-1] == ' ' || b[0] == ' ' || !IsSPF(txt) {
			continue
		}
		start := strings.LastIndexByte(txt[:off], ' ') + 1
		end := strings.IndexByte(txt[off:], ' ')
		if end < 0 {
			end = len(txt)
		} else {
			end += off
		}
		l = append(l, finding.Finding{Code: "spf.strings_joined", Severity: finding.Info, RFC: rfcStrings,
			Where:   fmt.Sprintf("strings %d and %d", i+1, i+2),
			Message: fmt.Sprintf("string %d ends inside a term: the strings are joined without a space, so receivers read %q (at offset %d)", i+1, msgtext.Clip(txt[start:end]), start),
			Fix:     "if a term was meant to end there, begin the next string with a space"})
	}
	if !IsSPF(txt) && len(strs) > 1 && IsSPF(strs[0]+" ") {
		l = append(l, finding.Finding{Code: "spf.strings_joined", Severity: finding.Info, RFC: rfcStrings,
			Where:   "strings 1 and 2",
			Message: fmt.Sprintf("the strings are joined without a space, so the record reads %q, which is not SPF", msgtext.Clip(txt)),
			Fix:     "begin the second string with a space"})
	}
	l.Sort()
	return rec, l
}

// lint reports what is legal but unwise in a record that was read.
func (p *parser) lint(rec *Record) {
	if len(p.txt) > maxRecordLen {
		p.findings = append(p.findings, finding.Finding{Code: "spf.record_too_long", Severity: finding.Warning, RFC: rfcSize,
			Message: fmt.Sprintf("the record is %d octets; above %d the DNS answer risks going over 512 octets, and some receivers fail to fetch it", len(p.txt), maxRecordLen),
			Fix:     "move senders into an include of their own, or replace a and mx by ip4 and ip6"})
	}
	where := func(i int) string {
		t := rec.Terms[i]
		s := t.Raw
		if s == "" {
			s = t.String()
		}
		return msgtext.Clip(s)
	}
	at := func(i int) string {
		if i < len(p.offsets) {
			return fmt.Sprintf(" (at offset %d)", p.offsets[i])
		}
		return ""
	}
	add := func(i int, code string, sev finding.Severity, rfc, msg, fix string) {
		w := ""
		if i >= 0 {
			w = where(i)
			msg += at(i)
		}
		p.findings = append(p.findings, finding.Finding{Code: code, Severity: sev, Where: w, RFC: rfc, Message: msg, Fix: fix})
	}
	allAt, redirectAt := -1, -1
	for i, t := range rec.Terms {
		if t.Mechanism == All && allAt < 0 {
			allAt = i
		}
		if t.Modifier == Redirect {
			redirectAt = i
		}
	}
	seen := map[string]int{}
	for i, t := range rec.Terms {
		if t.Mechanism != "" && allAt >= 0 && i > allAt {
			continue // reported once below
		}
		switch t.Mechanism {
		case All:
			if i != allAt {
				break
			}
			switch t.Qualifier {
			case "", Pass:
				add(i, "spf.pass_all", finding.Error, rfcAll,
					"+all passes every sender on the Internet: the record authorizes everybody to send as the domain", "-all (or ~all while you check your senders)")
			case Neutral:
				add(i, "spf.neutral_all", finding.Warning, rfcAll,
					"?all gives neutral for everybody not listed: receivers treat it as no policy", "-all, or ~all")
			case SoftFail:
				add(i, "spf.softfail_all", finding.Info, rfcAll,
					"~all asks receivers to accept mail from unlisted senders but mark it; -all asks them to reject it", "-all, once every sender of the domain is listed")
			}
		case PTR:
			// RFC 7208, Section 5.5: ptr SHOULD NOT be used.
			add(i, "spf.ptr", finding.Warning, rfcPTR,
				"ptr should not be used: it is slow, unreliable, and puts load on the DNS servers of the sender's network; some receivers ignore it",
				"list the senders with ip4, ip6, a or include")
		case IP4, IP6:
			if t.Qualifier == Pass || t.Qualifier == "" {
				wideNet(t, func(sev finding.Severity, msg, fix string) { add(i, "spf.wide_network", sev, rfcIP, msg, fix) })
			}
		case A, MX:
			if (t.Qualifier == Pass || t.Qualifier == "") && (t.CIDR4 != nil && *t.CIDR4 < 8 || t.CIDR6 != nil && *t.CIDR6 < 16) {
				add(i, "spf.wide_network", finding.Error, rfcIP,
					fmt.Sprintf("%s passes whole networks around the addresses it finds, up to the entire Internet", t.Mechanism), "remove the prefix length, or list the networks with ip4 and ip6")
			}
		}
		if t.Modifier != "" && !isKnownModifier(t.Modifier) {
			if Mechanism(strings.ToLower(t.Modifier)).Valid() {
				add(i, "spf.unknown_modifier", finding.Warning, rfcModifiers,
					fmt.Sprintf("%q is an unknown modifier, which receivers ignore; %s is a mechanism, written with ':'", where(i), strings.ToLower(t.Modifier)),
					strings.ToLower(t.Modifier)+":"+t.Value)
			} else {
				add(i, "spf.unknown_modifier", finding.Info, rfcModifiers,
					fmt.Sprintf("unknown modifier %s is ignored by receivers", msgtext.Clip(t.Modifier)), "")
			}
		}
		if t.Domain != "" && !hasMacros(t.Domain) {
			if msg := domainUsable(t.Domain); msg != "" {
				// A valid domain-spec that no DNS query can be made of:
				// receivers take it as no match or as permerror (the test
				// suite's invalid-domain-* cases accept both).
				add(i, "spf.domain_unusable", finding.Error, rfcDomain, fmt.Sprintf("domain %q %s; receivers cannot look it up", msgtext.Clip(t.Domain), msg), "")
			}
		}
		key := strings.ToLower(t.String())
		if first, dup := seen[key]; dup && t.Modifier == "" {
			sev, msg := finding.Info, fmt.Sprintf("%s is listed twice (first at term %d)", where(i), first+1)
			if t.NeedsLookup() {
				sev, msg = finding.Warning, msg+": the second costs a DNS lookup for nothing"
			}
			add(i, "spf.duplicate_term", sev, rfcLimits, msg, "remove the second "+where(i))
		} else if !dup {
			seen[key] = i
		}
	}
	if allAt >= 0 {
		n := 0
		for _, t := range rec.Terms[allAt+1:] {
			if t.Mechanism != "" {
				n++
			}
		}
		if n > 0 {
			add(allAt+1+firstMechanism(rec.Terms[allAt+1:]), "spf.after_all", finding.Warning, rfcAll,
				fmt.Sprintf("%d mechanism(s) after %s are never evaluated: all always matches", n, where(allAt)),
				"move "+where(allAt)+" to the end")
		}
		if redirectAt >= 0 {
			add(redirectAt, "spf.redirect_ignored", finding.Warning, rfcRedirect,
				fmt.Sprintf("redirect is ignored because the record has %s", where(allAt)),
				"remove "+where(allAt)+" to use the redirect, or remove the redirect")
		}
	} else if redirectAt < 0 && !p.failed {
		add(-1, "spf.no_all", finding.Warning, rfcDefault,
			"the record has no all and no redirect, so senders it does not list get neutral, which receivers treat as no policy",
			"end the record with -all (or ~all)")
	}
	if n := rec.Lookups(); n > maxLookups {
		add(-1, "spf.too_many_lookups", finding.Error, rfcLimits,
			fmt.Sprintf("the record alone has %d terms that need DNS lookups (include, a, mx, ptr, exists, redirect); receivers allow %d and then return permerror", n, maxLookups),
			"replace a and mx with ip4 and ip6, and remove includes the domain does not use")
	}
}

func firstMechanism(ts []Term) int {
	for i, t := range ts {
		if t.Mechanism != "" {
			return i
		}
	}
	return 0
}

// wideNet reports ip4 and ip6 networks that pass much of the Internet.
func wideNet(t Term, add func(sev finding.Severity, msg, fix string)) {
	if !t.Net.IsValid() {
		return
	}
	bits, limit := t.Net.Bits(), 8
	if t.Mechanism == IP6 {
		limit = 16
	}
	switch {
	case bits == 0:
		add(finding.Error, fmt.Sprintf("%s passes every address of its family, like +all", t.String()),
			"list the networks of the domain's senders")
	case bits < limit:
		add(finding.Warning, fmt.Sprintf("%s passes a /%d, a very large part of the Internet", t.String(), bits),
			"list the networks of the domain's senders")
	}
}

// domainUsable returns what makes a literal domain unusable in a DNS query
// (RFC 1035, Sections 2.3.4 and 3.1), or "".
func domainUsable(d string) string {
	d = strings.TrimSuffix(d, ".")
	if len(d) > 253 {
		return "is longer than 253 characters"
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" {
			return "has an empty label"
		}
		if len(label) > 63 {
			return fmt.Sprintf("has a label of %d characters (at most 63)", len(label))
		}
	}
	return ""
}
