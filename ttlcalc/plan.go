package ttlcalc

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/posturekit/posturekit/finding"
)

// Plan is a migration plan: when to lower which TTL, how long to wait,
// when to switch, how long the old servers or endpoint must stay alive,
// and what to watch out for. Times are seconds relative to the switch
// (negative: before it).
type Plan struct {
	Population string `json:"population"`
	Assumption string `json:"assumption,omitempty"`
	Kind       Kind   `json:"kind"`
	// TTL is the TTL the change is about, today: the record's TTL, the
	// negative TTL, or the child's NS TTL.
	TTL float64 `json:"ttl_seconds"`
	// LoweredTTL is the TTL to lower to ahead of the switch, or 0 when
	// lowering gains nothing.
	LoweredTTL float64 `json:"lowered_ttl_seconds"`
	// Lead is how long before the switch to lower it: the longest time a
	// resolver that honours TTLs keeps the old TTL.
	Lead float64 `json:"lead_seconds"`
	// Quantiles are the times after the switch, with the plan, by which
	// the fractions of client queries get the new answer.
	Quantiles []QuantileTime `json:"quantiles"`
	// KeepOld is how long after the switch the old endpoint (record), or
	// the old provider's servers (delegation), must keep answering; null
	// when no time is enough (KeepOldReason says why).
	KeepOld       *float64 `json:"keep_old_seconds"`
	KeepOldReason string   `json:"keep_old_reason,omitempty"`
	// Unplanned is the same change made at once, without lowering.
	Unplanned Outcome `json:"unplanned"`
	// Holdouts are the classes that keep old answers longer than the
	// lowered TTL whatever is done; only keeping the old endpoint alive
	// helps their clients.
	Holdouts []Holdout `json:"holdouts"`
	// Steps are what to do, in order.
	Steps []Step `json:"steps"`
	// Warnings are what the plan cannot fix or does not model.
	Warnings finding.List `json:"warnings"`
}

// Outcome is how a change spreads: the times to reach fractions, and to
// 100% (null when never).
type Outcome struct {
	Quantiles []QuantileTime `json:"quantiles"`
	Bound     *float64       `json:"bound_seconds"`
}

// Holdout is a class whose clients keep old answers beyond the lowered TTL.
type Holdout struct {
	Name  string  `json:"name"`
	Share float64 `json:"share"`
	// Keep is how long after the switch its clients may get the old
	// answer; null when there is no bound.
	Keep *float64 `json:"keep_seconds"`
	// Why the class holds on.
	Why string `json:"why"`
}

// Step is one thing to do.
type Step struct {
	At     float64 `json:"at_seconds"` // relative to the switch
	Action string  `json:"action"`
	Detail string  `json:"detail,omitempty"`
}

// PlanChange plans a change. c.LoweredTTL is the TTL to lower to ahead of
// the switch (0: do not lower); c.LeadTime must be 0, the plan chooses it.
// quantiles are the fractions to give times for (0.5, 0.9, 0.99, 0.999
// and 1 when empty). Errors wrap [ErrPopulation], [ErrChange] or [ErrQuantile].
func PlanChange(p *Population, c Change, quantiles []float64) (*Plan, error) {
	if c.LeadTime != 0 {
		return nil, changeErr("lead_time", "the plan chooses the lead time; leave it 0")
	}
	if len(quantiles) == 0 {
		quantiles = defaultQuantiles
	}
	asked := c.LoweredTTL
	unplannedChange := c
	unplannedChange.LoweredTTL = 0
	unplanned, err := New(p, unplannedChange)
	if err != nil {
		return nil, err
	}
	c.Kind = c.kind()
	// The lead: the longest old lifetime among the classes that gain from
	// the lowering.
	lead := 0.0
	if c.LoweredTTL > 0 {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		for _, cl := range p.Classes {
			if cl.Share == 0 {
				continue
			}
			t0, t1 := planLifetimes(&cl, c)
			if t1 < t0 {
				w := t0
				if cl.Memoryless {
					w = t0 * math.Log2(1000) // until 99.9% of its entries are new
				}
				lead = max(lead, w)
			}
		}
	}
	planned := unplanned
	if lead > 0 {
		c.LeadTime = fromSeconds(lead)
		if planned, err = New(p, c); err != nil {
			return nil, err
		}
	} else {
		c.LoweredTTL = 0
	}
	pl := &Plan{
		Population: p.Name,
		Assumption: p.Assumption,
		Kind:       c.Kind,
		TTL:        roundSec(seconds(c.CurrentTTL())),
		LoweredTTL: roundSec(seconds(c.LoweredTTL)),
		Lead:       roundSec(lead),
		Holdouts:   []Holdout{},
		Warnings:   finding.List{},
	}
	if pl.Quantiles, err = outcomeQuantiles(planned, quantiles); err != nil {
		return nil, err
	}
	if pl.Unplanned.Quantiles, err = outcomeQuantiles(unplanned, quantiles); err != nil {
		return nil, err
	}
	if b, ok := unplanned.Bound(); ok {
		v := roundSec(b.Seconds())
		pl.Unplanned.Bound = &v
	}
	if b, ok := planned.Bound(); ok {
		v := roundSec(b.Seconds())
		pl.KeepOld = &v
	} else {
		pl.KeepOldReason = planned.BoundReason()
	}

	// Holdouts: classes that outlast the TTL in effect at the switch.
	ref := seconds(c.RuleTTL()) + seconds(c.PublishDelay)
	holdShare := 0.0
	for i, cl := range p.Classes {
		if cl.Share == 0 {
			continue
		}
		b, ok := planned.ClassBound(i)
		if ok && b.Seconds() <= ref+1e-6 {
			continue
		}
		h := Holdout{Name: cl.Name, Share: cl.Share, Why: holdoutWhy(&cl, c)}
		if ok {
			v := roundSec(b.Seconds())
			h.Keep = &v
		}
		pl.Holdouts = append(pl.Holdouts, h)
		holdShare += cl.Share
	}

	pl.Steps = planSteps(c, pl, planned)
	pl.Warnings = planWarnings(p, c, asked, pl, holdShare)
	return pl, nil
}

func outcomeQuantiles(m *Model, qs []float64) ([]QuantileTime, error) {
	r, err := m.Report([]time.Duration{0}, qs)
	if err != nil {
		return nil, err
	}
	return r.Quantiles, nil
}

// planLifetimes are a class's lifetimes before and after lowering, for the
// part of it that the lowering concerns.
func planLifetimes(cl *Class, c Change) (t0, t1 float64) {
	if c.kind() == KindDelegation {
		if cl.Centricity == ParentCentric || c.ChildNSUnseen == 1 {
			t := cl.delegLifetime(seconds(c.ParentNSTTL))
			return t, t
		}
		p := seconds(c.ParentNSTTL)
		return cl.delegLifetime(min(p, seconds(c.ChildNSTTL))), cl.delegLifetime(min(p, seconds(c.LoweredTTL)))
	}
	return cl.lifetime(c.kind(), seconds(c.CurrentTTL())), cl.lifetime(c.kind(), seconds(c.LoweredTTL))
}

// holdoutWhy says in a few words why a class keeps old answers long.
func holdoutWhy(cl *Class, c Change) string {
	var why []string
	ttl := c.RuleTTL()
	switch c.kind() {
	case KindDelegation:
		if cl.Centricity == ParentCentric {
			why = append(why, "parent-centric: follows the parent's NS TTL "+FormatDuration(c.ParentNSTTL))
		} else if c.ChildNSUnseen > 0 {
			why = append(why, fmt.Sprintf("%.0f%% have not seen the child's NS RRset and follow the parent's NS TTL", 100*c.ChildNSUnseen))
		}
		if cl.DelegFloor > ttl {
			why = append(why, "delegation floor "+FormatDuration(cl.DelegFloor))
		}
	case KindNegative:
	default:
		if cl.Fixed > 0 {
			why = append(why, "keeps every answer "+FormatDuration(cl.Fixed))
		} else if cl.Floor > ttl {
			why = append(why, "TTL floor "+FormatDuration(cl.Floor))
		}
	}
	if c.kind() != KindDelegation {
		for _, s := range cl.Stubs {
			if s.Mode == StubFixed || s.Mode == StubFloor && s.Lifetime > ttl {
				why = append(why, fmt.Sprintf("a %s stub layer of %s", s.Mode, FormatDuration(s.Lifetime)))
			}
		}
		if cl.Stale == StaleOptimistic && cl.QueryRate > 0 {
			why = append(why, "optimistic serve-stale")
		}
	}
	if cl.Memoryless {
		why = append(why, "memoryless eviction")
	}
	if cl.QueryRate > 0 && len(why) == 0 {
		why = append(why, "sparse queries")
	}
	if len(why) == 0 {
		why = append(why, "keeps answers longer than the TTL")
	}
	return strings.Join(why, "; ")
}

func fmtSec(s float64) string { return FormatDuration(fromSeconds(math.Round(s))) }

func planSteps(c Change, pl *Plan, planned *Model) []Step {
	var steps []Step
	add := func(at float64, action, detail string) {
		steps = append(steps, Step{At: roundSec(at), Action: action, Detail: detail})
	}
	q := func(f float64) string {
		for _, qt := range pl.Quantiles {
			if qt.Q == f && qt.T != nil {
				return fmtSec(*qt.T)
			}
		}
		if s, err := planned.quantile(f); err == nil {
			return fmtSec(s)
		}
		return "never"
	}
	spread := fmt.Sprintf("Half of client queries get the new answer after %s, 99%% after %s, 99.9%% after %s.", q(0.5), q(0.99), q(0.999))
	keep, keepAt := "", 0.0
	if pl.KeepOld != nil {
		keepAt = *pl.KeepOld
		keep = fmtSec(keepAt)
	} else if s, err := planned.quantile(0.999); err == nil {
		keepAt = s
	}
	lowered, current := fmtSec(pl.LoweredTTL), fmtSec(pl.TTL)
	wait := fmt.Sprintf("Wait %s: resolvers that honour TTLs keep the old TTL that long.", fmtSec(pl.Lead))

	switch c.kind() {
	case KindRecord:
		if pl.Lead > 0 {
			add(-pl.Lead, fmt.Sprintf("Lower the record's TTL from %s to %s.", current, lowered), wait)
		}
		add(0, "Switch the record to the new data; keep the old endpoint serving.", spread)
		if pl.KeepOld != nil {
			add(keepAt, "Retire the old endpoint: no client gets the old answer any more.", retireDetail(pl))
		} else {
			add(keepAt, "Watch the old endpoint's traffic and retire it when it is negligible (99.9% have moved).",
				"No time is enough for every client: "+pl.KeepOldReason+".")
		}
		if pl.Lead > 0 {
			add(keepAt, fmt.Sprintf("Raise the TTL back to %s.", current), "Long TTLs (an hour or more) are faster and more robust for stable records (RFC 9199).")
		}
	case KindNegative:
		if pl.Lead > 0 {
			add(-pl.Lead, fmt.Sprintf("Lower the zone's SOA MINIMUM and the SOA record's TTL so that negative answers live at most %s (now %s).", lowered, current),
				wait+" The negative TTL is min(SOA TTL, SOA MINIMUM) (RFC 2308, Section 3).")
		}
		add(0, "Create the name.", spread)
		if pl.KeepOld != nil {
			add(keepAt, "Every client now finds the name.", retireDetail(pl))
		}
		if pl.Lead > 0 {
			add(keepAt, fmt.Sprintf("Raise the SOA values back (the negative TTL was %s).", current), "One to three hours work well for negative caching (RFC 2308, Section 5).")
		}
	case KindDelegation:
		setup := "Set up the zone at the new provider with data identical to the old provider's."
		if pl.Lead > 0 {
			add(-pl.Lead, fmt.Sprintf("At the old provider, lower the zone's NS TTL from %s to %s. %s", current, lowered, setup), wait)
		} else {
			add(0, setup, "")
		}
		publish := spread
		if c.PublishDelay > 0 {
			publish = fmt.Sprintf("The registry publishes the change after about %s.", FormatDuration(c.PublishDelay))
		}
		add(0, "At the old provider, replace the zone's NS RRset with the new provider's servers; at the registrar, change the delegation to them.", publish)
		if c.PublishDelay > 0 {
			add(seconds(c.PublishDelay), "The registry publishes the new delegation.", spread)
		}
		if pl.KeepOld != nil {
			add(keepAt, fmt.Sprintf("Delete the zone at the old provider (keep it serving identical data until %s after the switch).", keep),
				"A copy left online can keep the delegation alive at some resolvers (Phoenix Domain, NDSS 2023). "+retireDetail(pl))
		} else {
			add(keepAt, "Delete the zone at the old provider once its query traffic is negligible.", "No time is enough for every resolver: "+pl.KeepOldReason+".")
		}
		if pl.Lead > 0 {
			add(keepAt, fmt.Sprintf("Raise the NS TTL at the new provider back to %s.", current), "Long NS TTLs (an hour to a day) are faster and more robust (RFC 9199).")
		}
	}
	slices.SortStableFunc(steps, func(a, b Step) int { return cmpFloat(a.At, b.At) })
	return steps
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// retireDetail names the classes that set the keep-old time.
func retireDetail(pl *Plan) string {
	if len(pl.Holdouts) == 0 {
		return "Every resolver honours the TTL in effect."
	}
	var parts []string
	for _, h := range pl.Holdouts {
		k := "no bound"
		if h.Keep != nil {
			k = fmtSec(*h.Keep)
		}
		parts = append(parts, fmt.Sprintf("%s (%.3g%% of queries, up to %s: %s)", h.Name, 100*h.Share, k, h.Why))
	}
	return "Set by " + strings.Join(parts, "; ") + "."
}

func planWarnings(p *Population, c Change, asked time.Duration, pl *Plan, holdShare float64) finding.List {
	var l finding.List
	warn := func(sev finding.Severity, code, msg, rfc, fix string) {
		l = append(l, finding.Finding{Code: "ttlcalc." + code, Severity: sev, Message: msg, RFC: rfc, Fix: fix})
	}
	if p.Assumption != "" {
		warn(finding.Info, "assumption", fmt.Sprintf("population %q: %s", p.Name, p.Assumption), "", "")
	}
	switch {
	case asked == 0:
		warn(finding.Info, "no_lowering", fmt.Sprintf("no TTL is lowered ahead of the switch: the change spreads with the TTL in place (%s)",
			FormatDuration(c.CurrentTTL())), "", "")
	case pl.LoweredTTL == 0:
		warn(finding.Info, "no_lowering", fmt.Sprintf("lowering the TTL to %s would change nothing for this population: every class keeps answers as long either way",
			FormatDuration(asked)), "", "")
	}
	if holdShare > 0 {
		keep := "no bound"
		if pl.KeepOld != nil {
			keep = fmtSec(*pl.KeepOld)
		}
		warn(finding.Warning, "holdouts", fmt.Sprintf("%.3g%% of client queries go through resolvers that keep old answers beyond the TTL whatever it is; "+
			"only keeping the old endpoint answering (for %s) serves them", 100*holdShare, keep), "", "")
	}
	if pl.KeepOld == nil {
		warn(finding.Warning, "unbounded", "some clients may get the old answer at any time: "+pl.KeepOldReason, "", "")
	}
	var optimistic, rfc8767 float64
	var maxStale time.Duration
	unlimited := false
	for _, cl := range p.Classes {
		switch {
		case cl.Stale == StaleOptimistic && cl.QueryRate > 0:
			optimistic += cl.Share
		case cl.Stale == StaleRFC8767:
			rfc8767 += cl.Share
			if cl.MaxStale == 0 {
				unlimited = true
			}
			maxStale = max(maxStale, cl.MaxStale)
		}
	}
	if optimistic > 0 && c.kind() != KindDelegation {
		warn(finding.Warning, "cold_names", fmt.Sprintf("%.3g%% of client queries go through resolvers that serve stale data first (optimistic): "+
			"the first query for a cold name after expiry gets the old answer, however long ago it expired", 100*optimistic), "RFC 8767, Section 5", "")
	}
	if rfc8767 > 0 {
		limit := "without a limit"
		if !unlimited {
			limit = "for up to " + FormatDuration(maxStale)
		}
		warn(finding.Info, "serve_stale", fmt.Sprintf("%.3g%% of client queries go through resolvers that serve stale data when the servers stop answering, %s: "+
			"keep the old servers answering rather than letting them time out", 100*rfc8767, limit), "RFC 8767, Section 4", "")
	}
	switch c.kind() {
	case KindRecord:
		if c.LoweredTTL > 0 && c.LoweredTTL < 30*time.Second {
			warn(finding.Warning, "ttl_very_low", fmt.Sprintf("a TTL of %s buys little: Java keeps answers 30 s and Chrome at least 60 s whatever the TTL, and resolvers may raise it",
				FormatDuration(c.LoweredTTL)), "", "lower to 60 s or more")
		}
	case KindNegative:
		if c.CurrentTTL() > day {
			warn(finding.Warning, "negative_ttl_long", fmt.Sprintf("the negative TTL %s is over a day, which RFC 2308 found problematic", FormatDuration(c.CurrentTTL())),
				"RFC 2308, Section 5", "one to three hours work well")
		}
	case KindDelegation:
		warn(finding.Warning, "parent_ttl", fmt.Sprintf("the parent's NS TTL (%s) usually cannot be lowered by the registrant (.com and .net: 2d); "+
			"parent-centric resolvers and those that have not seen the child's NS RRset follow it, capped by their maximum cache TTL",
			FormatDuration(c.ParentNSTTL)), "RFC 9803", "ask the registrar whether the registry supports the EPP TTL extension")
		warn(finding.Warning, "dnssec", "if the zone is signed, the DS at the parent and the DNSKEY at the child have their own TTLs, which this plan does not model",
			"RFC 8901", "before changing the NS, publish both providers' keys (multi-signer) or remove the DS and wait its TTL")
		warn(finding.Info, "phoenix_domain", "never leave a copy of the zone at the old provider that differs from the new one: resolvers can keep following it",
			"RFC 9199", "delete the zone there once the keep-old time has passed")
	}
	return l
}
