package ttlcalc

import (
	"fmt"
	"math"
	"time"
)

// Model is a population and a change, compiled: it answers how far the
// change has spread at any time. Make one with [New]; it is immutable and
// safe for concurrent use.
type Model struct {
	population string
	assumption string
	change     Change
	classes    []classModel
	bound      float64 // seconds since the change; +Inf when unbounded
	reason     string  // why bound is +Inf
	ruleTTL    float64
}

// classModel is one class, compiled.
type classModel struct {
	name   string
	share  float64
	shift  float64 // the publication delay: nothing changes before it
	terms  []term  // the resolver layer's stale curve, for x >= 0
	tab    *table  // the same curve as a table, when it was computed numerically
	bound  float64 // stale is 0 from shift+bound on; +Inf: never
	reason string

	// Fixed-lifetime stub layers: the curve is averaged over the sum of
	// their independent, uniform ages (spec, Section 3.4), by
	// inclusion-exclusion over the k-th integral of the curve.
	k       int
	offsets []float64 // sums of the subsets of the stub lifetimes
	signs   []float64 // (-1)^|subset|
	norm    float64   // 1 / product of the lifetimes
}

// New compiles a population and a change into a model. It validates both;
// errors wrap [ErrPopulation] or [ErrChange].
func New(p *Population, c Change) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.Kind = c.kind()
	m := &Model{population: p.Name, assumption: p.Assumption, change: c, ruleTTL: seconds(c.RuleTTL())}
	for i := range p.Classes {
		cm, err := compileClass(&p.Classes[i], c)
		if err != nil {
			return nil, popErr(fmt.Sprintf("classes[%d]", i), "%v", err)
		}
		m.classes = append(m.classes, cm)
		if cm.share == 0 {
			continue // a class nobody uses changes nothing, not even the bound
		}
		if b := cm.shift + cm.bound; b > m.bound || math.IsInf(b, 1) && m.reason == "" {
			m.bound = b
			if math.IsInf(b, 1) {
				m.reason = fmt.Sprintf("class %q: %s", cm.name, cm.reason)
			}
		}
	}
	if m.bound == 0 {
		m.bound = seconds(c.PublishDelay)
	}
	return m, nil
}

// compileClass turns one class into its stale curve for the change.
func compileClass(cl *Class, c Change) (classModel, error) {
	cm := classModel{name: cl.Name, share: cl.Share, shift: seconds(c.PublishDelay)}
	lead := seconds(c.LeadTime) + seconds(c.PublishDelay)
	cp := cacheParams{
		lambda:     cl.QueryRate,
		memoryless: cl.Memoryless,
		w:          lead,
	}
	var cv curve
	switch c.Kind {
	case KindRecord, KindNegative:
		t0 := seconds(c.CurrentTTL())
		t1 := t0
		if c.LoweredTTL > 0 {
			t1 = seconds(c.LoweredTTL)
		}
		cp.t0, cp.t1 = cl.lifetime(c.Kind, t0), cl.lifetime(c.Kind, t1)
		if cl.Stale == StaleOptimistic {
			cp.optimistic = true
			cp.maxStale = seconds(cl.MaxStale)
		}
		var err error
		if cv, err = cacheCurve(cp); err != nil {
			return cm, err
		}
		// The lifetime in effect when the change lands decides whether a
		// floor stub acts as a fixed one.
		te := cp.t0
		if lead > 0 {
			te = cp.t1
		}
		var stubs []float64
		for _, s := range cl.Stubs {
			l := seconds(s.Lifetime)
			switch {
			case s.Mode == StubFixed, s.Mode == StubFloor && l >= te && l > 0:
				stubs = append(stubs, l)
			}
		}
		cm.setStubs(stubs)
	case KindDelegation:
		p := seconds(c.ParentNSTTL)
		c0 := seconds(c.ChildNSTTL)
		c1 := c0
		if c.LoweredTTL > 0 {
			c1 = seconds(c.LoweredTTL)
		}
		type sub struct {
			weight, t0, t1 float64
		}
		tp := cl.delegLifetime(p)
		subs := []sub{{1, tp, tp}}
		if cl.Centricity != ParentCentric {
			u := c.ChildNSUnseen
			subs = []sub{{1 - u, cl.delegLifetime(min(p, c0)), cl.delegLifetime(min(p, c1))}, {u, tp, tp}}
		}
		for _, s := range subs {
			if s.weight == 0 {
				continue
			}
			cp.t0, cp.t1 = s.t0, s.t1
			sc, err := cacheCurve(cp)
			if err != nil {
				return cm, err
			}
			cv.add(sc, s.weight)
		}
		cm.setStubs(nil)
	}
	cm.terms, cm.tab = cv.terms, cv.tab
	cm.bound, cm.reason = cv.bound, cv.reason
	for _, l := range cm.stubLifetimes() {
		cm.bound += l
	}
	return cm, nil
}

// lifetime is how long the class keeps an answer with the given TTL
// (seconds), for a record or negative change (spec, Sections 3 and 3.6),
// with prefetch (Section 3.1).
func (cl *Class) lifetime(k Kind, ttl float64) float64 {
	v := ttl
	if k == KindNegative {
		if cl.NegCap > 0 {
			v = min(v, seconds(cl.NegCap))
		}
	} else {
		if cl.Fixed > 0 {
			v = seconds(cl.Fixed)
		} else {
			v = max(v, seconds(cl.Floor))
			if cl.Cap > 0 {
				v = min(v, seconds(cl.Cap))
			}
		}
	}
	return v * (1 - cl.Prefetch)
}

// delegLifetime is how long the class keeps a delegation with the given NS
// TTL (spec, Section 3.7).
func (cl *Class) delegLifetime(ttl float64) float64 {
	v := max(ttl, seconds(cl.DelegFloor))
	if dc := minPositive(cl.Cap, cl.DelegCap); dc > 0 {
		v = min(v, seconds(dc))
	}
	return v
}

func (cm *classModel) setStubs(ls []float64) {
	cm.k = len(ls)
	cm.norm = 1
	for _, l := range ls {
		cm.norm /= l
	}
	cm.offsets, cm.signs = nil, nil
	for mask := 0; mask < 1<<len(ls); mask++ {
		o, sign := 0.0, 1.0
		for j, l := range ls {
			if mask&(1<<j) != 0 {
				o += l
				sign = -sign
			}
		}
		cm.offsets = append(cm.offsets, o)
		cm.signs = append(cm.signs, sign)
	}
}

// stubLifetimes recovers the stub lifetimes: the one-element subsets.
func (cm *classModel) stubLifetimes() []float64 {
	var ls []float64
	for mask, o := range cm.offsets {
		if mask != 0 && mask&(mask-1) == 0 {
			ls = append(ls, o)
		}
	}
	return ls
}

// stale is the probability that a query of this class at t (seconds since
// the change) gets the old answer.
func (cm *classModel) stale(t float64) float64 {
	x := t - cm.shift
	switch {
	case x < 0:
		return 1
	case x >= cm.bound:
		return 0
	}
	var s float64
	if cm.k == 0 {
		if cm.tab != nil {
			s = cm.tab.at(x)
		} else {
			for _, tm := range cm.terms {
				s += tm.value(x, 0)
			}
		}
	} else {
		// 1 - E[D(x - A)], D = 1 - S the updated curve, A the sum of the
		// stub ages: inclusion-exclusion over the k-th integral of D.
		d := 0.0
		for i, o := range cm.offsets {
			y := x - o
			if y <= 0 {
				continue
			}
			dk := powFact(y, cm.k)
			for _, tm := range cm.terms {
				dk -= tm.value(y, cm.k)
			}
			d += cm.signs[i] * dk
		}
		s = 1 - d*cm.norm
	}
	return min(max(s, 0), 1)
}

// Fraction is the share of client queries at t after the change that get
// the new answer.
func (m *Model) Fraction(t time.Duration) float64 { return m.fraction(seconds(t)) }

// Stale is 1 - Fraction: the share of client queries at t that still get
// the old answer.
func (m *Model) Stale(t time.Duration) float64 { return 1 - m.fraction(seconds(t)) }

func (m *Model) fraction(t float64) float64 {
	if t >= m.bound {
		return 1
	}
	s := 0.0
	for i := range m.classes {
		cm := &m.classes[i]
		if cm.share > 0 {
			s += cm.share * cm.stale(t)
		}
	}
	return min(max(1-s, 0), 1)
}

// Bound is the time after which every client gets the new answer. ok is
// false when there is none; [Model.BoundReason] says why.
func (m *Model) Bound() (d time.Duration, ok bool) {
	if math.IsInf(m.bound, 1) {
		return 0, false
	}
	return fromSeconds(m.bound), true
}

// BoundReason says why there is no bound, or is "" when there is one.
func (m *Model) BoundReason() string { return m.reason }

// Change returns the change the model was made for.
func (m *Model) Change() Change { return m.change }

// Population returns the name of the population and its assumption label.
func (m *Model) Population() (name, assumption string) { return m.population, m.assumption }

// Quantile returns the earliest time at which the fraction q of client
// queries get the new answer, q in [0, 1]; to the nanosecond. Errors wrap
// [ErrQuantile]: q out of range, or q = 1 without a bound.
func (m *Model) Quantile(q float64) (time.Duration, error) {
	s, err := m.quantile(q)
	if err != nil {
		return 0, err
	}
	return fromSeconds(s), nil
}

func (m *Model) quantile(q float64) (float64, error) {
	if !(q >= 0 && q <= 1) {
		return 0, fmt.Errorf("%w: %v is not in [0, 1]", ErrQuantile, q)
	}
	if q == 1 {
		// By definition; the fraction may round to 1 a little earlier.
		if math.IsInf(m.bound, 1) {
			return 0, fmt.Errorf("%w: 100%% is never reached: %s", ErrQuantile, m.reason)
		}
		if m.fraction(0) >= 1 {
			return 0, nil
		}
		return m.bound, nil
	}
	if m.fraction(0) >= q {
		return 0, nil
	}
	hi := m.bound
	if math.IsInf(hi, 1) {
		hi = max(1, m.ruleTTL, seconds(m.change.PublishDelay)+1)
		for m.fraction(hi) < q {
			hi *= 2
			if hi > 1<<50 {
				return 0, fmt.Errorf("%w: %v is not reached within %.0f seconds: %s", ErrQuantile, q, hi, m.reason)
			}
		}
	}
	lo := 0.0
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if m.fraction(mid) >= q {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}

// ClassState is one class's part of the picture at a time.
type ClassState struct {
	// Name of the class.
	Name string `json:"name"`
	// Share of client queries the class answers.
	Share float64 `json:"share"`
	// Fraction of the class's own queries that get the new answer.
	Fraction float64 `json:"fraction"`
	// Stale is the share of all client queries that this class still
	// answers with the old data: Share * (1 - Fraction).
	Stale float64 `json:"stale"`
}

// Breakdown returns each class's state at t, in population order.
func (m *Model) Breakdown(t time.Duration) []ClassState {
	ts := seconds(t)
	out := make([]ClassState, len(m.classes))
	for i := range m.classes {
		cm := &m.classes[i]
		s := cm.stale(ts)
		out[i] = ClassState{Name: cm.name, Share: cm.share, Fraction: 1 - s, Stale: cm.share * s}
	}
	return out
}

// ClassBound is the time after which every query of class i (in
// population order) gets the new answer; ok is false when there is none.
func (m *Model) ClassBound(i int) (d time.Duration, ok bool) {
	if i < 0 || i >= len(m.classes) {
		return 0, false
	}
	b := m.classes[i].shift + m.classes[i].bound
	if math.IsInf(b, 1) {
		return 0, false
	}
	return fromSeconds(b), true
}

// Point is the updated fraction at one time.
type Point struct {
	T        float64 `json:"t_seconds"` // seconds since the change
	Fraction float64 `json:"fraction"`  // share of client queries with the new answer
}

// Curve returns the fraction at each of the times.
func (m *Model) Curve(ts []time.Duration) []Point {
	out := make([]Point, len(ts))
	for i, t := range ts {
		s := seconds(t)
		out[i] = Point{T: s, Fraction: m.fraction(s)}
	}
	return out
}

// HalfLife is the half-life rule of thumb: the fraction 1 - 2^(-t/ttl)
// updated after t. With ttl 0 it is 1 for every t >= 0.
func HalfLife(t, ttl time.Duration) float64 {
	if t < 0 {
		return 0
	}
	if ttl <= 0 {
		return 1
	}
	return 1 - math.Exp2(-seconds(t)/seconds(ttl))
}

// RuleFraction is [HalfLife] for the model's change: the rule applied to
// [Change.RuleTTL], from the time the change is visible.
func (m *Model) RuleFraction(t time.Duration) float64 {
	return HalfLife(t-m.change.PublishDelay, fromSeconds(m.ruleTTL))
}
