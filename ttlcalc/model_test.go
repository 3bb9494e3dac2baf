package ttlcalc

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sec = time.Second

func secs(s float64) time.Duration { return fromSeconds(s) }

func one(c Class) *Population {
	c.Share = 1
	if c.Name == "" {
		c.Name = "test"
	}
	return &Population{Name: "test", Classes: []Class{c}}
}

func mustModel(t testing.TB, p *Population, c Change) *Model {
	t.Helper()
	m, err := New(p, c)
	require.NoError(t, err)
	return m
}

func preset(t testing.TB, name string) *Population {
	t.Helper()
	p, err := Preset(name)
	require.NoError(t, err)
	return p
}

// TestNumericChecks holds the numeric checks of the spec, Section 6, to
// 1e-6 and the quantile times of Section 3.9 to the second.
func TestNumericChecks(t *testing.T) {
	frac := func(m *Model, s float64) float64 { return m.Fraction(secs(s)) }
	const tol = 1e-6

	// 1: one honouring busy class, T = 300.
	m := mustModel(t, preset(t, PresetHonouring), Change{TTL: 300 * sec})
	assert.InDelta(t, 0.5, frac(m, 150), tol, "check 1, t=150")
	assert.InDelta(t, 1.0, frac(m, 300), tol, "check 1, t=300")
	assert.InDelta(t, 0.5, m.RuleFraction(300*sec), tol, "check 1, the blog's 0.5 at t=300")

	// 2: Poisson rate 1/600 per second, T = 300: rho = 1/3.
	m = mustModel(t, one(Class{QueryRate: 1.0 / 600}), Change{TTL: 300 * sec})
	assert.InDelta(t, 0.666667, frac(m, 0), tol, "check 2, t=0")
	assert.InDelta(t, 0.833333, frac(m, 150), tol, "check 2, t=150")

	// 4: a Google-like cap of 21600 s, T = 86400.
	m = mustModel(t, one(Class{Cap: 21600 * sec}), Change{TTL: 86400 * sec})
	assert.InDelta(t, 0.5, frac(m, 10800), tol, "check 4")

	// 5: lowered 86400 -> 300, W = 43200 and W = 86400.
	m = mustModel(t, preset(t, PresetHonouring), Change{TTL: 86400 * sec, LoweredTTL: 300 * sec, LeadTime: 43200 * sec})
	assert.InDelta(t, 0.503472, frac(m, 300), tol, "check 5, W=43200")
	assert.InDelta(t, 0, frac(m, 0), tol, "check 5, F(0)")
	m = mustModel(t, preset(t, PresetHonouring), Change{TTL: 86400 * sec, LoweredTTL: 300 * sec, LeadTime: 86400 * sec})
	assert.InDelta(t, 1.0, frac(m, 300), tol, "check 5, W=86400")
	assert.InDelta(t, 0, frac(m, 0), tol, "check 5, F(0)")

	// 6: resolver Te = 20 with a fixed 60 s stub.
	m = mustModel(t, one(Class{Stubs: []Stub{{StubFixed, 60 * sec}}}), Change{TTL: 20 * sec})
	assert.InDelta(t, 0.166667, frac(m, 20), tol, "check 6, t=20")
	assert.InDelta(t, 0.833333, frac(m, 60), tol, "check 6, t=60")
	assert.InDelta(t, 1.0, frac(m, 80), tol, "check 6, t=80")

	// 8: the half-life preset is the rule: S(300) = 0.5, S(600) = 0.25.
	m = mustModel(t, preset(t, PresetHalfLife), Change{TTL: 300 * sec})
	assert.InDelta(t, 0.5, m.Stale(300*sec), tol, "check 8, S(300)")
	assert.InDelta(t, 0.25, m.Stale(600*sec), tol, "check 8, S(600)")

	// 10: optimistic serve-stale, T = 300, rate 1/86400.
	m = mustModel(t, one(Class{QueryRate: 1.0 / 86400, Stale: StaleOptimistic}), Change{TTL: 300 * sec})
	assert.InDelta(t, 0.959195, m.Stale(3600*sec), tol, "check 10, S(3600)")
	assert.InDelta(t, 0.367882, m.Stale(86400*sec), tol, "check 10, S(86400)")
	lt := 300.0 / 86400
	assert.InDelta(t, 0.003460, lt/(1+lt), tol, "check 10, pf")
	assert.InDelta(t, 1, m.Stale(0), tol, "check 10, S(0): pf fresh plus 1-pf stale-waiting")

	// Section 3.9: the default mix at T = 300 against the blog.
	m = mustModel(t, preset(t, PresetDefault), Change{TTL: 300 * sec})
	for _, c := range []struct{ k, blog, mix float64 }{
		{1, .5, .9809}, {2, .75, .9817}, {3, .875, .9826}, {4, .9375, .9835},
		{5, .96875, .9843}, {6, .9844, .9852}, {7, .9922, .9861}, {10, .9990, .9887},
	} {
		ts := secs(c.k * 300)
		assert.InDelta(t, c.blog, m.RuleFraction(ts), 5e-5, "blog at %v TTL", c.k)
		assert.InDelta(t, c.mix, m.Fraction(ts), 5e-5, "default mix at %v TTL", c.k)
	}
	for _, c := range []struct {
		ttl  float64
		q    float64
		want float64
	}{
		{300, .5, 153}, {300, .9, 275}, {300, .98, 300}, {300, .99, 3456}, {300, .999, 77760},
		{3600, .99, 3598}, {3600, .999, 77760},
	} {
		m := mustModel(t, preset(t, PresetDefault), Change{TTL: secs(c.ttl)})
		got, err := m.Quantile(c.q)
		require.NoError(t, err)
		assert.Equal(t, c.want, math.Round(got.Seconds()), "default, T=%v, t%v: %v", c.ttl, c.q, got)
	}
	// Crossover of the blog and the default mix at T = 300: 1825.9 s.
	m = mustModel(t, preset(t, PresetDefault), Change{TTL: 300 * sec})
	lo, hi := 600.0, 3000.0
	for range 100 {
		mid := (lo + hi) / 2
		if m.RuleFraction(secs(mid)) < m.Fraction(secs(mid)) {
			lo = mid
		} else {
			hi = mid
		}
	}
	assert.InDelta(t, 1825.9, lo, 0.5, "crossover")
	assert.InDelta(t, 0.985, m.Fraction(secs(lo)), 5e-4, "F at the crossover")
}

// TestHalfLifeIsGammaMixture checks the derivation of Section 3.9: busy
// honouring caches with lifetimes L ~ Gamma(2, rate ln2/T) give
// S(t) = integral over L > t of (1 - t/L) g(L) dL = 2^(-t/T).
func TestHalfLifeIsGammaMixture(t *testing.T) {
	const T = 300.0
	r := math.Ln2 / T
	g := func(L float64) float64 { return r * r * L * math.Exp(-r*L) }
	for _, c := range []struct{ t, want float64 }{{300, 0.5}, {600, 0.25}, {150, math.Sqrt(0.5)}, {3000, math.Exp2(-10)}} {
		got := integrate(func(L float64) float64 { return (1 - c.t/L) * g(L) }, c.t, c.t+80/r)
		assert.InDelta(t, c.want, got, 1e-6, "S(%v)", c.t)
	}
}

// integrate is composite Gauss-Legendre (5 points) on 2000 panels.
func integrate(f func(float64) float64, a, b float64) float64 {
	xs := []float64{0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640}
	ws := []float64{0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891}
	const n = 2000
	h := (b - a) / n
	sum := 0.0
	for i := range n {
		m := a + h*(float64(i)+0.5)
		for j := range xs {
			sum += ws[j] * f(m+xs[j]*h/2)
		}
	}
	return sum * h / 2
}

func TestQuantileErrors(t *testing.T) {
	m := mustModel(t, preset(t, PresetHalfLife), Change{TTL: 300 * sec})
	for _, q := range []float64{-0.1, 1.1, math.NaN(), 1} {
		_, err := m.Quantile(q)
		assert.ErrorIs(t, err, ErrQuantile, "q=%v", q)
	}
	_, ok := m.Bound()
	assert.False(t, ok)
	assert.Contains(t, m.BoundReason(), "memoryless")
	d, err := m.Quantile(0.5)
	require.NoError(t, err)
	assert.InDelta(t, 300, d.Seconds(), 1e-6)
	d, err = m.Quantile(0)
	assert.NoError(t, err)
	assert.Zero(t, d)
	assert.True(t, errors.Is(err, nil))
}

// TestSparseLoweredLongLead: a lead time of many thousand new lifetimes
// takes the approximate path of the numeric solution; after so long, the
// cache is in the new lifetime's steady state (spec, Section 3.2).
func TestSparseLoweredLongLead(t *testing.T) {
	const rate = 0.01
	m := mustModel(t, one(Class{QueryRate: rate}), Change{TTL: 86400 * sec, LoweredTTL: sec, LeadTime: 86400 * sec})
	rho := rate * 1 / (1 + rate*1)
	for _, x := range []float64{0, 0.25, 0.5, 0.99} {
		assert.InDelta(t, rho*(1-x), m.Stale(secs(x)), 1e-4, "S(%v)", x)
	}
	assert.Equal(t, 0.0, m.Stale(secs(1)))
}
