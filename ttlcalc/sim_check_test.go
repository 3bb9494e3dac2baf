package ttlcalc

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

// mcTolerance is the acceptance criterion: the model and the simulation
// agree within 0.5 percentage points at every tested time. With -short,
// fewer trials give a standard error of 0.25 points, checked to 1 point.
func mcTolerance() float64 {
	if testing.Short() {
		return 0.01
	}
	return 0.005
}

// mcTrials is the number of simulated resolvers for a class. A busy cache
// whose only randomness is its phase gets a stratified phase, so 20,000
// give an error far below 0.01 percentage points; the others get enough
// for a standard error under 0.12 points (0.25 with -short).
func mcTrials(c Change) func(Class) int {
	return func(cl Class) int {
		stubs := len(cl.Stubs) > 0 && c.kind() != KindDelegation
		coin := c.kind() == KindDelegation && cl.Centricity != ParentCentric && c.ChildNSUnseen > 0
		switch {
		case cl.QueryRate == 0 && !cl.Memoryless && !stubs && !coin:
			return 20_000
		case testing.Short():
			return 40_000
		}
		return 200_000
	}
}

// mcTimes are the times tested: fractions and multiples of the TTLs in
// play, and the tails of the floors.
func mcTimes(c Change) []float64 {
	ts := []float64{0, 1, 5, 10, 30, 60, 120, 150, 240, 299, 300, 301, 450, 600, 900, 1200, 1800, 2700,
		3600, 5400, 7200, 10800, 21600, 43200, 64800, 86399, 86400, 100000, 172800, 180000, 259200, 345600}
	for _, d := range []time.Duration{c.RuleTTL(), c.CurrentTTL(), c.LoweredTTL} {
		s := d.Seconds()
		for _, k := range []float64{0.1, 0.25, 0.5, 0.75, 0.9, 1, 1.5, 2, 3, 5, 10} {
			ts = append(ts, s*k+c.PublishDelay.Seconds())
		}
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// checkMC compares model and simulation and returns the largest deviation.
func checkMC(t *testing.T, name string, p *Population, c Change, seed uint64) float64 {
	t.Helper()
	m := mustModel(t, p, c)
	ts := mcTimes(c)
	sim := simulate(p, c, ts, mcTrials(c), seed)
	worst, at := 0.0, 0.0
	for i, x := range ts {
		d := math.Abs(m.Stale(secs(x)) - sim[i])
		if d > worst {
			worst, at = d, x
		}
		if d > mcTolerance() {
			t.Errorf("%s: at t=%vs the model says %.5f stale, the simulation %.5f", name, x, m.Stale(secs(x)), sim[i])
		}
	}
	t.Logf("%-40s max |model - simulation| = %.3f pp (at t=%vs)", name, worst*100, at)
	return worst
}

// mcChanges are the change kinds each preset is checked with.
var mcChanges = []struct {
	name string
	c    Change
}{
	{"record T=300", Change{TTL: 300 * sec}},
	{"record T=3600", Change{TTL: 3600 * sec}},
	{"record 86400->300 W=43200", Change{TTL: 86400 * sec, LoweredTTL: 300 * sec, LeadTime: 43200 * sec}},
	{"record 3600->60 W=90 Dpub=30", Change{TTL: 3600 * sec, LoweredTTL: 60 * sec, LeadTime: 90 * sec, PublishDelay: 30 * sec}},
	{"negative soa 3600/900", Change{Kind: KindNegative, SOATTL: 3600 * sec, SOAMinimum: 900 * sec}},
	{"negative 10800->300 W=1800", Change{Kind: KindNegative, SOATTL: 10800 * sec, SOAMinimum: 86400 * sec, LoweredTTL: 300 * sec, LeadTime: 1800 * sec}},
	{"delegation P=172800 C=3600 Dpub=300", Change{Kind: KindDelegation, ParentNSTTL: 172800 * sec, ChildNSTTL: 3600 * sec, PublishDelay: 300 * sec}},
	{"delegation C 86400->300 W=3600 unseen", Change{Kind: KindDelegation, ParentNSTTL: 172800 * sec, ChildNSTTL: 86400 * sec,
		LoweredTTL: 300 * sec, LeadTime: 3600 * sec, PublishDelay: 600 * sec, ChildNSUnseen: 0.1}},
}

// TestMonteCarloPresets: every preset, every kind of change.
func TestMonteCarloPresets(t *testing.T) {
	for pi, name := range PresetNames() {
		for ci, mc := range mcChanges {
			t.Run(name+"/"+mc.name, func(t *testing.T) {
				t.Parallel()
				checkMC(t, fmt.Sprintf("%s, %s", name, mc.name), preset(t, name), mc.c, uint64(100*pi+ci))
			})
		}
	}
}

// TestMonteCarloClasses: the class features the presets do not use.
func TestMonteCarloClasses(t *testing.T) {
	hour := 3600 * sec
	for i, tc := range []struct {
		name string
		cl   Class
		c    Change
	}{
		{"sparse (check 2)", Class{QueryRate: 1.0 / 600}, Change{TTL: 300 * sec}},
		{"fixed stub 60s (check 6)", Class{Stubs: []Stub{{StubFixed, 60 * sec}}}, Change{TTL: 20 * sec}},
		{"optimistic cold (check 10)", Class{QueryRate: 1.0 / 86400, Stale: StaleOptimistic}, Change{TTL: 300 * sec}},
		{"optimistic warm, max stale 1h", Class{QueryRate: 1.0 / 600, Stale: StaleOptimistic, MaxStale: hour}, Change{TTL: 900 * sec}},
		{"sparse lowered W<T1", Class{QueryRate: 1.0 / 600}, Change{TTL: 1200 * sec, LoweredTTL: 300 * sec, LeadTime: 200 * sec}},
		{"sparse lowered W=900", Class{QueryRate: 1.0 / 600}, Change{TTL: 1200 * sec, LoweredTTL: 120 * sec, LeadTime: 900 * sec}},
		{"sparse lowered W=3000", Class{QueryRate: 1.0 / 300}, Change{TTL: 1200 * sec, LoweredTTL: 300 * sec, LeadTime: 3000 * sec}},
		{"optimistic lowered", Class{QueryRate: 1.0 / 1800, Stale: StaleOptimistic}, Change{TTL: hour, LoweredTTL: 300 * sec, LeadTime: 2700 * sec}},
		{"optimistic lowered, max stale 2h", Class{QueryRate: 1.0 / 1800, Stale: StaleOptimistic, MaxStale: 2 * hour}, Change{TTL: hour, LoweredTTL: 300 * sec, LeadTime: 5400 * sec}},
		{"prefetch 0.1", Class{Prefetch: 0.1}, Change{TTL: 300 * sec}},
		{"prefetch lowered", Class{Prefetch: 0.1}, Change{TTL: hour, LoweredTTL: 60 * sec, LeadTime: 1000 * sec}},
		{"floor stub above Te", Class{Stubs: []Stub{{StubFloor, 60 * sec}}}, Change{TTL: 20 * sec}},
		{"floor stub below Te", Class{Stubs: []Stub{{StubFloor, 60 * sec}}}, Change{TTL: 300 * sec}},
		{"countdown stub", Class{Stubs: []Stub{{StubCountDown, 0}, {StubCountDown, 30 * sec}}}, Change{TTL: 300 * sec}},
		{"two fixed stubs", Class{Stubs: []Stub{{StubFixed, 30 * sec}, {StubFixed, 60 * sec}}}, Change{TTL: 120 * sec}},
		{"fixed stub, lowered", Class{Stubs: []Stub{{StubFixed, 30 * sec}}}, Change{TTL: hour, LoweredTTL: 60 * sec, LeadTime: 130 * sec}},
		{"fixed stub, sparse", Class{QueryRate: 1.0 / 300, Stubs: []Stub{{StubFixed, 60 * sec}}}, Change{TTL: 300 * sec}},
		{"fixed stub, memoryless", Class{Memoryless: true, Stubs: []Stub{{StubFixed, 120 * sec}}}, Change{TTL: 300 * sec}},
		{"fixed stub, optimistic", Class{QueryRate: 1.0 / 3600, Stale: StaleOptimistic, MaxStale: 2 * hour, Stubs: []Stub{{StubFixed, 60 * sec}}}, Change{TTL: 300 * sec}},
		{"fixed lifetime class", Class{Fixed: 600 * sec}, Change{TTL: 60 * sec, LoweredTTL: 30 * sec, LeadTime: 60 * sec}},
		{"memoryless sparse", Class{Memoryless: true, QueryRate: 1.0 / 600}, Change{TTL: 300 * sec}},
		{"memoryless sparse lowered", Class{Memoryless: true, QueryRate: 1.0 / 600}, Change{TTL: 1200 * sec, LoweredTTL: 300 * sec, LeadTime: 900 * sec}},
		{"memoryless busy lowered", Class{Memoryless: true}, Change{TTL: hour, LoweredTTL: 300 * sec, LeadTime: 1800 * sec}},
		{"sparse delegation, parent", Class{QueryRate: 1.0 / 43200, Centricity: ParentCentric, DelegCap: 86400 * sec},
			Change{Kind: KindDelegation, ParentNSTTL: 172800 * sec, ChildNSTTL: 3600 * sec, PublishDelay: 300 * sec}},
		{"sparse delegation, child lowered", Class{QueryRate: 1.0 / 3600, DelegFloor: 600 * sec},
			Change{Kind: KindDelegation, ParentNSTTL: 7200 * sec, ChildNSTTL: 3600 * sec, LoweredTTL: 300 * sec, LeadTime: 1800 * sec, ChildNSUnseen: 0.3}},
		{"negative sparse, capped", Class{QueryRate: 1.0 / 900, NegCap: 600 * sec}, Change{Kind: KindNegative, SOATTL: hour, SOAMinimum: hour}},
		{"TTL 0", Class{}, Change{TTL: 0}},
		{"TTL 0, floor stub", Class{Stubs: []Stub{{StubFloor, 60 * sec}}}, Change{TTL: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkMC(t, tc.name, one(tc.cl), tc.c, uint64(3000+i))
		})
	}
}
