//go:build !js

package spf

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"golang.org/x/net/idna"
)

// Resolver is the part of *net.Resolver that [Evaluate] uses; posturekit's
// DNS client satisfies it too. A name without records must give a
// *net.DNSError with IsNotFound set; any other error is a failed lookup.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// maxQueries bounds the DNS queries of one evaluation, so that a record
// tree built to be expensive cannot make [Evaluate] run for long. Far more
// than a valid tree needs: 10 counted terms, each one query.
const maxQueries = 100

// Evaluation is the result of [Evaluate]: the record of a domain, the tree
// of its terms as receivers evaluate them, and the lookups counted against
// the limits of RFC 7208, Section 4.6.4.
type Evaluation struct {
	// Domain is the domain evaluated, in lower case A-labels.
	Domain string `json:"domain"`
	// Record is the SPF record of Domain as published, or "" when none
	// could be selected.
	Record string `json:"record"`
	// Lookups is the number of terms of the whole tree that need DNS
	// lookups (include, a, mx, ptr, exists, redirect); receivers allow 10.
	Lookups int `json:"lookups"`
	// VoidLookups is the number of those that found nothing (NXDOMAIN, or
	// no record of the type); receivers allow 2.
	VoidLookups int `json:"void_lookups"`
	// Valid is false when a finding has severity error: receivers would
	// return permerror or temperror for some or all senders.
	Valid bool `json:"valid"`
	// Terms are the terms of Record, each with what it costs.
	Terms []*TermResult `json:"terms"`
	// Findings are all problems found, worst first.
	Findings finding.List `json:"findings"`
}

// TermResult is one term of an evaluated record.
type TermResult struct {
	// Term is the term as written.
	Term string `json:"term"`
	// Target is the name the term looks up, after %{d} is expanded.
	Target string `json:"target,omitempty"`
	// Lookups is the number of counted terms this term stands for: 1 for
	// a, mx, ptr and exists; 1 plus those of the record it names for
	// include and redirect; 0 for the others.
	Lookups int `json:"lookups"`
	// Void is true when the term's lookup found nothing.
	Void bool `json:"void"`
	// MXNames is the number of MX names an mx term found; receivers look
	// up the addresses of at most 10.
	MXNames int `json:"mx_names,omitempty"`
	// Record is the SPF record an include or redirect names.
	Record string `json:"record,omitempty"`
	// Ignored is true for terms receivers never evaluate: mechanisms after
	// all, and redirect in a record with all.
	Ignored bool `json:"ignored,omitempty"`
	// Note says why a term was not looked up, when it was not.
	Note string `json:"note,omitempty"`
	// Children are the terms of the record an include or redirect names.
	Children []*TermResult `json:"children,omitempty"`
}

// Evaluate looks up the SPF record of domain and follows its include and
// redirect terms through DNS, as a receiver evaluating a sender that no
// mechanism matches would, and counts the lookups against the limits of RFC
// 7208, Section 4.6.4: at most 10 terms that need DNS across the whole
// tree, at most 10 MX names for each mx, and at most 2 lookups that find
// nothing. It reports every problem as a finding: syntax errors (of
// included records too), the lints of [Check] for the domain's own
// record, loops, missing records, and failed lookups (a failed lookup is
// never counted as one that found nothing).
//
// The count is static: terms whose domain holds macros other than %{d}
// (which is expanded) depend on the message and are counted but not looked
// up, and ptr, which depends on the client's address, is counted once. A
// receiver stops at the first mechanism that matches, so a sender listed
// early may pass a record that is over the limit; every other sender gets
// permerror.
//
// The error is only for an unusable domain name. A nil r means
// net.DefaultResolver.
func Evaluate(ctx context.Context, r Resolver, domain string) (*Evaluation, error) {
	d, err := normalizeDomain(domain)
	if err != nil {
		return nil, err
	}
	if r == nil {
		r = net.DefaultResolver
	}
	e := &evaluator{r: r, ev: &Evaluation{Domain: d, Terms: []*TermResult{}}, txt: map[string]txtAnswer{}}
	txt, rec := e.fetch(ctx, d, d, "", fetchTop)
	e.ev.Record = txt
	if rec != nil {
		e.ev.Terms = e.walk(ctx, d, rec, []string{d})
	}
	e.limits()
	ev := e.ev
	ev.Findings.Sort()
	if ev.Findings == nil {
		ev.Findings = finding.List{}
	}
	ev.Valid = !ev.Findings.HasErrors()
	return ev, nil
}

// normalizeDomain returns the lower-case A-label form of a domain. Labels
// with underscores (_spf.example.com) are accepted.
func normalizeDomain(domain string) (string, error) {
	s := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	a, err := idna.New(idna.MapForLookup(), idna.StrictDomainName(false)).ToASCII(s)
	if err != nil || a == "" || domainUsable(a) != "" || strings.ContainsAny(a, " \t/%:") {
		return "", fmt.Errorf("spf: %q is not a domain name", domain)
	}
	return strings.ToLower(a), nil
}

type txtAnswer struct {
	txts []string
	err  error
}

type evaluator struct {
	r        Resolver
	ev       *Evaluation
	txt      map[string]txtAnswer // TXT answers by name, for records included twice
	queries  int
	stopped  bool   // maxQueries was reached
	overAt   string // the term that went over the lookup limit
	voidOver string // the term that went over the void limit
}

func (e *evaluator) add(f finding.Finding, where string) {
	if f.Where != "" {
		f.Where = where + ": " + f.Where
	} else {
		f.Where = where
	}
	e.ev.Findings = append(e.ev.Findings, f)
}

func (e *evaluator) addNew(code string, sev finding.Severity, where, rfc, msg, fix string) {
	e.ev.Findings = append(e.ev.Findings, finding.Finding{Code: code, Severity: sev, Where: where, RFC: rfc, Message: msg, Fix: fix})
}

// query reports whether another DNS query may be made.
func (e *evaluator) query() bool {
	if e.queries >= maxQueries {
		if !e.stopped {
			e.stopped = true
			e.addNew("spf.evaluation_stopped", finding.Warning, e.ev.Domain, rfcLimits,
				fmt.Sprintf("the evaluation stopped after %d DNS queries; the counts below are a lower bound", maxQueries), "")
		}
		return false
	}
	e.queries++
	return true
}

func isNotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// Why a record is fetched.
type fetchKind int

const (
	fetchTop      fetchKind = iota // the domain evaluated
	fetchInclude                   // named by include
	fetchRedirect                  // named by redirect
)

// fetch looks up and selects the SPF record at name and reports its
// problems under where. It returns the record's text, when one was
// selected, and the record, when it could be read.
func (e *evaluator) fetch(ctx context.Context, name, where, term string, kind fetchKind) (txt string, rec *Record) {
	ans, cached := e.txt[name]
	if !cached {
		if !e.query() {
			return "", nil
		}
		ans.txts, ans.err = e.r.LookupTXT(ctx, name)
		e.txt[name] = ans
	}
	if ans.err != nil && !isNotFound(ans.err) {
		e.addNew("spf.lookup_failed", finding.Error, where, rfcSelect,
			fmt.Sprintf("the TXT lookup of %s failed, so receivers return temperror: %v", name, ans.err),
			"make the name servers of "+name+" answer TXT queries")
		return "", nil
	}
	n := 0
	for _, t := range ans.txts {
		if IsSPF(t) {
			txt = t
			n++
		}
	}
	switch {
	case n == 0 && kind == fetchTop:
		e.addNew("spf.no_record", finding.Error, where, rfcSelect,
			"no SPF record: receivers get the result none and apply no SPF policy to the domain",
			fmt.Sprintf("publish a TXT record at %s: \"v=spf1 <the domain's senders> -all\"", name))
		return "", nil
	case n == 0:
		// RFC 7208, Sections 5.2 (include) and 6.1 (redirect): a target
		// without a record is a permerror.
		code, rfc := "spf.include_no_record", rfcInclude
		if kind == fetchRedirect {
			code, rfc = "spf.redirect_no_record", rfcRedirect
		}
		e.addNew(code, finding.Error, where, rfc,
			fmt.Sprintf("%s has no SPF record, so receivers return permerror", name),
			"remove "+term+", or publish an SPF record at "+name)
		return "", nil
	case n > 1:
		// RFC 7208, Section 4.5.
		e.addNew("spf.multiple_records", finding.Error, where, rfcSelect,
			fmt.Sprintf("%s has %d SPF records; receivers return permerror", name, n),
			"merge them into one record beginning with v=spf1")
		return "", nil
	}
	rec, l := Check(txt)
	for _, f := range l {
		switch {
		case f.Code == "spf.too_many_lookups":
			// The count of the whole tree replaces the record's own.
		case kind == fetchInclude && f.Severity != finding.Error:
			// An included record's lints are its owner's business, except
			// errors, which change the include's result (+all, syntax).
		default:
			e.add(f, where)
		}
	}
	return txt, rec
}

// walk evaluates the terms of rec, the record of domain. path holds the
// domains whose records led here, for loops.
func (e *evaluator) walk(ctx context.Context, domain string, rec *Record, path []string) []*TermResult {
	out := make([]*TermResult, len(rec.Terms))
	hasAll := false
	for _, t := range rec.Terms {
		if t.Mechanism == All {
			hasAll = true
		}
	}
	seenAll := false
	redirect := -1
	for i, t := range rec.Terms {
		tr := &TermResult{Term: t.Raw}
		if tr.Term == "" {
			tr.Term = t.String()
		}
		out[i] = tr
		switch {
		case t.Modifier == Redirect:
			if hasAll {
				// RFC 7208, Section 6.1: ignored when the record has all.
				tr.Ignored = true
				tr.Note = "ignored: the record has all"
			} else {
				redirect = i
			}
			continue
		case t.Mechanism == "":
			continue // exp and unknown modifiers cause no lookup
		case seenAll:
			// RFC 7208, Section 5.1: evaluation ends at all.
			tr.Ignored = true
			tr.Note = "ignored: after all"
			continue
		}
		switch t.Mechanism {
		case All:
			seenAll = true
		case Include, A, MX, PTR, Exists:
			e.mechanism(ctx, domain, t, tr, path)
		}
	}
	// RFC 7208, Section 6.1: redirect applies after all mechanisms.
	if redirect >= 0 {
		e.mechanism(ctx, domain, rec.Terms[redirect], out[redirect], path)
	}
	return out
}

// where names a term of domain's record in findings.
func where(domain string, tr *TermResult) string {
	return domain + ": " + tr.Term
}

// mechanism counts and looks up one term that needs DNS.
func (e *evaluator) mechanism(ctx context.Context, domain string, t Term, tr *TermResult, path []string) {
	// RFC 7208, Section 4.6.4: include, a, mx, ptr, exists and redirect
	// count towards the limit of 10, across the whole evaluation.
	e.ev.Lookups++
	tr.Lookups = 1
	if e.ev.Lookups == maxLookups+1 {
		e.overAt = where(domain, tr)
	}
	if t.Mechanism == PTR {
		tr.Note = "not evaluated: ptr depends on the address of each client (it costs 1 lookup here and up to 10 PTR names per receiver)"
		e.addNew("spf.ptr_not_evaluated", finding.Info, where(domain, tr), rfcPTR,
			"ptr is counted as 1 lookup but cannot be evaluated without a client address", "")
		return
	}
	spec := t.Domain
	if spec == "" {
		spec = domain
	}
	name, ok := expandDomain(spec, domain)
	if !ok {
		tr.Note = "not looked up: the domain holds macros that depend on the message"
		msg := fmt.Sprintf("%s is counted as 1 lookup, but its macros depend on each message, so it was not looked up", tr.Term)
		if t.Mechanism == Include || t.Modifier == Redirect {
			msg += "; the lookups of the record it names are not counted"
		}
		e.addNew("spf.macro_not_evaluated", finding.Info, where(domain, tr), rfcDomain, msg, "")
		return
	}
	tr.Target = name
	if domainUsable(name) != "" || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
		tr.Note = "not looked up: not a usable domain name"
		return // Check reported the literal ones
	}
	if t.Mechanism == Include || t.Modifier == Redirect {
		e.follow(ctx, domain, t, tr, name, path)
		return
	}
	if !e.query() {
		tr.Note = "not looked up: the evaluation stopped"
		return
	}
	var err error
	switch t.Mechanism {
	case A:
		// A void a finds neither A nor AAAA records: one void lookup for
		// the term, not one per query (checkdmarc#94).
		_, err = e.r.LookupNetIP(ctx, "ip", name)
	case Exists:
		// RFC 7208, Section 5.7: exists looks up A records, whatever the
		// client's address family.
		_, err = e.r.LookupNetIP(ctx, "ip4", name)
	case MX:
		var mxs []*net.MX
		mxs, err = e.r.LookupMX(ctx, name)
		if err == nil {
			for _, mx := range mxs {
				if mx.Host != "." && mx.Host != "" { // a null MX (RFC 7505) names no host
					tr.MXNames++
				}
			}
			// RFC 7208, Section 4.6.4: the addresses of at most 10 MX names
			// are looked up; more is a permerror. Those address lookups do
			// not count towards the limit of 10 terms.
			if tr.MXNames > maxMXNames {
				e.addNew("spf.too_many_mx", finding.Error, where(domain, tr), rfcLimits,
					fmt.Sprintf("%s has %d MX names; receivers look up at most %d for one mx term and then return permerror", name, tr.MXNames, maxMXNames),
					"list the mail servers with ip4 and ip6, or use fewer MX records")
			}
		}
	}
	switch {
	case err == nil:
	case isNotFound(err):
		e.void(domain, tr)
	default:
		tr.Note = "lookup failed"
		e.addNew("spf.lookup_failed", finding.Error, where(domain, tr), rfcLimits,
			fmt.Sprintf("the lookup of %s failed, so receivers return temperror: %v", name, err),
			"make the name servers of "+name+" answer")
	}
}

// void counts a term whose lookup found nothing (RFC 7208, Section 4.6.4).
func (e *evaluator) void(domain string, tr *TermResult) {
	tr.Void = true
	e.ev.VoidLookups++
	if e.ev.VoidLookups == maxVoidLookups+1 {
		e.voidOver = where(domain, tr)
	}
}

// follow evaluates the record an include or redirect names.
func (e *evaluator) follow(ctx context.Context, domain string, t Term, tr *TermResult, name string, path []string) {
	if slices.Contains(path, name) {
		tr.Note = "loop: not followed"
		e.addNew("spf.include_loop", finding.Error, where(domain, tr), rfcLimits,
			fmt.Sprintf("%s leads back to %s (%s): receivers go round until the lookup limit and return permerror", tr.Term, name, strings.Join(slices.Concat(path, []string{name}), " > ")),
			"remove "+tr.Term)
		return
	}
	kind := fetchInclude
	if t.Modifier == Redirect {
		kind = fetchRedirect
	}
	txt, rec := e.fetch(ctx, name, where(domain, tr), tr.Term, kind)
	tr.Record = txt
	if rec == nil {
		if !e.stopped {
			tr.Note = "no usable SPF record"
		}
		return
	}
	tr.Children = e.walk(ctx, name, rec, slices.Concat(path, []string{name}))
	for _, c := range tr.Children {
		tr.Lookups += c.Lookups
	}
}

// limits reports the totals over the limits.
func (e *evaluator) limits() {
	ev := e.ev
	if ev.Lookups > maxLookups {
		e.addNew("spf.too_many_lookups", finding.Error, e.overAt, rfcLimits,
			fmt.Sprintf("evaluating the record takes %d terms that need DNS lookups (include, a, mx, ptr, exists, redirect, counted through every include); receivers allow %d and return permerror for every sender not matched before the limit", ev.Lookups, maxLookups),
			"replace includes and a/mx terms with ip4 and ip6 networks (\"flattening\"), and remove includes of services the domain no longer uses")
	}
	if ev.VoidLookups > maxVoidLookups {
		e.addNew("spf.too_many_void_lookups", finding.Error, e.voidOver, rfcLimits,
			fmt.Sprintf("%d lookups find nothing (no such name, or no record of the type); receivers allow %d and then return permerror", ev.VoidLookups, maxVoidLookups),
			"remove the terms whose names have no records")
	}
}
