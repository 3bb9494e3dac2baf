package ttlcalc

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// propertyCases are populations and changes the properties of the spec,
// Section 6, are checked on: the presets with every kind of change, and
// classes with each feature.
func propertyCases(t *testing.T) []struct {
	name string
	p    *Population
	c    Change
} {
	var cases []struct {
		name string
		p    *Population
		c    Change
	}
	add := func(name string, p *Population, c Change) {
		cases = append(cases, struct {
			name string
			p    *Population
			c    Change
		}{name, p, c})
	}
	for _, pn := range PresetNames() {
		for _, mc := range mcChanges {
			add(pn+"/"+mc.name, preset(t, pn), mc.c)
		}
	}
	hour := 3600 * sec
	for _, cl := range []Class{
		{QueryRate: 1.0 / 600},
		{QueryRate: 1.0 / 600, Stale: StaleOptimistic},
		{QueryRate: 1.0 / 600, Stale: StaleOptimistic, MaxStale: hour},
		{Prefetch: 0.1, Stubs: []Stub{{StubFixed, 30 * sec}, {StubFixed, 60 * sec}, {StubFloor, 60 * sec}}},
		{Memoryless: true, QueryRate: 1.0 / 60},
		{Fixed: 90 * sec, Stubs: []Stub{{StubFixed, 45 * sec}}},
		{Floor: 600 * sec, Cap: hour, Stale: StaleRFC8767, MaxStale: 3 * hour},
	} {
		for _, c := range []Change{
			{TTL: 300 * sec},
			{TTL: 2 * hour, LoweredTTL: 60 * sec, LeadTime: 1000 * sec},
			{Kind: KindNegative, SOATTL: hour, SOAMinimum: 600 * sec},
		} {
			add("class", one(cl), c)
		}
	}
	return cases
}

// probeTimes are dense times over the interesting range.
func probeTimes(m *Model) []float64 {
	var ts []float64
	for i := 0; i <= 400; i++ {
		ts = append(ts, math.Pow(10, -1+7*float64(i)/400)) // 0.1 s to 115 d
	}
	for i := 0; i <= 400; i++ {
		ts = append(ts, 3*m.ruleTTL*float64(i)/400)
	}
	return ts
}

// TestFractionMonotone: F never decreases (spec, Section 6).
func TestFractionMonotone(t *testing.T) {
	for _, tc := range propertyCases(t) {
		m := mustModel(t, tc.p, tc.c)
		ts := probeTimes(m)
		prevT, prev := -1.0, 0.0
		for _, x := range sortedCopy(ts) {
			f := m.fraction(x)
			if f < prev-1e-12 {
				t.Errorf("%s: F(%v) = %v < F(%v) = %v", tc.name, x, f, prevT, prev)
				break
			}
			assert.True(t, f >= 0 && f <= 1, "%s: F(%v) = %v", tc.name, x, f)
			prevT, prev = x, f
		}
	}
}

// TestFractionAtBound: F(t) = 1 for t >= Bound, and below 1 just before
// it (spec, Section 6).
func TestFractionAtBound(t *testing.T) {
	for _, tc := range propertyCases(t) {
		m := mustModel(t, tc.p, tc.c)
		b, ok := m.Bound()
		if !ok {
			assert.NotEmpty(t, m.BoundReason(), tc.name)
			late := 10*max(m.ruleTTL, 60) + tc.c.PublishDelay.Seconds()
			assert.Less(t, m.fraction(late), 1.0, "%s: unbounded but F reaches 1 at %vs", tc.name, late)
			continue
		}
		assert.Empty(t, m.BoundReason())
		for _, x := range []float64{0, 1e-9, 1, 1000, 1e6} {
			assert.Equal(t, 1.0, m.Fraction(b+secs(x)), "%s: F(bound + %v)", tc.name, x)
		}
		if b > 0 {
			assert.Less(t, m.Fraction(b-secs(1e-3*b.Seconds())), 1.0, "%s: the bound is not the first time at 100%%", tc.name)
		}
		q, err := m.Quantile(1)
		require.NoError(t, err)
		assert.InDelta(t, b.Seconds(), q.Seconds(), 1e-6*b.Seconds()+1e-9, tc.name)
	}
}

// TestCountDownStub: a count-down stub layer never changes S (spec,
// Section 3.4), nor does a floor stub below the resolver's lifetime.
func TestCountDownStub(t *testing.T) {
	for _, tc := range propertyCases(t) {
		with := &Population{Name: "with", Classes: append([]Class(nil), tc.p.Classes...)}
		for i := range with.Classes {
			cl := &with.Classes[i]
			cl.Stubs = append([]Stub{{StubCountDown, 0}, {StubCountDown, 30 * sec}}, cl.Stubs...)
			if len(cl.Stubs) > MaxStubs {
				cl.Stubs = cl.Stubs[:MaxStubs]
			}
		}
		a, b := mustModel(t, tc.p, tc.c), mustModel(t, with, tc.c)
		for _, x := range probeTimes(a) {
			if len(tc.p.Classes[0].Stubs) <= MaxStubs-2 {
				assert.Equal(t, a.fraction(x), b.fraction(x), "%s at %v", tc.name, x)
			}
		}
	}
	a := mustModel(t, one(Class{}), Change{TTL: 300 * sec})
	b := mustModel(t, one(Class{Stubs: []Stub{{StubFloor, 60 * sec}}}), Change{TTL: 300 * sec})
	for _, x := range []float64{0, 100, 299, 300, 400} {
		assert.Equal(t, a.fraction(x), b.fraction(x))
	}
}

// TestZeroShareClass: adding a class with share 0 changes nothing, not
// even the bound (spec, Section 6).
func TestZeroShareClass(t *testing.T) {
	for _, tc := range propertyCases(t) {
		p := &Population{Name: tc.p.Name, Classes: append(append([]Class(nil), tc.p.Classes...),
			Class{Name: "nobody", Share: 0, Fixed: 30 * day, Memoryless: true, QueryRate: 1e-6})}
		a, b := mustModel(t, tc.p, tc.c), mustModel(t, p, tc.c)
		for _, x := range probeTimes(a) {
			assert.Equal(t, a.fraction(x), b.fraction(x), "%s at %v", tc.name, x)
		}
		ab, aok := a.Bound()
		bb, bok := b.Bound()
		assert.Equal(t, aok, bok, tc.name)
		assert.Equal(t, ab, bb, tc.name)
	}
}

// TestQuantileInverts: Quantile(F(t)) = t where F strictly increases
// (spec, Section 6).
func TestQuantileInverts(t *testing.T) {
	n := 0
	for _, tc := range propertyCases(t) {
		m := mustModel(t, tc.p, tc.c)
		for _, x := range probeTimes(m) {
			f := m.fraction(x)
			d := 1e-3 * max(x, 1)
			lo, hi := m.fraction(x-d), m.fraction(x+d)
			if !(lo < f && f < hi) || f == 0 || (hi-lo)/(2*d)*1e-6*max(x, 1) < 1e-12 {
				continue // flat here, to the precision of float64
			}
			q, err := m.Quantile(f)
			require.NoError(t, err)
			assert.InDelta(t, x, q.Seconds(), 1e-6*max(x, 1), "%s: Quantile(F(%v) = %v)", tc.name, x, f)
			n++
		}
	}
	assert.Greater(t, n, 1000, "enough strictly increasing points")
}

func sortedCopy(ts []float64) []float64 {
	out := append([]float64(nil), ts...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
