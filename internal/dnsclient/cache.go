package dnsclient

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// A Cache remembers the replies a [Resolver] got, so that one job (an audit
// of a domain, say) asks the network each question once however many of its
// parts need the answer. Concurrent lookups of the same question wait for
// the one in flight instead of sending their own. Replies are kept for the
// life of the Cache, whatever their TTL: make one per job. A failed query
// (timeouts, SERVFAIL) is shared by the lookups waiting for it but not
// kept, so a later lookup tries again.
//
// The zero value is ready to use and safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	entries map[cacheKey]*cacheEntry

	queries atomic.Int64 // questions sent to the network
	hits    atomic.Int64 // questions answered from the cache
}

type cacheKey struct {
	name  string // lower case, fully qualified
	qtype uint16
	cd    bool // asked with the CD bit
}

type cacheEntry struct {
	done   chan struct{} // closed when reply and err are set
	reply  *dns.Msg
	server string
	err    error
}

// Queries returns how many questions went to the network through the
// Cache; Hits how many were answered from it (waits for a query in flight
// included).
func (c *Cache) Queries() int64 { return c.queries.Load() }

// Hits returns how many questions were answered from the Cache.
func (c *Cache) Hits() int64 { return c.hits.Load() }

// query answers qname/qtype (asked with the CD bit when cd is set) from
// the cache or by calling fetch once. The reply returned is shared:
// callers must not modify it.
func (c *Cache) query(ctx context.Context, qname string, qtype uint16, cd bool, fetch func() (*dns.Msg, string, error)) (*dns.Msg, string, error) {
	key := cacheKey{strings.ToLower(qname), qtype, cd}
	for {
		c.mu.Lock()
		if c.entries == nil {
			c.entries = map[cacheKey]*cacheEntry{}
		}
		e, ok := c.entries[key]
		if !ok {
			e = &cacheEntry{done: make(chan struct{})}
			c.entries[key] = e
			c.mu.Unlock()
			c.queries.Add(1)
			e.reply, e.server, e.err = fetch()
			if e.err != nil {
				// Not kept: the next lookup asks again.
				c.mu.Lock()
				delete(c.entries, key)
				c.mu.Unlock()
			}
			close(e.done)
			return e.reply, e.server, e.err
		}
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, "", ctx.Err()
		}
		if !endedByCaller(e.err) {
			// The answer, or the failure (SERVFAIL, timeouts), of the
			// question: the waiters share it rather than each asking
			// again in turn.
			c.hits.Add(1)
			return e.reply, e.server, e.err
		}
		// The query in flight stopped because its own caller's context
		// ended: ask again under ours, if it is still live.
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
	}
}

// endedByCaller reports whether a query stopped because the context of the
// lookup that sent it ended, which says nothing about the question.
func endedByCaller(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
