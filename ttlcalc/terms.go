package ttlcalc

import (
	"math"
	"sort"
)

// A stale curve S(x), x >= 0 the time since the change became visible, is a
// sum of terms of two kinds, each zero for x < a:
//
//	power:       c * (x-a)^n / n!       (n = 0 is the step 1[x >= a])
//	exponential: c * exp(-mu*(x-a))
//
// The closed forms of the spec (Section 3) are such sums: the linear ramp
// of an honouring cache, its lowered-TTL variant, the serve-stale and
// memoryless exponentials. Both kinds stay in the family under integration,
// which is what a stub layer with a fixed lifetime does (Section 3.4: it
// averages the curve below it over a window), so stubs cost no numerics.
type term struct {
	a  float64 // where the term starts
	c  float64 // its coefficient
	n  int     // >= 0: a power term of degree n; -1: an exponential term
	mu float64 // the exponential's rate
}

func pw(c, a float64, n int) term { return term{a: a, c: c, n: n} }

func ex(c, a, mu float64) term { return term{a: a, c: c, n: -1, mu: mu} }

// value returns the k-th integral of the term from -infinity, at x.
func (t term) value(x float64, k int) float64 {
	y := x - t.a
	if y < 0 {
		return 0
	}
	if t.n >= 0 {
		m := t.n + k
		if m == 0 {
			return t.c
		}
		return t.c * powFact(y, m)
	}
	z := t.mu * y
	if k == 0 {
		return t.c * math.Exp(-z)
	}
	// The k-th integral of exp(-mu*y) is y^k * sum_{i>=0} (-z)^i/(k+i)!.
	return t.c * powFact(y, k) * expTail(z, k)
}

// powFact returns y^m / m!.
func powFact(y float64, m int) float64 {
	r := 1.0
	for i := 1; i <= m; i++ {
		r *= y / float64(i)
	}
	return r
}

// expTail returns k! * sum_{i>=0} (-z)^i / (k+i)!, which is 1 at z = 0, for
// z >= 0 and k >= 1, without cancellation for small z.
func expTail(z float64, k int) float64 {
	if z < 1 {
		sum, term := 0.0, 1.0
		for i := 0; i < 40 && term != 0; i++ {
			sum += term
			term *= -z / float64(k+i+1)
		}
		return sum
	}
	// k!/z^k * (-1)^k * (exp(-z) - sum_{j<k} (-z)^j/j!).
	poly, t := 0.0, 1.0
	for j := 0; j < k; j++ {
		poly += t
		t *= -z / float64(j+1)
	}
	r := math.Exp(-z) - poly
	if k%2 == 1 {
		r = -r
	}
	for i := 1; i <= k; i++ {
		r *= float64(i) / z
	}
	return r
}

// rampDown appends c * (b - x)+ for x >= 0.
func rampDown(ts []term, c, b float64) []term {
	if b <= 0 || c == 0 {
		return ts
	}
	return append(ts, pw(c*b, 0, 0), pw(-c, 0, 1), pw(c, b, 1))
}

// table is a stale curve known at knots, linear between them and, past the
// last knot, either 0 or decaying as exp(-tailMu*(x - last)).
type table struct {
	x, s   []float64
	tailMu float64 // 0: no tail
}

// at evaluates the table.
func (tb *table) at(x float64) float64 {
	n := len(tb.x)
	if x >= tb.x[n-1] {
		if tb.tailMu > 0 {
			return tb.s[n-1] * math.Exp(-tb.tailMu*(x-tb.x[n-1]))
		}
		if x == tb.x[n-1] {
			return tb.s[n-1]
		}
		return 0
	}
	i := sort.SearchFloat64s(tb.x, x) // tb.x[i-1] < x <= tb.x[i]
	if i == 0 {
		return tb.s[0]
	}
	x0, x1 := tb.x[i-1], tb.x[i]
	return tb.s[i-1] + (tb.s[i]-tb.s[i-1])*(x-x0)/(x1-x0)
}

// terms returns the table as terms, for stub layers.
func (tb *table) terms() []term {
	n := len(tb.x)
	ts := []term{pw(tb.s[0], tb.x[0], 0)}
	prev := 0.0
	for j := 0; j+1 < n; j++ {
		slope := (tb.s[j+1] - tb.s[j]) / (tb.x[j+1] - tb.x[j])
		if d := slope - prev; d != 0 {
			ts = append(ts, pw(d, tb.x[j], 1))
		}
		prev = slope
	}
	last := tb.x[n-1]
	ts = append(ts, pw(-prev, last, 1), pw(-tb.s[n-1], last, 0))
	if tb.tailMu > 0 {
		ts = append(ts, ex(tb.s[n-1], last, tb.tailMu))
	}
	return ts
}
