package ttlcalc

import (
	"time"
)

// Kind is the kind of DNS change.
type Kind string

// Kinds of change.
const (
	// KindRecord: a record's data changes (a new address, a new target).
	// Caches hold the old data for up to its TTL, as they keep it.
	KindRecord Kind = "record"
	// KindNegative: a name that clients asked for while it did not exist
	// is created. Caches hold the negative answer for min(SOA TTL, SOA
	// MINIMUM), capped by their negative cap (RFC 2308, Sections 3 and 5).
	KindNegative Kind = "negative"
	// KindDelegation: a zone moves to new name servers: the NS RRset
	// changes at the parent (the registry) and at the child (the zone).
	KindDelegation Kind = "delegation"
)

// Defaults the command line applies to a delegation change; the zero
// values of [Change] mean zero.
const (
	// DefaultParentNSTTL is the NS TTL of .com and .net, which registrants
	// usually cannot lower (RFC 9803 adds an EPP extension for registries
	// that implement it).
	DefaultParentNSTTL = 172800 * time.Second
	// DefaultPublishDelay is the time a registry takes to publish a
	// delegation change (the .cz zone is regenerated every 30 min).
	DefaultPublishDelay = 5 * time.Minute
)

// Change is one DNS change. Time 0 is when the change is made: live on all
// authoritative servers for a record or negative change, submitted to the
// registry for a delegation (which the registry publishes PublishDelay
// later). Fields that do not apply to the Kind must be zero.
type Change struct {
	// Kind is the kind of change; "" is KindRecord.
	Kind Kind `json:"kind"`
	// TTL is the record's TTL as served before the change (record only).
	TTL time.Duration `json:"ttl"`
	// LoweredTTL, when above 0, is a TTL lowered LeadTime before the
	// change, from TTL (record), from min(SOATTL, SOAMinimum) (negative),
	// or from ChildNSTTL at the old provider (delegation). 0: not lowered.
	LoweredTTL time.Duration `json:"lowered_ttl"`
	// LeadTime is how long before the change the TTL was lowered.
	LeadTime time.Duration `json:"lead_time"`
	// PublishDelay is the time from the change until caches can see it:
	// the registry's publication delay for a delegation, NOTIFY/IXFR lag
	// to secondaries for a record.
	PublishDelay time.Duration `json:"publish_delay"`
	// ParentNSTTL is the NS TTL at the parent (delegation only; .com and
	// .net: 172800 s, see DefaultParentNSTTL).
	ParentNSTTL time.Duration `json:"parent_ns_ttl"`
	// ChildNSTTL is the NS TTL in the zone at the old provider (delegation
	// only).
	ChildNSTTL time.Duration `json:"child_ns_ttl"`
	// ChildNSUnseen is the share of child-centric resolvers that have not
	// seen the child's NS RRset (minimal responses) and so follow the
	// parent's TTL, in [0, 1] (delegation only).
	ChildNSUnseen float64 `json:"child_ns_unseen"`
	// SOATTL and SOAMinimum are the TTL and MINIMUM of the zone's SOA
	// record (negative only); the negative TTL is their minimum (RFC 2308,
	// Section 3).
	SOATTL     time.Duration `json:"soa_ttl"`
	SOAMinimum time.Duration `json:"soa_minimum"`
}

// kind returns the kind, defaulting to KindRecord.
func (c Change) kind() Kind {
	if c.Kind == "" {
		return KindRecord
	}
	return c.Kind
}

// CurrentTTL is the TTL the change is about, before any lowering: the
// record's TTL, the negative TTL min(SOATTL, SOAMinimum), or the child's NS
// TTL.
func (c Change) CurrentTTL() time.Duration {
	switch c.kind() {
	case KindNegative:
		return min(c.SOATTL, c.SOAMinimum)
	case KindDelegation:
		return c.ChildNSTTL
	}
	return c.TTL
}

// RuleTTL is the TTL the half-life rule of thumb would use for the change:
// the lowered TTL when it was lowered ahead, else [Change.CurrentTTL]; for
// a delegation, at most the parent's NS TTL.
func (c Change) RuleTTL() time.Duration {
	t := c.CurrentTTL()
	if c.LoweredTTL > 0 && c.LeadTime > 0 {
		t = c.LoweredTTL
	}
	if c.kind() == KindDelegation {
		t = min(t, c.ParentNSTTL)
	}
	return t
}

// Validate checks the change. Errors are [*FieldError] values naming the
// field, wrapping [ErrChange].
func (c Change) Validate() error {
	k := c.kind()
	switch k {
	case KindRecord, KindNegative, KindDelegation:
	default:
		return changeErr("kind", "%q: want record, negative or delegation", c.Kind)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"ttl", c.TTL}, {"lowered_ttl", c.LoweredTTL}, {"lead_time", c.LeadTime}, {"publish_delay", c.PublishDelay},
		{"parent_ns_ttl", c.ParentNSTTL}, {"child_ns_ttl", c.ChildNSTTL}, {"soa_ttl", c.SOATTL}, {"soa_minimum", c.SOAMinimum},
	} {
		if d.v < 0 || d.v > MaxTTL {
			return changeErr(d.name, "%s is not in [0, %ds] (RFC 2181, Section 8)", FormatDuration(d.v), int64(MaxTTL/time.Second))
		}
	}
	notFor := func(field string) error {
		return changeErr(field, "does not apply to a %s change", k)
	}
	if k != KindRecord && c.TTL != 0 {
		if k == KindNegative {
			return changeErr("ttl", "does not apply to a negative change; give soa_ttl and soa_minimum")
		}
		return changeErr("ttl", "does not apply to a delegation change; give parent_ns_ttl and child_ns_ttl")
	}
	if k != KindDelegation {
		switch {
		case c.ParentNSTTL != 0:
			return notFor("parent_ns_ttl")
		case c.ChildNSTTL != 0:
			return notFor("child_ns_ttl")
		case c.ChildNSUnseen != 0:
			return notFor("child_ns_unseen")
		}
	}
	if k != KindNegative {
		switch {
		case c.SOATTL != 0:
			return notFor("soa_ttl")
		case c.SOAMinimum != 0:
			return notFor("soa_minimum")
		}
	}
	if !(c.ChildNSUnseen >= 0 && c.ChildNSUnseen <= 1) {
		return changeErr("child_ns_unseen", "%v is not in [0, 1]", c.ChildNSUnseen)
	}
	if c.LoweredTTL > 0 && c.LoweredTTL >= c.CurrentTTL() {
		what := map[Kind]string{KindRecord: "ttl", KindNegative: "the negative TTL min(soa_ttl, soa_minimum)", KindDelegation: "child_ns_ttl"}[k]
		return changeErr("lowered_ttl", "%s is not below %s (%s)", FormatDuration(c.LoweredTTL), what, FormatDuration(c.CurrentTTL()))
	}
	if c.LeadTime > 0 && c.LoweredTTL == 0 {
		return changeErr("lead_time", "set without lowered_ttl")
	}
	return nil
}
