package ttlcalc

import (
	"math"
	"slices"
)

// Grid sizes of the numeric solution for a sparse cache with a lowered TTL.
const (
	sparseCells   = 256     // grid cells per new lifetime t1
	sparseMinCel  = 8       // at least this many, whatever the lead time
	sparseMaxGrid = 1 << 18 // grid points at most (8 MB of arrays)
	sparseKnots   = 512     // knots of the result over the fresh part
	sparseKnotsT1 = 256     // extra knots over [0, t1]
	sparseKnotsM  = 1024    // knots over the stale limit
)

// sparseLowered is the stale curve of a cache with Poisson queries (rate
// lambda) whose lifetime went from t0 to t1 w before the change. The spec
// gives no closed form (Section 3.3 is for busy caches), so it is solved
// numerically.
//
// A fill happens at the first query after the entry expired, in both
// serve-stale modes, so fills form the same renewal process: let x be the
// time since the lowering and E(x) the probability that the cache holds no
// fresh entry. Old-lifetime entries still fresh at x occupy
// O(x) = rho0*(1 - x/t0)+; new-lifetime ones N(x) = lambda * integral of E
// over [x - t1, x]; and E = 1 - O - N, a Volterra equation solved by the
// trapezoidal rule on a grid of step t1/256. From the fill density
// f = lambda*E, the stale probability at x = w + t is
//
//	fresh: (fills whose entry outlives t) = f0*(t0-w-t)+ + integral of f over [w+t-t1, w]
//	stale: (fills whose entry expired at e <= t, with no query since and t-e < MaxStale)
//	       = integral of eps(e)*exp(-lambda*(t-e)) over [t-M, t]
//
// with eps the density of expiry times. The result is tabulated on a few
// thousand knots and used as a piecewise-linear curve.
func sparseLowered(p cacheParams) curve {
	l, t0, t1, w := p.lambda, p.t0, p.t1, p.w
	p0 := 1 / (1 + l*t0)
	f0 := l * p0
	rho0 := l * t0 * p0
	c0 := t0 - w
	mStale := math.Inf(1)
	if p.maxStale > 0 {
		mStale = p.maxStale
	}

	// Solve for E on the grid x0 + k*h, k = 0..n.
	var h, x0 float64
	var f, cf, q []float64 // fill density, its integral from x0, its exp-weighted integral
	if t1 > 0 {
		cells := sparseCells
		if w/t1*float64(cells) > sparseMaxGrid {
			cells = max(sparseMinCel, int(sparseMaxGrid*t1/w))
		}
		h = t1 / float64(cells)
		if span := float64(sparseMaxGrid) * h; w > span {
			// An extreme lead time: start late, as if the new lifetime
			// had been in place (an approximation past 2^18 grid points).
			x0 = w - span
		}
		n := int(math.Ceil((w - x0) / h))
		e := make([]float64, n+1)
		occ := func(x float64) float64 { return rho0 * max(0, 1-x/t0) }
		// The window holds E over [x - t1, x): cells values.
		win := 0.0
		hist := func(k int) float64 { // E at grid index k, also before the grid
			if k >= 0 {
				return e[k]
			}
			if x0 == 0 {
				return 0 // fills before the lowering are old-lifetime ones, in occ
			}
			return (1 - occ(x0+float64(k)*h)) / (1 + l*t1)
		}
		if x0 > 0 {
			for j := -cells; j < 0; j++ {
				win += hist(j)
			}
		}
		lh := l * h
		for k := 0; k <= n; k++ {
			x := x0 + float64(k)*h
			lo := k - cells
			if lo < 0 && x0 == 0 {
				lo = 0
			}
			if lo == k {
				e[k] = 1 - occ(x)
			} else {
				// Trapezoid over [lo, k], implicit in e[k].
				e[k] = (1 - occ(x) - lh*(win-hist(lo)/2)) / (1 + lh/2)
				e[k] = min(max(e[k], 0), 1)
			}
			win += e[k]
			if k-cells >= 0 || x0 > 0 {
				win -= hist(k - cells)
			}
		}
		f = make([]float64, n+1)
		cf = make([]float64, n+1)
		q = make([]float64, n+1)
		decay := math.Exp(-l * h)
		for k := range e {
			f[k] = l * e[k]
			if k > 0 {
				cf[k] = cf[k-1] + h*(f[k-1]+f[k])/2
				q[k] = q[k-1]*decay + h*(f[k-1]*decay+f[k])/2
			}
		}
	}
	interp := func(v []float64, x float64) float64 {
		u := (x - x0) / h
		if u <= 0 {
			return v[0]
		}
		i := int(u)
		if i >= len(v)-1 {
			return v[len(v)-1]
		}
		fr := u - float64(i)
		return v[i]*(1-fr) + v[i+1]*fr
	}

	stale := func(t float64) float64 {
		s := f0 * max(0, c0-t)
		if t1 > 0 && t < t1 {
			s += interp(cf, w) - interp(cf, max(w+t-t1, x0))
		}
		if !p.optimistic {
			return s
		}
		// Old-lifetime fills, expiring before c0.
		if hi := min(t, c0); t-mStale < hi {
			s += f0 / l * (math.Exp(-l*(t-hi)) - math.Exp(-l*mStale))
		}
		// New-lifetime fills at x in [xa, xb].
		if t1 > 0 {
			xa := max(t-mStale+w-t1, x0)
			xb := min(t, t1) + w - t1
			if xa < xb {
				s += math.Exp(-l*(t-min(t, t1))) * (interp(q, xb) - interp(q, xa)*math.Exp(-l*(xb-xa)))
			}
		}
		return s
	}

	// Knots: where the curve has kinks, and evenly in between.
	tf := max(c0, t1, 0)
	end := tf
	if p.optimistic && p.maxStale > 0 {
		end = tf + mStale
	}
	var xs []float64
	even := func(a, b float64, n int) {
		for i := 0; i <= n; i++ {
			xs = append(xs, a+(b-a)*float64(i)/float64(n))
		}
	}
	if tf > 0 {
		even(0, tf, sparseKnots)
		if t1 > 0 {
			even(0, min(t1, tf), sparseKnotsT1)
		}
	}
	kinks := []float64{0, c0, t1}
	if end > tf {
		even(tf, end, sparseKnotsM)
		kinks = append(kinks, mStale, c0+mStale, t1+mStale, t1-w+mStale)
	}
	for _, k := range kinks {
		if k >= 0 && k <= end {
			xs = append(xs, k)
		}
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	tab := &table{x: xs, s: make([]float64, len(xs))}
	for i, x := range xs {
		tab.s[i] = min(max(stale(x), 0), 1)
	}
	// A monotone curve stays monotone despite rounding in the grid.
	for i := 1; i < len(tab.s); i++ {
		tab.s[i] = min(tab.s[i], tab.s[i-1])
	}
	cv := curve{tab: tab, bound: end}
	if p.optimistic && p.maxStale == 0 {
		tab.tailMu = l
		cv.bound, cv.reason = math.Inf(1), reasonStale
	} else {
		tab.s[len(tab.s)-1] = 0
	}
	if len(xs) == 1 && tab.tailMu == 0 {
		return curve{} // nothing cached
	}
	cv.terms = tab.terms()
	return cv
}
