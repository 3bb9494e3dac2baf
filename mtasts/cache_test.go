//go:build !js

package mtasts

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// policyServer serves a policy that tests change, and counts requests.
type policyServer struct {
	mu       sync.Mutex
	body     string
	status   int
	requests atomic.Int32
}

func (s *policyServer) set(status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body = status, body
}

func (s *policyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.mu.Lock()
	status, body := s.status, s.body
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

type cacheEnv struct {
	*env
	srv   *policyServer
	cache *Cache
	now   time.Time
}

func zoneWithID(id string) string {
	return strings.Replace(goodZone, "id=20260101000000Z", "id="+id, 1)
}

func newCacheEnv(t *testing.T) *cacheEnv {
	srv := &policyServer{status: 200, body: goodPolicy}
	e := newEnv(t, zoneWithID("one"), []string{"mta-sts.example.test"}, srv.ServeHTTP)
	ce := &cacheEnv{env: e, srv: srv, now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ce.cache = &Cache{Resolver: e.dns.Resolver(), Fetcher: e.fetcher, Now: func() time.Time { return ce.now }}
	return ce
}

func (ce *cacheEnv) get(t *testing.T) (*Policy, Status, error) {
	t.Helper()
	return ce.cache.Get(context.Background(), "Example.TEST.")
}

func (ce *cacheEnv) setID(t *testing.T, id string) {
	t.Helper()
	require.NoError(t, ce.dns.SetZone(zoneWithID(id)))
}

func TestCacheFetchesOnceWhileIDUnchanged(t *testing.T) {
	ce := newCacheEnv(t)
	p, st, err := ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusFetched, st)
	assert.Equal(t, ModeEnforce, p.Mode)
	ce.now = ce.now.Add(time.Hour)
	p2, st, err := ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusCached, st)
	assert.Same(t, p, p2)
	assert.EqualValues(t, 1, ce.srv.requests.Load(), "a cached policy with the same id is not fetched again")
}

func TestCacheRefreshesOnIDChange(t *testing.T) {
	ce := newCacheEnv(t)
	_, _, err := ce.get(t)
	require.NoError(t, err)
	ce.srv.set(200, strings.Replace(goodPolicy, "mx1.example.test", "mx9.example.test", 1))
	ce.setID(t, "two")
	p, st, err := ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusFetched, st)
	assert.True(t, p.Match("mx9.example.test"))
	assert.EqualValues(t, 2, ce.srv.requests.Load())
}

func TestCacheNeverDowngradesOnFailure(t *testing.T) {
	ce := newCacheEnv(t)
	orig, _, err := ce.get(t)
	require.NoError(t, err)

	// The id changes but the new policy cannot be fetched: keep the old one.
	ce.setID(t, "two")
	ce.srv.set(500, "oops")
	p, st, err := ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusCachedAfterFailure, st)
	assert.Same(t, orig, p)
	assert.EqualValues(t, 2, ce.srv.requests.Load())

	// Within the back-off, no new fetch for the same id.
	ce.now = ce.now.Add(FetchBackoff - time.Second)
	_, st, _ = ce.get(t)
	assert.Equal(t, StatusCachedAfterFailure, st)
	assert.EqualValues(t, 2, ce.srv.requests.Load(), "RFC 8461 §3.3: back off after a failed fetch")

	// A malformed new policy does not replace the good one either.
	ce.now = ce.now.Add(2 * time.Second)
	ce.srv.set(200, "version: STSv1\r\nmode: enforce\r\n")
	p, st, err = ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusCachedAfterFailure, st)
	assert.Same(t, orig, p)
	assert.EqualValues(t, 3, ce.srv.requests.Load())

	// Nor does a record that vanished, or DNS that fails.
	require.NoError(t, ce.dns.SetZone(strings.Replace(goodZone, `_mta-sts   TXT  "v=STSv1; id=20260101000000Z;"`, "", 1)))
	p, st, err = ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusCachedAfterFailure, st)
	assert.Same(t, orig, p)
	ce.setID(t, "one")
	ce.dns.Fail("_mta-sts.example.test.", 16, dnstest.FailServFail)
	p, st, err = ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusCachedAfterFailure, st)
	assert.Same(t, orig, p)

	// Once max_age has passed, the cached policy no longer applies.
	ce.now = ce.now.Add(orig.MaxAgeDuration())
	p, _, err = ce.get(t)
	assert.Nil(t, p)
	assert.Error(t, err)
}

func TestCacheWithdrawalByModeNone(t *testing.T) {
	ce := newCacheEnv(t)
	_, _, err := ce.get(t)
	require.NoError(t, err)
	ce.srv.set(200, "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n")
	ce.setID(t, "withdrawn")
	p, st, err := ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusFetched, st)
	assert.Equal(t, ModeNone, p.Mode, "a new id with mode none is how a domain withdraws (RFC 8461 §8.3)")
}

func TestCacheProactiveRefresh(t *testing.T) {
	ce := newCacheEnv(t)
	_, _, err := ce.get(t)
	require.NoError(t, err)
	ce.now = ce.now.Add(25 * time.Hour) // past the daily refresh, same id
	_, st, err := ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusFetched, st)
	e, ok, _ := ce.cache.Store.Get(context.Background(), "example.test")
	require.True(t, ok)
	assert.Equal(t, ce.now, e.Fetched, "a refresh extends the policy's life")

	// A failed refresh keeps the cached policy.
	ce.now = ce.now.Add(25 * time.Hour)
	ce.srv.set(503, "")
	_, st, err = ce.get(t)
	require.NoError(t, err)
	assert.Equal(t, StatusCachedAfterFailure, st)
}

func TestCacheNoPolicy(t *testing.T) {
	ce := newCacheEnv(t)
	require.NoError(t, ce.dns.SetZone(strings.Replace(goodZone, `_mta-sts   TXT  "v=STSv1; id=20260101000000Z;"`, "", 1)))
	p, _, err := ce.get(t)
	assert.Nil(t, p)
	assert.ErrorIs(t, err, ErrNoRecord)

	ce.setID(t, "one")
	ce.srv.set(404, "")
	p, _, err = ce.get(t)
	assert.Nil(t, p)
	assert.ErrorIs(t, err, ErrHTTPStatus)
	_, _, err = ce.get(t)
	assert.ErrorIs(t, err, ErrBackoff)
	assert.ErrorIs(t, err, ErrHTTPStatus)
}
