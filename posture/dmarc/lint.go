package dmarc

import (
	"fmt"
	"strconv"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
)

// lint reports what is legal but unwise in a record that [Check] read,
// and the rules of the view (RFC 9989 or RFC 7489) that are not syntax.
func (p *parser) lint(rec *Record) {
	in := &p.info
	if in.emptyTag >= 0 {
		p.add(finding.Warning, "dmarc.empty_tag", "", rfcABNF,
			fmt.Sprintf("empty tag (two \";\" with nothing between, at offset %d): the grammar does not allow it and strict receivers reject the record", in.emptyTag),
			"remove the extra \";\"")
	}
	p.lintPolicy(rec)
	p.lintReports(rec)

	if rec.DKIMAlignment == AlignmentStrict {
		p.add(finding.Info, "dmarc.strict_alignment", "adkim=s", rfcAlignment,
			"adkim=s: only DKIM signatures by the From: domain itself align, not those by its subdomains or parent", "")
	}
	if rec.SPFAlignment == AlignmentStrict {
		p.add(finding.Info, "dmarc.strict_alignment", "aspf=s", rfcAlignment,
			"aspf=s: SPF aligns only when the envelope sender's domain is the From: domain itself, which rules out most bounce-handling services", "")
	}
	if rec.Testing {
		if rec.Policy.Valid() && rec.Policy != PolicyNone && !p.legacy {
			p.add(finding.Warning, "dmarc.testing", "t=y", rfcFormat,
				fmt.Sprintf("t=y: receivers apply the policy one level lower (%s becomes %s) while you test", rec.Policy, lower(rec.Policy)),
				"remove t=y once the reports show that all your mail passes")
		} else if !p.legacy {
			p.add(finding.Info, "dmarc.testing", "t=y", rfcFormat, "t=y has no effect on p=none", "remove t=y")
		}
	}
	if rec.PSD == PSDYes && !p.legacy {
		p.add(finding.Warning, "dmarc.psd_yes", "psd=y", rfcPSO,
			"psd=y declares a public suffix domain (like a TLD): only public suffix operators publish it, and it makes each child domain an organizational domain of its own",
			"remove psd=y, or use psd=n to declare the domain an organizational domain")
	}

	for _, t := range in.removed {
		p.removedFinding(rec, t)
	}
	if p.legacy {
		for _, t := range [...]struct {
			name string
			set  bool
		}{{"np", rec.NonexistentPolicy != ""}, {"t", rec.Testing}, {"psd", rec.PSD != ""}} {
			if t.set {
				p.add(finding.Info, "dmarc.tag_not_in_rfc7489", t.name, rfc7489Format,
					fmt.Sprintf("%s is not defined in RFC 7489: receivers that implement only RFC 7489 ignore it", t.name), "")
			}
		}
	} else {
		for _, s := range in.sizes {
			p.add(finding.Info, "dmarc.uri_size_obsolete", s, rfcABNF,
				"the \"!size\" limit of a report URI is obsolete: RFC 9989 tells reporters to ignore it", "remove the !size suffix")
		}
	}
	for _, u := range in.nonMailto {
		p.add(finding.Warning, "dmarc.uri_scheme_unsupported", u, rfcFormat,
			"receivers are only required to send reports by mailto:, and ignore URIs with schemes they do not support", "use a mailto: URI")
	}
}

// lower is the policy t=y asks for (RFC 9989, Section 4.7).
func lower(p Policy) Policy {
	if p == PolicyReject {
		return PolicyQuarantine
	}
	return PolicyNone
}

// lintPolicy applies the rules about p, sp and np.
func (p *parser) lintPolicy(rec *Record) {
	in := &p.info
	validRUA := len(rec.AggregateReports) > 0
	switch {
	case !in.pPresent && p.legacy:
		// RFC 7489, Section 6.3: p is REQUIRED and must follow v.
		msg := "no p tag: RFC 7489 requires p right after v=DMARC1"
		if validRUA {
			msg += "; its receivers act as p=none because rua holds a valid URI"
		} else {
			msg += ", and without a valid rua its receivers apply no DMARC at all"
		}
		p.add(finding.Error, "dmarc.p_missing", "p", rfc7489Format, msg, "v=DMARC1; p=none; ...")
	case !in.pPresent && validRUA:
		// RFC 9989, Section 4.7 reads a missing p as none; Section 4.10.1
		// agrees as long as rua holds a valid URI.
		p.add(finding.Warning, "dmarc.p_missing", "p", rfcDiscovery,
			"no p tag: receivers act as p=none (monitoring only) because rua holds a valid URI; receivers that implement RFC 7489 require p",
			"v=DMARC1; p=none; ...")
	case !in.pPresent:
		// The two readings of RFC 9989 part here: Section 4.7 says a
		// missing p means none, Section 4.10.1 (as RFC 7489, Section 6.6.3
		// did) that without a valid rua receivers apply no DMARC at all.
		p.add(finding.Error, "dmarc.p_missing", "p", rfcDiscovery,
			"no p tag and no valid rua: RFC 9989, Section 4.7 reads a missing p as p=none, but Section 4.10.1 (like RFC 7489, Section 6.6.3) tells receivers to apply no DMARC processing at all without a valid rua",
			"add p=none (or quarantine or reject) and rua=mailto:<address>")
	case in.pIndex != 0:
		// RFC 7489, Section 6.3: "the v and p tags MUST be present and
		// MUST appear in that order"; RFC 9989 allows any order.
		sev, rfc := finding.Warning, rfcFormat
		msg := "p is not the first tag after v=DMARC1: RFC 9989 allows that, but receivers that implement RFC 7489 require p right after v and may reject the record"
		if p.legacy {
			sev, rfc = finding.Error, rfc7489Format
			msg = "p is not the first tag after v=DMARC1, as RFC 7489 requires"
		}
		p.add(sev, "dmarc.p_not_first", "p", rfc, msg, "move p= right after v=DMARC1;")
	}

	if rec.Policy == PolicyNone {
		p.add(finding.Warning, "dmarc.policy_none", "p=none", rfcOwner,
			"p=none is monitoring only: receivers deliver mail that fails DMARC as if there were no policy",
			"once the aggregate reports show that all your mail passes, move to p=quarantine, then p=reject")
	}
	pol := rec.Policy
	if pol == "" {
		pol = PolicyNone
	}
	if sp := rec.SubdomainPolicy; sp.Valid() && sp.rank() < pol.rank() {
		if sp == PolicyNone {
			p.add(finding.Warning, "dmarc.sp_weaker", "sp=none", rfcFormat,
				fmt.Sprintf("sp=none leaves the subdomains unprotected while the domain itself has p=%s: forgers can use any existing subdomain", pol),
				"remove sp, or set sp="+string(pol))
		} else {
			p.add(finding.Info, "dmarc.sp_weaker", "sp="+string(sp), rfcFormat,
				fmt.Sprintf("sp=%s is weaker than p=%s: existing subdomains are less protected than the domain itself", sp, pol), "")
		}
	}
	sub := rec.SubdomainPolicy
	if !sub.Valid() {
		sub = pol
	}
	if np := rec.NonexistentPolicy; np.Valid() && np.rank() < sub.rank() && !p.legacy {
		p.add(finding.Warning, "dmarc.np_weaker", "np="+string(np), rfcFormat,
			fmt.Sprintf("np=%s is weaker than the %s that applies to existing subdomains: subdomains that do not exist send no legitimate mail, only forgeries", np, sub),
			"np=reject")
	}
}

// lintReports applies the rules about rua, ruf and fo.
func (p *parser) lintReports(rec *Record) {
	if !p.info.ruaPresent {
		if rec.Policy.Valid() && rec.Policy != PolicyNone {
			p.add(finding.Info, "dmarc.rua_missing", "rua", rfcFormat,
				"no rua: receivers send no aggregate reports, so you will not see who sends mail in your domain's name, or whether your own mail passes",
				"rua=mailto:dmarc-reports@<your domain>")
		} else if p.info.pPresent {
			p.add(finding.Warning, "dmarc.rua_missing", "rua", rfcFormat,
				"no rua: receivers send no aggregate reports, so a monitoring policy shows you nothing: you will never see the reports",
				"rua=mailto:dmarc-reports@<your domain>")
		}
	}
	if len(rec.FailureReports) > 0 {
		p.add(finding.Info, "dmarc.ruf_present", "ruf", rfcFailPriv,
			"ruf asks for per-message failure reports: few receivers send them, and those that do may include personal data from the messages", "")
	} else if len(rec.FailureOptions) > 0 {
		p.add(finding.Info, "dmarc.fo_without_ruf", "fo", rfcFormat,
			"fo is ignored without ruf: it only says when failure reports are wanted", "remove fo, or add ruf")
	}
}

// removedFinding reports pct, ri or rf. RFC 9989 removed them (Appendix
// C.5.2); receivers that implement RFC 7489 still apply them.
func (p *parser) removedFinding(rec *Record, t Tag) {
	where := t.Name + "=" + msgtext.Clip(t.Value)
	if p.legacy {
		switch t.Name {
		case "pct":
			if rec.Percent != nil && *rec.Percent < DefaultPercent {
				p.add(finding.Info, "dmarc.pct_partial", where, rfc7489Format,
					fmt.Sprintf("pct=%d: receivers that implement RFC 7489 apply the policy to %d%% of failing mail, and the next lower policy to the rest", *rec.Percent, *rec.Percent),
					"pct=100, or remove pct once you are confident")
			}
		case "rf":
			for _, f := range rec.ReportFormat {
				if f != DefaultReportFormat {
					p.add(finding.Warning, "dmarc.rf_unknown", where, rfc7489Format,
						fmt.Sprintf("rf=%s: the only registered failure report format is afrf", f), "remove rf")
				}
			}
		}
		return
	}
	msg := fmt.Sprintf("%s is removed in RFC 9989: its receivers ignore it", t.Name)
	switch t.Name {
	case "pct":
		if n, err := strconv.Atoi(t.Value); err == nil && n >= 0 && n < DefaultPercent && len(t.Value) <= 3 {
			msg += fmt.Sprintf(", while receivers that implement RFC 7489 apply the policy to only %d%% of failing mail", n)
			p.add(finding.Warning, "dmarc.tag_removed", where, rfcPct, msg,
				"remove pct; to test a stricter policy, use t=y")
			return
		}
	case "ri":
		msg += "; report intervals are up to the receivers (usually a day)"
	}
	if rec.Percent == nil && t.Name == "pct" || rec.ReportInterval == nil && t.Name == "ri" || len(rec.ReportFormat) == 0 && t.Name == "rf" {
		msg += fmt.Sprintf(", and the value %q is not valid for RFC 7489 receivers either", msgtext.Clip(t.Value))
	}
	p.add(finding.Warning, "dmarc.tag_removed", where, rfcRemoved, msg, "remove "+t.Name)
}
