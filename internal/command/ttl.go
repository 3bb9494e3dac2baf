package command

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/posturekit/posturekit/ttlcalc"
)

// TTLResult is the result of "ttl", "ttl delegation" and "ttl negative":
// the report of [ttlcalc.Model.Report], and the SVG plot when "--svg -"
// asked for it inline.
type TTLResult struct {
	*ttlcalc.Report
	SVG string `json:"svg,omitempty"`
}

// ttlWriteFile writes a file atomically. The command-line build sets it
// (ttl_file.go); in the browser there are no files, and --svg FILE is a
// usage error.
var ttlWriteFile func(name string, data []byte) error

// Flags shared by the ttl commands.
var (
	ttlPopulationFlag = Flag{Name: "population", Kind: String, Default: ttlcalc.PresetDefault,
		Usage: "resolver population: honouring, default, conservative, halflife, or a JSON file"}
	ttlAtFlag       = Flag{Name: "at", Kind: Strings, Usage: "a time after the change to give the updated fraction at, e.g. 5m (repeatable)"}
	ttlQuantileFlag = Flag{Name: "quantile", Kind: Strings, Usage: "a fraction of clients to give the time to, e.g. 0.99 or 99.9% (repeatable)"}
	ttlLoweredFlag  = Flag{Name: "lowered-ttl", Kind: String, Usage: "a lower TTL published --lead-time before the change"}
	ttlLeadFlag     = Flag{Name: "lead-time", Kind: String, Usage: "how long before the change the TTL was lowered"}
	ttlSVGFlag      = Flag{Name: "svg", Kind: String, Usage: `write an SVG plot of the curve to FILE ("-": print it instead of the table)`}
)

const ttlDurations = `Durations are written as Go does (300s, 1h30m) with d and w as further units
(2d, 1w), or as plain seconds (3600).`

const ttlPopulations = `The population is a mix of resolver classes. "honouring" is one resolver that
honours every TTL; "default" is calibrated to the measurements in the ttlcalc
documentation and is an assumption, labelled in every output; "conservative"
has longer caps and doubled floors; "halflife" is the rule of thumb itself.
A JSON file describes a custom population (see the ttlcalc package).`

func init() {
	Register(&Command{
		Path:  []string{"ttl"},
		Short: "how a DNS record change reaches clients over time",
		Long: `Model how a change of a record's data reaches clients: the share of client
queries that get the new answer at each --at time, the time until each
--quantile of them do, and the time until all do (or why never).

The half-life rule of thumb (50% after one TTL, 75% after two) is printed
beside it: one resolver that honours the TTL is fully updated after one TTL,
while the last few percent sit behind resolvers with TTL floors, stub caches
and serve-stale, which no multiple of the TTL captures.

With --lowered-ttl and --lead-time, the TTL was lowered that long before the
change. "posturekit ttl plan" says when to lower it and how long to keep the
old endpoint.

` + ttlPopulations + `

` + ttlDurations,
		Args: Args{Min: 0, Max: 0},
		Flags: []Flag{
			{Name: "ttl", Kind: String, Usage: "the record's TTL before the change (required)"},
			ttlLoweredFlag, ttlLeadFlag,
			{Name: "publish-delay", Kind: String, Usage: "delay until all authoritative servers serve the change (NOTIFY/IXFR lag)"},
			ttlPopulationFlag, ttlAtFlag, ttlQuantileFlag, ttlSVGFlag,
		},
		Run: runTTLKind(ttlcalc.KindRecord, "ttl"),
	})
	Register(&Command{
		Path:  []string{"ttl", "delegation"},
		Short: "how a delegation (NS) change reaches resolvers over time",
		Long: `Model how moving a zone to new name servers reaches resolvers. Time 0 is when
the change is submitted to the registry, which publishes it --publish-delay
later. Child-centric resolvers (most of them) switch on the child's NS TTL
(the NS RRset in the zone at the old provider); parent-centric ones and those
that have not seen the child's NS RRset follow the parent's NS TTL (172800 s
for .com and .net), capped by their maximum cache TTL.

With --lowered-ttl and --lead-time, the child's NS TTL was lowered that long
before the change.

` + ttlPopulations + `

` + ttlDurations,
		Args: Args{Min: 0, Max: 0},
		Flags: []Flag{
			{Name: "parent-ns-ttl", Kind: String, Default: "2d", Usage: "the NS TTL at the parent (the registry)"},
			{Name: "child-ns-ttl", Kind: String, Usage: "the NS TTL in the zone at the old provider (required)"},
			{Name: "publish-delay", Kind: String, Default: "5m", Usage: "time the registry takes to publish the change"},
			{Name: "child-ns-unseen", Kind: String, Usage: "share of child-centric resolvers that have not seen the child's NS RRset, 0 to 1"},
			ttlLoweredFlag, ttlLeadFlag,
			ttlPopulationFlag, ttlAtFlag, ttlQuantileFlag, ttlSVGFlag,
		},
		Run: runTTLKind(ttlcalc.KindDelegation, "ttl delegation"),
	})
	Register(&Command{
		Path:  []string{"ttl", "negative"},
		Short: "how a new name reaches clients that cached it as non-existent",
		Long: `Model how a newly created name reaches clients whose resolvers cached it as
non-existent (NXDOMAIN). Resolvers keep the negative answer for
min(SOA TTL, SOA MINIMUM) of the zone (RFC 2308, Section 3), capped by
their negative cache limit (BIND 3 h, Unbound and PowerDNS 1 h).

With --lowered-ttl and --lead-time, the negative TTL was lowered that long
before the name was created.

` + ttlPopulations + `

` + ttlDurations,
		Args: Args{Min: 0, Max: 0},
		Flags: []Flag{
			{Name: "soa-ttl", Kind: String, Usage: "the TTL of the zone's SOA record (required)"},
			{Name: "soa-minimum", Kind: String, Usage: "the MINIMUM field of the zone's SOA record (required)"},
			ttlLoweredFlag, ttlLeadFlag,
			{Name: "publish-delay", Kind: String, Usage: "delay until all authoritative servers serve the name"},
			ttlPopulationFlag, ttlAtFlag, ttlQuantileFlag, ttlSVGFlag,
		},
		Run: runTTLKind(ttlcalc.KindNegative, "ttl negative"),
	})
	Register(&Command{
		Path:  []string{"ttl", "plan"},
		Short: "plan a DNS migration: when to lower which TTL, when to switch, how long to keep the old",
		Long: `Plan a change: when to lower which TTL (and to what), how long to wait, when
to switch, how long the old endpoint or the old provider's servers must keep
answering, and what the plan cannot fix (TTL floors, serve-stale, the
parent's NS TTL, DNSSEC).

--kind record (the default) takes --ttl; --kind negative takes --soa-ttl and
--soa-minimum; --kind delegation takes --child-ns-ttl, --parent-ns-ttl and
--publish-delay. --lowered-ttl is the TTL to lower to (default 300s, or no
lowering when the TTL is already that low; 0: do not lower).

` + ttlPopulations + `

` + ttlDurations,
		Args: Args{Min: 0, Max: 0},
		Flags: []Flag{
			{Name: "kind", Kind: String, Default: "record", Usage: "record, negative or delegation"},
			{Name: "ttl", Kind: String, Usage: "record: the record's TTL today"},
			{Name: "lowered-ttl", Kind: String, Usage: "the TTL to lower to ahead of the switch (default 300s; 0: do not lower)"},
			{Name: "soa-ttl", Kind: String, Usage: "negative: the TTL of the zone's SOA record"},
			{Name: "soa-minimum", Kind: String, Usage: "negative: the MINIMUM field of the zone's SOA record"},
			{Name: "parent-ns-ttl", Kind: String, Usage: "delegation: the NS TTL at the parent (default 2d)"},
			{Name: "child-ns-ttl", Kind: String, Usage: "delegation: the NS TTL in the zone at the old provider"},
			{Name: "child-ns-unseen", Kind: String, Usage: "delegation: share of child-centric resolvers that have not seen the child's NS RRset"},
			{Name: "publish-delay", Kind: String, Usage: "time until the change is served (delegation: the registry's delay, default 5m)"},
			ttlPopulationFlag, ttlQuantileFlag,
		},
		Run: runTTLPlan,
	})
}

// ttlInput reads what the ttl commands share.
type ttlInput struct {
	name      string // the command, for messages
	in        *Input
	pop       *ttlcalc.Population
	quantiles []float64
}

func newTTLInput(c string, in *Input) (*ttlInput, error) {
	t := &ttlInput{name: c, in: in}
	var err error
	if t.pop, err = t.population(); err != nil {
		return nil, err
	}
	for _, s := range in.Strings("quantile") {
		q, err := parseQuantile(s)
		if err != nil {
			return nil, Usagef("%s: --quantile %q: %v", c, s, err)
		}
		t.quantiles = append(t.quantiles, q)
	}
	return t, nil
}

// dur reads a duration flag; required flags must be given.
func (t *ttlInput) dur(flag string, required bool) (time.Duration, error) {
	s := t.in.String(flag)
	if s == "" {
		if required {
			return 0, Usagef("%s: --%s is required", t.name, flag)
		}
		return 0, nil
	}
	d, err := ttlcalc.ParseDuration(s)
	if err != nil {
		return 0, Usagef("%s: --%s: %s", t.name, flag, strings.TrimPrefix(err.Error(), "ttlcalc: "))
	}
	return d, nil
}

func (t *ttlInput) share(flag string) (float64, error) {
	s := t.in.String(flag)
	if s == "" {
		return 0, nil
	}
	f, err := parseQuantile(s)
	if err != nil {
		return 0, Usagef("%s: --%s %q: %v", t.name, flag, s, err)
	}
	return f, nil
}

// population reads a preset or a JSON file.
func (t *ttlInput) population() (*ttlcalc.Population, error) {
	name := t.in.String("population")
	if slices.Contains(ttlcalc.PresetNames(), name) {
		return ttlcalc.Preset(name)
	}
	b, err := t.in.ReadAll(name, ttlcalc.MaxPopulationSize)
	if err != nil {
		return nil, Usagef("%s: --population %q is not a preset (%s) and cannot be read: %v",
			t.name, name, strings.Join(ttlcalc.PresetNames(), ", "), err)
	}
	p, err := ttlcalc.ParsePopulation(b)
	if err != nil {
		return nil, Usagef("%s: --population %s: %s", t.name, name, strings.TrimPrefix(err.Error(), "ttlcalc: "))
	}
	if p.Name == "" {
		p.Name = name
	}
	return p, nil
}

// parseQuantile reads a fraction: 0.99 or 99%.
func parseQuantile(s string) (float64, error) {
	pct := strings.HasSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || math.IsNaN(f) {
		return 0, fmt.Errorf("want a fraction such as 0.99 or 99%%")
	}
	if pct {
		f /= 100
	}
	if f < 0 || f > 1 {
		return 0, fmt.Errorf("want a fraction from 0 to 1 (or 0%% to 100%%)")
	}
	return f, nil
}

// change reads the change of "ttl", "ttl delegation" or "ttl negative".
func (t *ttlInput) change(kind ttlcalc.Kind) (ttlcalc.Change, error) {
	c := ttlcalc.Change{Kind: kind}
	var err error
	get := func(dst *time.Duration, flag string, required bool) {
		if err == nil {
			*dst, err = t.dur(flag, required)
		}
	}
	switch kind {
	case ttlcalc.KindRecord:
		get(&c.TTL, "ttl", true)
	case ttlcalc.KindNegative:
		get(&c.SOATTL, "soa-ttl", true)
		get(&c.SOAMinimum, "soa-minimum", true)
	case ttlcalc.KindDelegation:
		get(&c.ParentNSTTL, "parent-ns-ttl", true)
		get(&c.ChildNSTTL, "child-ns-ttl", true)
		if err == nil {
			c.ChildNSUnseen, err = t.share("child-ns-unseen")
		}
	}
	get(&c.LoweredTTL, "lowered-ttl", false)
	get(&c.LeadTime, "lead-time", false)
	get(&c.PublishDelay, "publish-delay", false)
	if err != nil {
		return c, err
	}
	if c.LeadTime > 0 && c.LoweredTTL == 0 {
		return c, Usagef("%s: --lead-time needs --lowered-ttl", t.name)
	}
	if err := c.Validate(); err != nil {
		return c, Usagef("%s: %s", t.name, ttlFlagNames(err))
	}
	return c, nil
}

// ttlFlagNames words a ttlcalc error about a change with flag names.
func ttlFlagNames(err error) string {
	var fe *ttlcalc.FieldError
	if errors.As(err, &fe) && errors.Is(err, ttlcalc.ErrChange) && fe.Field != "" {
		return fmt.Sprintf("--%s: %s", strings.ReplaceAll(fe.Field, "_", "-"), fe.Msg)
	}
	return strings.TrimPrefix(err.Error(), "ttlcalc: ")
}

// runTTLKind returns the Run function of "ttl", "ttl delegation" or
// "ttl negative".
func runTTLKind(kind ttlcalc.Kind, name string) func(context.Context, *Input) (*Output, error) {
	return func(_ context.Context, in *Input) (*Output, error) { return runTTL(in, kind, name) }
}

func runTTL(in *Input, kind ttlcalc.Kind, name string) (*Output, error) {
	t, err := newTTLInput(name, in)
	if err != nil {
		return nil, err
	}
	c, err := t.change(kind)
	if err != nil {
		return nil, err
	}
	var at []time.Duration
	for _, s := range in.Strings("at") {
		d, err := ttlcalc.ParseDuration(s)
		if err != nil {
			return nil, Usagef("%s: --at: %s", name, strings.TrimPrefix(err.Error(), "ttlcalc: "))
		}
		at = append(at, d)
	}
	m, err := ttlcalc.New(t.pop, c)
	if err != nil {
		return nil, Usagef("%s: %s", name, strings.TrimPrefix(err.Error(), "ttlcalc: "))
	}
	rep, err := m.Report(at, t.quantiles)
	if err != nil {
		return nil, Usagef("%s: %s", name, strings.TrimPrefix(err.Error(), "ttlcalc: "))
	}
	res := &TTLResult{Report: rep}
	var b strings.Builder
	writeTTLReport(&b, rep, c)
	switch svg := in.String("svg"); svg {
	case "":
	case "-":
		res.SVG = m.SVG(ttlcalc.SVGOptions{})
		b.Reset()
		b.WriteString(res.SVG)
	default:
		if ttlWriteFile == nil {
			return nil, Usagef("%s: --svg %s: there are no files here; use --svg - for the SVG text", name, svg)
		}
		if err := ttlWriteFile(svg, []byte(m.SVG(ttlcalc.SVGOptions{}))); err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "\nwrote the plot to %s\n", svg)
	}
	return &Output{Value: res, Text: b.String()}, nil
}

func runTTLPlan(_ context.Context, in *Input) (*Output, error) {
	const name = "ttl plan"
	t, err := newTTLInput(name, in)
	if err != nil {
		return nil, err
	}
	kind := ttlcalc.Kind(in.String("kind"))
	// Flags that belong to another kind are mistakes.
	own := map[ttlcalc.Kind][]string{
		ttlcalc.KindRecord:     {"ttl"},
		ttlcalc.KindNegative:   {"soa-ttl", "soa-minimum"},
		ttlcalc.KindDelegation: {"parent-ns-ttl", "child-ns-ttl", "child-ns-unseen"},
	}
	if _, ok := own[kind]; !ok {
		return nil, Usagef("%s: --kind %q: want record, negative or delegation", name, kind)
	}
	for k, flags := range own {
		for _, f := range flags {
			if k != kind && in.String(f) != "" {
				return nil, Usagef("%s: --%s applies to --kind %s, not %s", name, f, k, kind)
			}
		}
	}
	c := ttlcalc.Change{Kind: kind}
	get := func(dst *time.Duration, flag string, required bool) {
		if err == nil {
			*dst, err = t.dur(flag, required)
		}
	}
	switch kind {
	case ttlcalc.KindRecord:
		get(&c.TTL, "ttl", true)
	case ttlcalc.KindNegative:
		get(&c.SOATTL, "soa-ttl", true)
		get(&c.SOAMinimum, "soa-minimum", true)
	case ttlcalc.KindDelegation:
		c.ParentNSTTL, c.PublishDelay = ttlcalc.DefaultParentNSTTL, ttlcalc.DefaultPublishDelay
		if in.String("parent-ns-ttl") != "" {
			get(&c.ParentNSTTL, "parent-ns-ttl", true)
		}
		get(&c.ChildNSTTL, "child-ns-ttl", true)
		if err == nil {
			c.ChildNSUnseen, err = t.share("child-ns-unseen")
		}
	}
	if err == nil && in.String("publish-delay") != "" {
		get(&c.PublishDelay, "publish-delay", true)
	}
	if err != nil {
		return nil, err
	}
	// The TTL to lower to: 300 s unless the TTL is already that low.
	if in.String("lowered-ttl") == "" {
		if def := 300 * time.Second; c.CurrentTTL() > def {
			c.LoweredTTL = def
		}
	} else if c.LoweredTTL, err = t.dur("lowered-ttl", true); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, Usagef("%s: %s", name, ttlFlagNames(err))
	}
	pl, err := ttlcalc.PlanChange(t.pop, c, t.quantiles)
	if err != nil {
		return nil, Usagef("%s: %s", name, ttlFlagNames(err))
	}
	var b strings.Builder
	writeTTLPlan(&b, pl, c)
	return &Output{Value: pl, Text: b.String()}, nil
}

// ttlSeconds writes seconds as a duration, to the second (to the tenth
// under 10 s).
func ttlSeconds(s float64) string {
	if s < 10 {
		return ttlcalc.FormatDuration(time.Duration(math.Round(s*10)) * time.Second / 10)
	}
	return ttlcalc.FormatDuration(time.Duration(math.Round(s)) * time.Second)
}

func ttlSecondsPtr(s *float64) string {
	if s == nil {
		return "never"
	}
	return ttlSeconds(*s)
}

// ttlPercent writes a fraction as a percentage with enough digits to see
// the tail.
func ttlPercent(f float64) string {
	switch {
	case f >= 1:
		return "100%"
	case f >= 0.999:
		return strconv.FormatFloat(math.Floor(f*1e5)/1e3, 'f', 3, 64) + "%"
	}
	return strconv.FormatFloat(f*100, 'f', 2, 64) + "%"
}

func ttlQuantileName(q float64) string {
	return strconv.FormatFloat(q*100, 'f', -1, 64) + "%"
}

func writeTTLHeader(b *strings.Builder, pop, assumption string, c ttlcalc.Change) {
	switch c.Kind {
	case ttlcalc.KindDelegation:
		fmt.Fprintf(b, "delegation change: parent NS TTL %s, child NS TTL %s, published after %s",
			ttlcalc.FormatDuration(c.ParentNSTTL), ttlcalc.FormatDuration(c.ChildNSTTL), ttlcalc.FormatDuration(c.PublishDelay))
	case ttlcalc.KindNegative:
		fmt.Fprintf(b, "new name, cached as non-existent: negative TTL %s (SOA TTL %s, MINIMUM %s)",
			ttlcalc.FormatDuration(c.CurrentTTL()), ttlcalc.FormatDuration(c.SOATTL), ttlcalc.FormatDuration(c.SOAMinimum))
	default:
		fmt.Fprintf(b, "record change: TTL %s", ttlcalc.FormatDuration(c.TTL))
	}
	if c.LoweredTTL > 0 && c.LeadTime > 0 {
		fmt.Fprintf(b, ", lowered to %s %s before", ttlcalc.FormatDuration(c.LoweredTTL), ttlcalc.FormatDuration(c.LeadTime))
	}
	fmt.Fprintf(b, "; population %q\n", pop)
	if assumption != "" {
		fmt.Fprintf(b, "assumption: %s\n", assumption)
	}
}

func writeTTLReport(b *strings.Builder, r *ttlcalc.Report, c ttlcalc.Change) {
	writeTTLHeader(b, r.Population, r.Assumption, c)
	fmt.Fprintf(b, "\n%-12s %9s %16s\n", "after", "updated", "half-life rule")
	for i, p := range r.Points {
		fmt.Fprintf(b, "%-12s %9s %16s\n", ttlSeconds(p.T), ttlPercent(p.Fraction), ttlPercent(r.HalfLife[i]))
	}
	fmt.Fprintf(b, "\n%-12s %9s\n", "updated", "after")
	for _, q := range r.Quantiles {
		fmt.Fprintf(b, "%-12s %9s\n", ttlQuantileName(q.Q), ttlSecondsPtr(q.T))
	}
	if r.Bound != nil {
		fmt.Fprintf(b, "\nEvery client has the new answer after %s.\n", ttlSeconds(*r.Bound))
	} else {
		fmt.Fprintf(b, "\nSome clients may keep the old answer at any time: %s.\n", r.BoundReason)
	}
	width := len("class")
	for _, cl := range r.Classes {
		width = max(width, len(cl.Name))
	}
	fmt.Fprintf(b, "\n%-*s %7s %12s\n", width, "class", "share", "100% after")
	for _, cl := range r.Classes {
		fmt.Fprintf(b, "%-*s %7s %12s\n", width, cl.Name, ttlPercent(cl.Share), ttlSecondsPtr(cl.Bound))
	}
}

// ttlAt writes a step's time relative to the switch.
func ttlAt(s float64) string {
	switch {
	case s < 0:
		return "T-" + ttlSeconds(-s)
	case s == 0:
		return "T"
	}
	return "T+" + ttlSeconds(s)
}

func writeTTLPlan(b *strings.Builder, p *ttlcalc.Plan, c ttlcalc.Change) {
	c.LeadTime = 0 // the header shows today's TTLs
	writeTTLHeader(b, p.Population, p.Assumption, c)
	if p.LoweredTTL > 0 {
		fmt.Fprintf(b, "plan: lower the TTL to %s, %s before the switch (T)\n", ttlSeconds(p.LoweredTTL), ttlSeconds(p.Lead))
	} else {
		b.WriteString("plan: switch without lowering a TTL\n")
	}
	b.WriteString("\n")
	for i, s := range p.Steps {
		fmt.Fprintf(b, "%d. %-10s %s\n", i+1, ttlAt(s.At), s.Action)
		if s.Detail != "" {
			fmt.Fprintf(b, "   %-10s %s\n", "", s.Detail)
		}
	}
	fmt.Fprintf(b, "\n%-12s %12s %16s\n", "updated", "with plan", "switch at once")
	for i, q := range p.Quantiles {
		var un *float64
		if i < len(p.Unplanned.Quantiles) {
			un = p.Unplanned.Quantiles[i].T
		}
		fmt.Fprintf(b, "%-12s %12s %16s\n", ttlQuantileName(q.Q), ttlSecondsPtr(q.T), ttlSecondsPtr(un))
	}
	if len(p.Holdouts) > 0 {
		b.WriteString("\nclasses that keep old answers beyond the TTL, whatever it is:\n")
		for _, h := range p.Holdouts {
			fmt.Fprintf(b, "  %s (%s of queries): up to %s; %s\n", h.Name, ttlPercent(h.Share), ttlSecondsPtr(h.Keep), h.Why)
		}
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\n")
		for _, f := range p.Warnings {
			b.WriteString(f.String())
			b.WriteString("\n")
		}
	}
}
