//go:build !js

package mtasts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// FetchBackoff is how long a [Cache] waits before fetching a policy again
// after a failed fetch for the same record id (RFC 8461, Section 3.3).
const FetchBackoff = 5 * time.Minute

// ErrBackoff: a fetch for this policy id failed less than [FetchBackoff]
// ago, so the cache did not try again. It wraps the failure.
var ErrBackoff = errors.New("mtasts: policy fetch failed recently; not retrying yet")

// Entry is a cached policy.
type Entry struct {
	Domain   string    `json:"domain"`
	Policy   *Policy   `json:"policy"`
	RecordID string    `json:"record_id"` // the id of the record that announced the policy
	Fetched  time.Time `json:"fetched"`   // when the policy was last fetched successfully
}

// Expires returns when the entry stops being usable: max_age after the last
// successful fetch (RFC 8461, Section 3.2).
func (e *Entry) Expires() time.Time { return e.Fetched.Add(e.Policy.MaxAgeDuration()) }

// Store keeps cached policies. Implement it to persist the cache across
// restarts (RFC 8461, Section 5.1 expects policies to survive them); the
// default is in memory.
type Store interface {
	// Get returns the entry of a domain; ok is false when there is none.
	Get(ctx context.Context, domain string) (e Entry, ok bool, err error)
	// Put stores an entry, replacing the domain's previous one.
	Put(ctx context.Context, e Entry) error
}

// MemoryStore is a [Store] in memory, safe for concurrent use. The zero
// value is ready to use.
type MemoryStore struct {
	mu sync.Mutex
	m  map[string]Entry
}

// Get implements [Store].
func (s *MemoryStore) Get(_ context.Context, domain string) (Entry, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[domain]
	return e, ok, nil
}

// Put implements [Store].
func (s *MemoryStore) Put(_ context.Context, e Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]Entry{}
	}
	s.m[e.Domain] = e
	return nil
}

// Status says where a policy returned by [Cache.Get] came from.
type Status int

const (
	// StatusFetched: the policy was fetched now, because none was cached, the
	// record id changed, or the cached one was due for a refresh.
	StatusFetched Status = iota + 1
	// StatusCached: the cached policy is current (the record id is unchanged).
	StatusCached
	// StatusCachedAfterFailure: DNS or the fetch failed, or the record is gone,
	// and the unexpired cached policy applies, as RFC 8461, Section 3.3
	// requires. A failure never downgrades a cached policy.
	StatusCachedAfterFailure
)

// String names the status.
func (s Status) String() string {
	switch s {
	case StatusFetched:
		return "fetched"
	case StatusCached:
		return "cached"
	case StatusCachedAfterFailure:
		return "cached after failure"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Cache is the sender side of MTA-STS for Go mail programs: it discovers,
// fetches and caches the policies of recipient domains following RFC 8461,
// Sections 3.3 and 5.1. The policy is fetched again when the record's id
// changes, and refreshed before it expires while the domain keeps receiving
// mail; the last good policy is kept until its max_age runs out; a failed
// fetch is not retried for the same id within [FetchBackoff]; and no
// failure of DNS or HTTPS replaces a cached policy with nothing.
//
// Fetches for different domains run in parallel; a Cache is safe for
// concurrent use. Copying a Cache after first use is not.
type Cache struct {
	// Resolver looks up _mta-sts records; nil means net.DefaultResolver.
	Resolver Resolver
	// Fetcher fetches policies; nil means a Fetcher using Resolver.
	Fetcher *Fetcher
	// Store keeps the policies; nil means an in-memory store.
	Store Store
	// Now returns the time; nil means time.Now. Tests set it.
	Now func() time.Time

	once     sync.Once
	mu       sync.Mutex
	failures map[string]failure // by domain
}

type failure struct {
	id  string
	at  time.Time
	err error
}

func (c *Cache) init() {
	c.once.Do(func() {
		if c.Resolver == nil {
			c.Resolver = net.DefaultResolver
		}
		if c.Fetcher == nil {
			c.Fetcher = &Fetcher{Resolver: c.Resolver}
		}
		if c.Store == nil {
			c.Store = &MemoryStore{}
		}
		if c.Now == nil {
			c.Now = time.Now
		}
		c.failures = map[string]failure{}
	})
}

// refreshAfter is the age at which a cached policy with an unchanged id is
// fetched again, so that it does not expire while mail flows: half its
// max_age, but at least once a day.
func refreshAfter(p *Policy) time.Duration {
	return min(p.MaxAgeDuration()/2, 24*time.Hour)
}

// Get returns the policy that applies to mail for domain. When the policy
// is nil, none applies and the sender delivers as if the domain had no
// MTA-STS (RFC 8461, Section 3.3); err says why ([ErrNoRecord] for a domain
// without MTA-STS). A policy is returned with a non-nil error only when it
// was fetched but the Store could not keep it: apply the policy and log the
// error.
func (c *Cache) Get(ctx context.Context, domain string) (*Policy, Status, error) {
	c.init()
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	now := c.Now()
	cached, ok, err := c.Store.Get(ctx, domain)
	if err != nil {
		return nil, 0, fmt.Errorf("mtasts: policy cache: %w", err)
	}
	if ok && (cached.Policy == nil || !now.Before(cached.Expires())) {
		ok = false // expired: as if never cached
	}
	fallback := func(err error) (*Policy, Status, error) {
		if ok {
			return cached.Policy, StatusCachedAfterFailure, nil
		}
		return nil, 0, err
	}

	rec, _, err := LookupRecord(ctx, c.Resolver, domain)
	if err != nil {
		// No live record (gone, several, malformed, or DNS failed): a
		// cached policy still applies until it expires. A domain
		// withdraws its policy by publishing mode none, not by removing
		// the record (RFC 8461, Section 8.3).
		return fallback(err)
	}
	if ok && rec.ID == cached.RecordID && now.Sub(cached.Fetched) < refreshAfter(cached.Policy) {
		return cached.Policy, StatusCached, nil
	}
	c.mu.Lock()
	f, failed := c.failures[domain]
	c.mu.Unlock()
	if failed && f.id == rec.ID && now.Sub(f.at) < FetchBackoff {
		return fallback(fmt.Errorf("%w: %w", ErrBackoff, f.err))
	}

	p, err := c.Fetcher.FetchPolicy(ctx, domain)
	if err != nil {
		if ctx.Err() == nil { // our caller giving up is not the server failing
			c.mu.Lock()
			c.failures[domain] = failure{id: rec.ID, at: now, err: err}
			c.mu.Unlock()
		}
		return fallback(err)
	}
	c.mu.Lock()
	delete(c.failures, domain)
	c.mu.Unlock()
	if err := c.Store.Put(ctx, Entry{Domain: domain, Policy: p, RecordID: rec.ID, Fetched: now}); err != nil {
		return p, StatusFetched, fmt.Errorf("mtasts: policy cache: %w", err)
	}
	return p, StatusFetched, nil
}
