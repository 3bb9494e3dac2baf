package ttlcalc

import (
	"math"
)

// cacheParams describe one cache layer for one change; times in seconds.
type cacheParams struct {
	t0, t1     float64 // effective lifetime before and after the lowering
	w          float64 // how long before the change became visible the TTL was lowered
	lambda     float64 // Poisson query rate; 0: busy
	memoryless bool
	optimistic bool
	maxStale   float64 // 0: no limit
}

// curve is the stale curve of a cache layer for x >= 0 (S = 1 for x < 0).
type curve struct {
	terms  []term
	tab    *table  // set when the curve was computed numerically
	bound  float64 // S(x) = 0 for x >= bound; +Inf: never
	reason string  // why bound is +Inf
}

// add adds w times c to cv (a mixture of sub-cases).
func (cv *curve) add(c curve, w float64) {
	for _, t := range c.terms {
		t.c *= w
		cv.terms = append(cv.terms, t)
	}
	if c.bound > cv.bound {
		cv.bound = c.bound
		if cv.reason == "" {
			cv.reason = c.reason
		}
	}
	// A mixture is never kept as a table; the terms carry it.
	cv.tab = nil
}

// ramp is the curve of a busy cache that honours a lifetime te: the old
// answer's remaining life is uniform on [0, te] (spec, Section 3.1), scaled
// by the occupancy rho for sparse queries (Section 3.2).
func ramp(rho, te float64) curve {
	if te <= 0 || rho == 0 {
		return curve{}
	}
	return curve{terms: rampDown(nil, rho/te, te), bound: te}
}

const (
	reasonMemoryless = "memoryless caches (the half-life rule) keep some old answers at every time"
	reasonStale      = "optimistic serve-stale without a stale limit: a cold name keeps the old answer until its next query"
)

// cacheCurve returns the stale curve of one cache layer.
func cacheCurve(p cacheParams) (curve, error) {
	lowered := p.w > 0 && p.t1 < p.t0
	if !lowered {
		p.t1, p.w = p.t0, 0
	}
	if p.memoryless {
		return memorylessCurve(p), nil
	}
	if p.lambda == 0 {
		// A busy cache: optimistic serve-stale refreshes at once, as if
		// it did not serve stale.
		if !lowered {
			return ramp(1, p.t0), nil
		}
		return loweredBusy(p.t0, p.t1, p.w), nil
	}
	if lowered {
		return sparseLowered(p), nil
	}
	te, l := p.t0, p.lambda
	if te <= 0 {
		return curve{}, nil // not cached: every query asks the servers
	}
	rho := l * te / (1 + l*te)
	if !p.optimistic {
		return ramp(rho, te), nil
	}
	// Optimistic serve-stale (spec, Section 3.5), with a stale limit M:
	// S = rho*(1 - x/te)+ + (1-rho)*[exp(-l*(x-te)+) - exp(-l*M)] for x < te+M.
	cv := ramp(rho, te)
	q := 1 - rho
	cv.terms = append(cv.terms, pw(q, 0, 0), pw(-q, te, 0), ex(q, te, l))
	if p.maxStale > 0 {
		m := p.maxStale
		e := math.Exp(-l * m)
		cv.terms = append(cv.terms, ex(-q*e, te+m, l), pw(-q*e, 0, 0), pw(q*e, te+m, 0))
		cv.bound = te + m
	} else {
		cv.bound, cv.reason = math.Inf(1), reasonStale
	}
	return cv, nil
}

// loweredBusy is the exact curve of a busy cache whose lifetime went from
// t0 to t1 w before the change (spec, Section 3.3, without its W >= T1
// approximation). A cache whose t0 entry expired u after the lowering
// (u uniform on [0, t0]) has refilled every t1 since, so its remaining life
// at the change is t1 - ((w-u) mod t1):
//
//	S(x) = (t0-w-x)+/t0 + [n*(t1-x)+ + min(r, (t1-x)+)]/t0,
//	n = floor(min(w,t0)/t1), r = min(w,t0) - n*t1.
func loweredBusy(t0, t1, w float64) curve {
	var cv curve
	c0 := t0 - w
	cv.terms = rampDown(cv.terms, 1/t0, c0)
	cv.bound = max(c0, 0)
	if t1 > 0 {
		u := min(w, t0)
		n := math.Floor(u / t1)
		r := min(max(u-n*t1, 0), t1)
		cv.terms = rampDown(cv.terms, (n+1)/t0, t1)
		cv.terms = rampDown(cv.terms, -1/t0, t1-r)
		cv.bound = max(cv.bound, t1)
	}
	return cv
}

// memorylessCurve is the curve of a cache whose entries live an
// exponential time with median te (mean tau = te/ln 2): the remaining life
// at any time is again exponential, so S = rho*exp(-x/tau). With a lowered
// TTL, old-lifetime entries survive as exp(-w/tau0); the rest were refilled
// with the new lifetime (for sparse queries: a three-state Markov chain,
// empty / old lifetime / new lifetime, solved in closed form).
func memorylessCurve(p cacheParams) curve {
	cv := curve{bound: math.Inf(1), reason: reasonMemoryless}
	if p.t0 <= 0 {
		return curve{}
	}
	tau0 := p.t0 / math.Ln2
	l := p.lambda
	if p.w == 0 {
		rho := 1.0
		if l > 0 {
			rho = l * tau0 / (1 + l*tau0)
		}
		cv.terms = []term{ex(rho, 0, 1/tau0)}
		return cv
	}
	// Occupancy by old-lifetime entries at the change, and by new ones.
	var old, nw float64
	w, b := p.w, 1/tau0
	if l == 0 {
		old = math.Exp(-w * b)
		nw = 1 - old
	} else {
		rho0 := l * tau0 / (1 + l*tau0)
		old = rho0 * math.Exp(-w*b)
		if p.t1 > 0 {
			// N' = l*(1 - O - N) - N/tau1, N(0) = 0, O = rho0*exp(-b*x).
			a := l + math.Ln2/p.t1
			nw = l / a * -math.Expm1(-a*w)
			if d := a - b; math.Abs(d) > 1e-12*a {
				nw -= l * rho0 * (math.Exp(-b*w) - math.Exp(-a*w)) / d
			} else {
				nw -= l * rho0 * w * math.Exp(-a*w)
			}
		}
	}
	cv.terms = []term{ex(old, 0, b)}
	if p.t1 > 0 && nw > 0 {
		cv.terms = append(cv.terms, ex(nw, 0, math.Ln2/p.t1))
	}
	return cv
}
