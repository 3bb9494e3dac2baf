package ttlcalc

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// This file is a step-by-step Monte Carlo simulation of resolvers, stub
// caches and queries, written from the mechanism (a query finds the cache
// fresh, expired or empty; a fill keeps the answer for its lifetime; a stub
// fetches from the layer below) and not from the formulas, to check them.
// Its only modelling assumption is the one the formulas make too: the
// change happens at a time independent of each cache's phase, so a busy
// cache's refill schedule starts at a uniformly random offset.

// simEntry is one cached answer: fetched at start, fresh until end.
type simEntry struct {
	start, end float64
	old        bool
}

// simLayer is a cache whose history is known.
type simLayer struct {
	entries []simEntry
	// What a query finds when no entry is fresh.
	stale    bool    // serve the expired entry (optimistic serve-stale)
	maxStale float64 // for at most this long after expiry; 0: no limit
	fetch    func(x float64) (old bool, until float64)
}

// at answers a query at x: old or new data, and until when it is fresh.
func (l *simLayer) at(x float64) (old bool, until float64) {
	i := sort.Search(len(l.entries), func(i int) bool { return l.entries[i].start > x }) - 1
	if i >= 0 {
		e := l.entries[i]
		if x < e.end {
			return e.old, e.end
		}
		if l.stale && (l.maxStale == 0 || x < e.end+l.maxStale) {
			return e.old, x
		}
	}
	return l.fetch(x)
}

// simulator simulates one class for one change.
type simulator struct {
	cl       Class
	ch       Change
	rng      *rand.Rand
	switchAt float64    // the authority serves new data from here
	lowerAt  float64    // and the lowered TTL from here; +Inf: never lowered
	seeChild bool       // this resolver follows the child's NS TTL
	lives    [4]float64 // rules(lowered, seeChild), by lowered + 2*seeChild
	tEnd     float64    // the last time of interest
	res      simLayer
	stubs    []simLayer
}

// lifetime of an answer fetched at s.
func (sm *simulator) lifetime(s float64) float64 {
	i := 0
	if s >= sm.lowerAt {
		i = 1
	}
	if sm.seeChild {
		i += 2
	}
	return sm.lives[i]
}

// rules is the lifetime by the class's rules, before or after the lowering,
// for a resolver that follows the child's NS TTL or not.
func (sm *simulator) rules(lowered, seeChild bool) float64 {
	c, cl := sm.ch, sm.cl
	switch c.kind() {
	case KindDelegation:
		ttl := c.ParentNSTTL.Seconds()
		if seeChild {
			child := c.ChildNSTTL.Seconds()
			if lowered {
				child = c.LoweredTTL.Seconds()
			}
			ttl = math.Min(ttl, child)
		}
		l := math.Max(ttl, cl.DelegFloor.Seconds())
		for _, cp := range []float64{cl.Cap.Seconds(), cl.DelegCap.Seconds()} {
			if cp > 0 {
				l = math.Min(l, cp)
			}
		}
		return l
	case KindNegative:
		ttl := math.Min(c.SOATTL.Seconds(), c.SOAMinimum.Seconds())
		if lowered {
			ttl = c.LoweredTTL.Seconds()
		}
		if cl.NegCap > 0 {
			ttl = math.Min(ttl, cl.NegCap.Seconds())
		}
		return ttl
	}
	ttl := c.TTL.Seconds()
	if lowered {
		ttl = c.LoweredTTL.Seconds()
	}
	if cl.Fixed > 0 {
		return cl.Fixed.Seconds()
	}
	l := math.Max(ttl, cl.Floor.Seconds())
	if cl.Cap > 0 {
		l = math.Min(l, cl.Cap.Seconds())
	}
	return l
}

// keep is how long a fill at s stays fresh: the lifetime, cut short by
// prefetch, or drawn at random for a memoryless cache.
func (sm *simulator) keep(s float64) float64 {
	l := sm.lifetime(s)
	if sm.cl.Memoryless {
		return sm.rng.ExpFloat64() * l / math.Ln2
	}
	if sm.ch.kind() != KindDelegation {
		// Prefetch: a query at age (1-p)*l refreshes the entry.
		l *= 1 - sm.cl.Prefetch
	}
	return l
}

// authority is what the servers give at x.
func (sm *simulator) authority(x float64) (bool, float64) {
	return x < sm.switchAt, x + sm.lifetime(x)
}

// run simulates one resolver and its stubs and returns the time from which
// a client query gets the new answer (before it, the old one: a cache never
// goes back from new to old). u is the uniform random phase of a busy
// cache, stratified by the caller.
func (sm *simulator) run(u float64) float64 {
	cl, rng := sm.cl, sm.rng
	stubs := cl.Stubs
	if sm.ch.kind() == KindDelegation {
		// Stubs cache answers, not delegations.
		stubs = nil
		sm.seeChild = cl.Centricity != ParentCentric && rng.Float64() >= sm.ch.ChildNSUnseen
	}
	stubSum := 0.0
	for _, s := range stubs {
		stubSum += s.Lifetime.Seconds()
	}
	maxL := math.Max(math.Max(sm.lifetime(-1e18), sm.lifetime(sm.switchAt)), 1)
	begin := math.Min(sm.lowerAt, 0) - 3*maxL - 3*stubSum - 10
	tEnd := sm.tEnd
	sm.res.entries = sm.res.entries[:0]
	fill := func(s float64) bool {
		e := simEntry{start: s, end: s + sm.keep(s), old: s < sm.switchAt}
		sm.res.entries = append(sm.res.entries, e)
		return !e.old
	}
	if cl.QueryRate == 0 {
		// A busy cache refills the moment its entry expires.
		s := begin
		if !cl.Memoryless {
			s -= u * sm.keep(begin)
		}
		for s <= tEnd {
			if fill(s) {
				break
			}
			e := sm.res.entries[len(sm.res.entries)-1]
			if e.end > s {
				s = e.end
				continue
			}
			// Not cached: nothing until the next change of lifetime.
			sm.res.entries = sm.res.entries[:len(sm.res.entries)-1]
			switch {
			case s < sm.lowerAt:
				s = sm.lowerAt
			case s < sm.switchAt:
				s = sm.switchAt
			default:
				s = tEnd + 1
			}
		}
	} else {
		// Poisson queries from an empty cache, long enough to forget the
		// start: the phase of a cycle (lifetime + query gap) spreads by a
		// query gap per cycle.
		lam := cl.QueryRate
		cycles := math.Min(12+math.Pow(lam*maxL, 2), 200)
		s := begin - cycles*(maxL+1/lam) - sm.res.maxStale
		for {
			s += rng.ExpFloat64() / lam
			if s > tEnd {
				break
			}
			n := len(sm.res.entries)
			if n > 0 && s < sm.res.entries[n-1].end {
				continue // a hit
			}
			// Expired or empty: the query fills the cache (served stale
			// first in optimistic mode, but the fill is the same).
			if fill(s) {
				break
			}
		}
	}
	below := &sm.res
	for j, st := range stubs {
		if len(sm.stubs) <= j {
			sm.stubs = append(sm.stubs, simLayer{})
		}
		layer := &sm.stubs[j]
		layer.entries = layer.entries[:0]
		layer.fetch = below.at
		l := st.Lifetime.Seconds()
		// Late enough to be cheap, early enough for a floor stub to fall
		// into step with its resolver.
		s := -2*stubSum - 10 - rng.Float64()*math.Max(l, 1)
		if st.Mode == StubFloor {
			s -= 2 * maxL
		}
		for s <= tEnd {
			old, until := below.at(s)
			end := until
			switch st.Mode {
			case StubFixed:
				end = s + l
			case StubFloor:
				end = math.Max(until, s+l)
			case StubCountDown:
				if l > 0 {
					end = math.Min(until, s+l)
				}
			}
			end = math.Max(end, s+1e-6)
			layer.entries = append(layer.entries, simEntry{start: s, end: end, old: old})
			if !old {
				break
			}
			s = end
		}
		below = layer
	}
	// The top layer answers old until its last old entry expires, or, for
	// a resolver serving stale, until the next fill or the stale limit.
	newFrom := sm.switchAt
	es := below.entries
	for i := len(es) - 1; i >= 0; i-- {
		if !es[i].old {
			continue
		}
		until := es[i].end
		if below.stale {
			next := math.Inf(1)
			if i+1 < len(es) {
				next = es[i+1].start
			}
			limit := math.Inf(1)
			if below.maxStale > 0 {
				limit = until + below.maxStale
			}
			until = math.Min(next, limit)
		}
		newFrom = math.Max(newFrom, until)
		break
	}
	return newFrom
}

// simulate returns, for each time (sorted), the share of client queries
// that get the old answer in simulated resolvers (with their stubs), mixed
// by the classes' shares. trials(class) is the number of resolvers to
// simulate for a class.
func simulate(p *Population, c Change, times []float64, trials func(Class) int, seed uint64) []float64 {
	out := make([]float64, len(times))
	for ci, cl := range p.Classes {
		if cl.Share == 0 {
			continue
		}
		sm := &simulator{
			cl:       cl,
			ch:       c,
			rng:      rand.New(rand.NewPCG(seed, uint64(ci))),
			switchAt: c.PublishDelay.Seconds(),
			lowerAt:  math.Inf(1),
		}
		if c.LoweredTTL > 0 && c.LeadTime > 0 {
			sm.lowerAt = -c.LeadTime.Seconds()
		}
		for i := range sm.lives {
			sm.lives[i] = sm.rules(i&1 != 0, i&2 != 0)
		}
		sm.tEnd = slices.Max(times)
		sm.res.fetch = sm.authority
		sm.res.stale = cl.Stale == StaleOptimistic && cl.QueryRate > 0 && c.kind() != KindDelegation
		sm.res.maxStale = cl.MaxStale.Seconds()
		n := trials(cl)
		counts := make([]int, len(times)+1)
		for i := range n {
			newFrom := sm.run((float64(i) + sm.rng.Float64()) / float64(n))
			// Old at every time before newFrom.
			counts[sort.SearchFloat64s(times, newFrom)]++
		}
		// counts[j] resolvers are old at times[:j]; accumulate from the end.
		old := 0
		for j := len(times); j > 0; j-- {
			old += counts[j]
			out[j-1] += cl.Share * float64(old) / float64(n)
		}
	}
	return out
}
