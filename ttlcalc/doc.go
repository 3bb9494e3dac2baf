// Package ttlcalc models how a DNS change reaches clients over time, and
// plans migrations around it.
//
// The rule of thumb says a TTL behaves like a half-life: 50% of clients
// updated after one TTL, 75% after two, "wait five TTLs". It is wrong in
// both directions. A resolver that honours the TTL and is queried often
// holds the old answer for a remaining life uniform on [0, TTL], so the
// updated fraction rises linearly and reaches 100% after one TTL, not 50%.
// The last few percent of clients sit behind resolvers that impose their
// own TTL floors (an ISP that keeps everything for a day), stub caches with
// fixed lifetimes (browsers, the JVM), serve-stale, and the parent's copy of
// a delegation; they set the tail, which no multiple of the TTL describes.
//
// A [Population] mixes resolver classes ([Class]: client share, TTL cap and
// floor, fixed lifetime, query rate, prefetch, serve-stale mode and limit,
// delegation centricity and caps, negative-answer cap) with their stub
// layers ([Stub]: count-down, fixed lifetime, floor). [Preset] gives four:
// "honouring" (one ideal resolver), "default" (calibrated to two
// measurements and labelled as an assumption in every output),
// "conservative", and "halflife" (the rule of thumb itself, for
// comparison); [ParsePopulation] reads others from JSON. A [Change] is a
// record change (with an optional earlier TTL reduction), a name that was
// cached as non-existent (RFC 2308), or a delegation change.
//
// For most uses:
//   - call [Evaluate] for a [Report]: the updated fraction at some times,
//     the times to reach some fractions, the time to 100% (or why there is
//     none), and the breakdown by class;
//   - call [PlanChange] for a migration [Plan]: when to lower which TTL, how
//     long to wait, when to switch, how long the old endpoint or servers
//     must stay alive, and warnings (TTL floors, the parent's NS TTL,
//     DNSSEC, cold names behind optimistic serve-stale);
//   - call [New] for a [Model] to ask many questions of, or to plot with
//     [Model.SVG], which draws the half-life rule beside the curve.
//
// The model follows the project's ttlcalc spec (the evidence, formulas and
// proposed model of DNS change propagation), Sections 3 and 5: closed forms for busy caches (Section 3.1), sparse
// Poisson queries (3.2), a TTL lowered ahead of the change (3.3, exact also
// when the lead time is not a multiple of the new TTL), stub layers (3.4,
// for any number of fixed-lifetime layers), optimistic serve-stale with a
// stale limit (3.5), negative caching (3.6), delegations (3.7) and
// memoryless caches (3.9). A sparse cache whose TTL was lowered has no
// closed form and is solved numerically from its renewal equation. The
// tests check every form against a step-by-step Monte Carlo simulation of
// caches and queries.
//
// Times are measured from the change: when it is live on every
// authoritative server (record, negative), or when it is submitted to the
// registry (delegation, published [Change.PublishDelay] later). Fractions
// are of client queries. Nothing here touches the network.
package ttlcalc
