package ttlcalc

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Limits on a population, so that a hostile JSON file cannot make the model
// slow: the work per evaluation grows with the classes and doubles with
// each stub layer.
const (
	// MaxClasses is the largest number of classes in a population.
	MaxClasses = 64
	// MaxStubs is the largest number of stub layers of one class.
	MaxStubs = 4
	// maxQueryRate bounds Class.QueryRate (queries per second per cache).
	maxQueryRate = 1e6
)

// Centricity says which copy of a delegation's NS RRset a resolver keeps:
// the parent's (the referral) or the child's (the zone's own NS RRset).
// RFC 2181, Section 5.4.1 ranks the child's data higher, so most resolvers
// are child-centric.
type Centricity string

// Centricities.
const (
	// ChildCentric resolvers switch on the child's NS TTL once they have
	// seen the child's NS RRset (BIND 9.18, Unbound, PowerDNS, Knot).
	ChildCentric Centricity = "child"
	// ParentCentric resolvers follow the parent's NS TTL (Microsoft DNS,
	// BIND 9.21.21 and later).
	ParentCentric Centricity = "parent"
)

// StaleMode is a resolver's serve-stale behaviour (RFC 8767).
type StaleMode string

// Serve-stale modes.
const (
	// StaleNone: expired data is never served.
	StaleNone StaleMode = "none"
	// StaleRFC8767: expired data is served only when a refresh fails
	// (RFC 8767, Section 4). While the old servers answer it changes
	// nothing; a plan warns about it when they may go dark.
	StaleRFC8767 StaleMode = "rfc8767"
	// StaleOptimistic: an expired answer is served at once and refreshed
	// in the background ("optimistic DNS", Unbound serve-expired with a
	// client timeout of 0), so the first query after expiry gets the old
	// answer. Cold names keep old answers for about one query gap.
	StaleOptimistic StaleMode = "optimistic"
)

// StubMode is how a stub cache between the client and its resolver keeps
// an answer.
type StubMode string

// Stub modes.
const (
	// StubCountDown keeps an answer for the remaining TTL its upstream
	// gave (Windows, systemd-resolved). Its Lifetime, if set, is a cap. A
	// count-down layer never delays a change.
	StubCountDown StubMode = "countdown"
	// StubFixed keeps every answer for Lifetime, whatever the TTL (Java's
	// networkaddress.cache.ttl of 30 s, Chrome's 60 s through the OS
	// resolver, a connection pool).
	StubFixed StubMode = "fixed"
	// StubFloor keeps an answer for at least Lifetime (Chrome's built-in
	// resolver: 60 s). It is modelled as StubFixed when Lifetime is at
	// least the resolver's lifetime, and as StubCountDown otherwise, which
	// is exact for a resolver that refreshes on expiry.
	StubFloor StubMode = "floor"
)

// Stub is one cache layer between the client and its resolver.
type Stub struct {
	Mode     StubMode      `json:"mode"`
	Lifetime time.Duration `json:"lifetime"`
}

// Class is one kind of resolver, with the share of client queries it
// answers and the stub layers in front of it. The zero values mean: no cap,
// no floor, honours the TTL, child-centric, busy (dense queries), no
// prefetch, no serve-stale.
//
// The effective lifetime of a positive answer with TTL T is Fixed when
// Fixed > 0, else min(max(T, Floor), Cap); of a negative answer
// min(T, NegCap); of a delegation min(max(T, DelegFloor), Cap, DelegCap).
// Caps of 0 are absent.
type Class struct {
	// Name identifies the class in breakdowns and errors.
	Name string `json:"name"`
	// Share is the share of client queries this class answers, in [0, 1].
	// The shares of a population sum to 1.
	Share float64 `json:"share"`
	// Cap is the largest TTL the class keeps (max-cache-ttl; Unbound and
	// PowerDNS 1 d, BIND 1 w); 0: none.
	Cap time.Duration `json:"cap"`
	// Floor is the smallest TTL the class keeps (min-cache-ttl).
	Floor time.Duration `json:"floor"`
	// Fixed, when above 0, is how long the class keeps every positive
	// answer, ignoring the TTL.
	Fixed time.Duration `json:"fixed"`
	// NegCap is the largest negative-answer TTL the class keeps (BIND
	// 10800 s, Unbound and PowerDNS 3600 s); 0: none.
	NegCap time.Duration `json:"neg_cap"`
	// DelegCap and DelegFloor bound how long a delegation is kept (BIND
	// 9.21: max-delegation-ttl, min-delegation-ttl); 0: none.
	DelegCap   time.Duration `json:"deleg_cap"`
	DelegFloor time.Duration `json:"deleg_floor"`
	// Centricity is the copy of a delegation the class follows; "" is
	// ChildCentric.
	Centricity Centricity `json:"centricity"`
	// QueryRate is the Poisson rate of queries for the name at one cache,
	// per second, counting the stubs' queries; 0 means busy (a query at
	// every moment). A large resolver behind a load balancer is several
	// caches, each with its share of the rate.
	QueryRate float64 `json:"query_rate"`
	// Prefetch is the fraction of the lifetime at whose end a busy cache
	// refreshes ahead of expiry (Unbound: 0.1), in [0, 1). Delegation
	// changes ignore it.
	Prefetch float64 `json:"prefetch"`
	// Stale is the serve-stale mode; "" is StaleNone. Delegation changes
	// ignore it (it matters only if the old servers stop answering; a plan
	// warns about it).
	Stale StaleMode `json:"stale"`
	// MaxStale limits how long after expiry stale data is served (RFC
	// 8767 suggests 1 to 3 days); 0: no limit.
	MaxStale time.Duration `json:"max_stale"`
	// Memoryless, when true, gives each cached answer an exponentially
	// distributed lifetime whose median is the effective lifetime, as if
	// evicted at random. It is the assumption behind the half-life rule,
	// kept for comparison; real caches are not memoryless.
	Memoryless bool `json:"memoryless"`
	// Stubs are the stub layers in front of the resolver, the resolver's
	// side first. Delegation changes ignore them.
	Stubs []Stub `json:"stubs,omitempty"`
}

// Population is a mix of resolver classes.
type Population struct {
	// Name identifies the population in every output.
	Name string `json:"name"`
	// Assumption, when set, says how far the population rests on
	// assumptions rather than measurement; every output repeats it.
	Assumption string `json:"assumption,omitempty"`
	// Classes are the resolver classes; their shares sum to 1.
	Classes []Class `json:"classes"`
}

// Names of the preset populations, for [Preset].
const (
	// PresetHonouring is one busy resolver that honours TTLs exactly.
	PresetHonouring = "honouring"
	// PresetDefault is the calibrated mix of the ttlcalc spec, Section 5:
	// 92% honouring (20% of it parent-centric, capped at 1 d), 6% with a
	// 300 s floor, 1% with a 1 h floor, 1% with a 24 h floor. It is an
	// assumption and labelled as one.
	PresetDefault = "default"
	// PresetConservative is the default mix with caps of 1 w and floors
	// doubled, and no delegation cap for parent-centric resolvers.
	PresetConservative = "conservative"
	// PresetHalfLife is the half-life rule of thumb itself (updated
	// fraction 1 - 2^(-t/TTL)), as one memoryless class, for comparison.
	PresetHalfLife = "halflife"
)

// DefaultAssumption labels the default and conservative presets.
const DefaultAssumption = "assumed client shares, not measured: calibrated to 8.74% of resolvers extending TTLs " +
	"(Bhowmick et al., PAM 2023) and 2% of clients stale after 15 min (Flavel et al., LANMAN 2014)"

const day = 24 * time.Hour

// PresetNames returns the names [Preset] knows, in a stable order.
func PresetNames() []string {
	return []string{PresetHonouring, PresetDefault, PresetConservative, PresetHalfLife}
}

// Preset returns a new copy of the named preset population. Errors wrap
// [ErrPopulation].
func Preset(name string) (*Population, error) {
	switch name {
	case PresetHonouring:
		return &Population{
			Name:       PresetHonouring,
			Assumption: "an ideal: one busy resolver that honours every TTL",
			Classes:    []Class{{Name: "honouring", Share: 1}},
		}, nil
	case PresetDefault:
		return &Population{Name: PresetDefault, Assumption: DefaultAssumption, Classes: defaultClasses(1)}, nil
	case PresetConservative:
		return &Population{Name: PresetConservative, Assumption: DefaultAssumption + "; caps 1 w, floors doubled", Classes: defaultClasses(2)}, nil
	case PresetHalfLife:
		return &Population{
			Name:       PresetHalfLife,
			Assumption: "the half-life rule of thumb (50% after one TTL, 75% after two), for comparison; not a measurement",
			Classes:    []Class{{Name: "half-life rule (memoryless caches)", Share: 1, Memoryless: true}},
		}, nil
	}
	return nil, popErr("", "unknown preset %q; want %s, or a JSON file", name, strings.Join(PresetNames(), ", "))
}

// defaultClasses is the mix of the spec, Section 5, with floors multiplied
// by k; k = 2 also raises the caps to BIND's 1 w and drops the delegation
// cap.
func defaultClasses(k time.Duration) []Class {
	maxTTL, negCap, delegCap := day, time.Hour, day
	msNegCap := 15 * time.Minute
	if k > 1 {
		maxTTL, negCap, delegCap, msNegCap = 7*day, 3*time.Hour, 0, 3*time.Hour
	}
	return []Class{
		// Unbound, PowerDNS and Knot defaults; about 91% of resolvers do
		// not extend TTLs (PAM 2023). RFC 9199: most are child-centric.
		{Name: "honouring, child-centric", Share: 0.72, Cap: maxTTL, NegCap: negCap, Centricity: ChildCentric},
		// Microsoft DNS (NDSS 2023, Table I): parent-centric, 1 d cap.
		{Name: "honouring, parent-centric", Share: 0.20, Cap: maxTTL, NegCap: msNegCap, DelegCap: delegCap, Centricity: ParentCentric},
		// Routers, ad-blockers, tuned Unbound/dnsmasq: min TTL 60-300 s.
		{Name: "floor " + FormatDuration(k*300*time.Second), Share: 0.06, Cap: maxTTL, Floor: k * 300 * time.Second, NegCap: negCap},
		// Operators who raise minimum TTLs (dnsmasq allows up to 1 h).
		{Name: "floor " + FormatDuration(k*time.Hour), Share: 0.01, Cap: maxTTL, Floor: k * time.Hour, NegCap: negCap},
		// The ISP that keeps everything for a day; with the 1 h class, 2%
		// on floors of 15 min or more (LANMAN 2014).
		{Name: "floor " + FormatDuration(k*day), Share: 0.01, Cap: max(maxTTL, k*day), Floor: k * day, NegCap: negCap},
	}
}

// Validate checks the population: shares in [0, 1] summing to 1, durations
// in range, known modes, and combinations the model covers. Errors are
// [*FieldError] values naming the field, wrapping [ErrPopulation].
func (p *Population) Validate() error {
	if p == nil {
		return popErr("", "no population")
	}
	if len(p.Classes) == 0 {
		return popErr("classes", "no classes")
	}
	if len(p.Classes) > MaxClasses {
		return popErr("classes", "%d classes; at most %d", len(p.Classes), MaxClasses)
	}
	sum := 0.0
	var names []string
	for i := range p.Classes {
		c := &p.Classes[i]
		path := fmt.Sprintf("classes[%d]", i)
		if err := c.validate(path); err != nil {
			return err
		}
		if c.Name != "" && slices.Contains(names, c.Name) {
			return popErr(path+".name", "%q names two classes", c.Name)
		}
		names = append(names, c.Name)
		sum += c.Share
	}
	if math.Abs(sum-1) > 1e-6 {
		return popErr("classes", "shares sum to %.9g; want 1", sum)
	}
	return nil
}

func (c *Class) validate(path string) error {
	bad := func(field, format string, args ...any) error {
		return popErr(path+"."+field, format, args...)
	}
	if len(c.Name) > 200 {
		return bad("name", "longer than 200 bytes")
	}
	if !(c.Share >= 0 && c.Share <= 1) {
		return bad("share", "%v is not in [0, 1]", c.Share)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"cap", c.Cap}, {"floor", c.Floor}, {"fixed", c.Fixed}, {"neg_cap", c.NegCap},
		{"deleg_cap", c.DelegCap}, {"deleg_floor", c.DelegFloor}, {"max_stale", c.MaxStale},
	} {
		if d.v < 0 || d.v > MaxTTL {
			return bad(d.name, "%s is not in [0, %ds]", FormatDuration(d.v), int64(MaxTTL/time.Second))
		}
	}
	if c.Cap > 0 && c.Floor > c.Cap {
		return bad("floor", "%s is above the cap %s", FormatDuration(c.Floor), FormatDuration(c.Cap))
	}
	if dc := minPositive(c.Cap, c.DelegCap); dc > 0 && c.DelegFloor > dc {
		return bad("deleg_floor", "%s is above the delegation cap %s", FormatDuration(c.DelegFloor), FormatDuration(dc))
	}
	switch c.Centricity {
	case "", ChildCentric, ParentCentric:
	default:
		return bad("centricity", "%q: want child or parent", c.Centricity)
	}
	switch c.Stale {
	case "", StaleNone, StaleRFC8767, StaleOptimistic:
	default:
		return bad("stale", "%q: want none, rfc8767 or optimistic", c.Stale)
	}
	if !(c.QueryRate >= 0 && c.QueryRate <= maxQueryRate) {
		return bad("query_rate", "%v is not in [0, %g] queries per second", c.QueryRate, float64(maxQueryRate))
	}
	if !(c.Prefetch >= 0 && c.Prefetch < 1) {
		return bad("prefetch", "%v is not in [0, 1)", c.Prefetch)
	}
	// Combinations the model has no formula for.
	switch {
	case c.Prefetch > 0 && c.QueryRate > 0:
		return bad("prefetch", "prefetch is modelled for busy classes only (query_rate 0)")
	case c.Prefetch > 0 && c.Memoryless:
		return bad("prefetch", "prefetch does not apply to a memoryless class")
	case c.Memoryless && c.Stale == StaleOptimistic && c.QueryRate > 0:
		return bad("stale", "optimistic serve-stale is not modelled for a memoryless class")
	case c.MaxStale > 0 && c.Stale != StaleOptimistic && c.Stale != StaleRFC8767:
		return bad("max_stale", "set without a serve-stale mode")
	}
	if len(c.Stubs) > MaxStubs {
		return bad("stubs", "%d stub layers; at most %d", len(c.Stubs), MaxStubs)
	}
	for j, s := range c.Stubs {
		sp := fmt.Sprintf("stubs[%d]", j)
		switch s.Mode {
		case StubCountDown, StubFixed, StubFloor:
		default:
			return bad(sp+".mode", "%q: want countdown, fixed or floor", s.Mode)
		}
		if s.Lifetime < 0 || s.Lifetime > MaxTTL {
			return bad(sp+".lifetime", "%s is not in [0, %ds]", FormatDuration(s.Lifetime), int64(MaxTTL/time.Second))
		}
		if s.Mode == StubFixed && s.Lifetime == 0 {
			return bad(sp+".lifetime", "a fixed stub needs a lifetime above 0")
		}
	}
	return nil
}

// minPositive returns the smallest of the values above 0, or 0 if none is.
func minPositive(ds ...time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		if d > 0 && (m == 0 || d < m) {
			m = d
		}
	}
	return m
}
