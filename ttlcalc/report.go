package ttlcalc

import (
	"math"
	"slices"
	"time"
)

// defaultQuantiles are the fractions a report gives times for when none
// are asked for.
var defaultQuantiles = []float64{0.5, 0.9, 0.99, 0.999, 1}

// Report is what the faces print for a change: the updated fraction at
// some times, the time to reach some fractions, the time to 100%, and each
// class's part. Times are seconds since the change was made, rounded to
// the microsecond; fractions are rounded to 1e-9, so that every platform
// prints the same digits.
type Report struct {
	// Population names the population; Assumption repeats its label.
	Population string `json:"population"`
	Assumption string `json:"assumption,omitempty"`
	// Kind is the kind of change.
	Kind Kind `json:"kind"`
	// RuleTTL is the TTL the half-life rule uses, in seconds.
	RuleTTL float64 `json:"rule_ttl_seconds"`
	// Points are the updated fraction at the times asked for.
	Points []Point `json:"points"`
	// HalfLife is the rule of thumb's fraction at the same times, for
	// comparison.
	HalfLife []float64 `json:"half_life"`
	// Quantiles are the times to reach the fractions asked for.
	Quantiles []QuantileTime `json:"quantiles"`
	// Bound is the time to 100%, or null when there is none.
	Bound *float64 `json:"bound_seconds"`
	// BoundReason says why there is no bound.
	BoundReason string `json:"bound_reason,omitempty"`
	// Classes is the breakdown by class.
	Classes []ClassReport `json:"classes"`
}

// QuantileTime is the time at which a fraction of client queries get the
// new answer.
type QuantileTime struct {
	Q float64  `json:"q"`
	T *float64 `json:"t_seconds"` // null: never reached
}

// ClassReport is one class's part of a [Report].
type ClassReport struct {
	Name  string  `json:"name"`
	Share float64 `json:"share"`
	// Bound is the time after which the class answers only new data, or
	// null when there is none.
	Bound *float64 `json:"bound_seconds"`
	// Fractions are the class's own updated fractions at the report's
	// points.
	Fractions []float64 `json:"fractions"`
}

// Evaluate compiles the population and change ([New]) and reports on them
// ([Model.Report]). It is the one call most callers need.
func Evaluate(p *Population, c Change, at []time.Duration, quantiles []float64) (*Report, error) {
	m, err := New(p, c)
	if err != nil {
		return nil, err
	}
	return m.Report(at, quantiles)
}

// DefaultTimes are the times a report gives fractions at when none are
// asked for: 0.5, 1, 2, 5 and 10 times the rule's TTL after the change is
// visible, 1 h, 1 d, and the bound.
func (m *Model) DefaultTimes() []time.Duration {
	pub := m.change.PublishDelay
	var ts []time.Duration
	if ttl := fromSeconds(m.ruleTTL); ttl > 0 {
		for _, k := range []float64{0.5, 1, 2, 5, 10} {
			ts = append(ts, pub+fromSeconds(k*m.ruleTTL))
		}
	}
	ts = append(ts, time.Hour, day)
	if b, ok := m.Bound(); ok {
		ts = append(ts, b)
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// Report evaluates the model at the times (DefaultTimes when empty) and
// for the quantiles (0.5, 0.9, 0.99, 0.999 and 1 when empty). Errors wrap
// [ErrQuantile] for a quantile outside [0, 1]; a quantile never reached
// gets a null time.
func (m *Model) Report(at []time.Duration, quantiles []float64) (*Report, error) {
	if len(at) == 0 {
		at = m.DefaultTimes()
	}
	if len(quantiles) == 0 {
		quantiles = defaultQuantiles
	}
	r := &Report{
		Population: m.population,
		Assumption: m.assumption,
		Kind:       m.change.kind(),
		RuleTTL:    roundSec(m.ruleTTL),
		Points:     make([]Point, len(at)),
		HalfLife:   make([]float64, len(at)),
		Quantiles:  make([]QuantileTime, 0, len(quantiles)),
	}
	for i, t := range at {
		r.Points[i] = Point{T: roundSec(seconds(t)), Fraction: roundFrac(m.Fraction(t))}
		r.HalfLife[i] = roundFrac(m.RuleFraction(t))
	}
	for _, q := range quantiles {
		if !(q >= 0 && q <= 1) {
			_, err := m.quantile(q)
			return nil, err
		}
		qt := QuantileTime{Q: q}
		if s, err := m.quantile(q); err == nil {
			v := roundSec(s)
			qt.T = &v
		}
		r.Quantiles = append(r.Quantiles, qt)
	}
	if b, ok := m.Bound(); ok {
		v := roundSec(b.Seconds())
		r.Bound = &v
	} else {
		r.BoundReason = m.reason
	}
	for i := range m.classes {
		cm := &m.classes[i]
		cr := ClassReport{Name: cm.name, Share: cm.share, Fractions: make([]float64, len(at))}
		if b, ok := m.ClassBound(i); ok {
			v := roundSec(b.Seconds())
			cr.Bound = &v
		}
		for j, t := range at {
			cr.Fractions[j] = roundFrac(1 - cm.stale(seconds(t)))
		}
		r.Classes = append(r.Classes, cr)
	}
	return r, nil
}

func roundSec(s float64) float64  { return math.Round(s*1e6) / 1e6 }
func roundFrac(f float64) float64 { return math.Round(f*1e9) / 1e9 }
