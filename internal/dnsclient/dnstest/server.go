// Package dnstest runs an in-process authoritative DNS server on the
// loopback interface for tests, and gives a [dnsclient.Resolver] that asks
// it.
//
// For most uses, call [Start] with the records in master-file form, then
// pass [Server.Resolver] to the code under test:
//
//	srv := dnstest.Start(t, `
//	$ORIGIN example.com.
//	_mta-sts  TXT "v=STSv1; id=20240101"
//	@         MX  10 mx1
//	`)
//	txts, err := srv.Resolver().LookupTXT(ctx, "_mta-sts.example.com")
//
// [Server.Fail] makes chosen queries fail, [Server.SetZone] changes the
// records while the server runs, and [Server.Queries] and
// [Server.LastQuery] show what the server was asked.
package dnstest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient"
)

// FailMode says how the server fails the queries chosen with [Server.Fail].
type FailMode int

// The ways to fail.
const (
	FailNone     FailMode = iota // Answer from the zone data (undoes Fail).
	FailServFail                 // Answer with rcode SERVFAIL.
	FailRefused                  // Answer with rcode REFUSED.
	FailDrop                     // Never answer, so the client times out.
)

// String returns the name of the constant, such as "FailDrop".
func (m FailMode) String() string {
	switch m {
	case FailNone:
		return "FailNone"
	case FailServFail:
		return "FailServFail"
	case FailRefused:
		return "FailRefused"
	case FailDrop:
		return "FailDrop"
	}
	return fmt.Sprintf("FailMode(%d)", int(m))
}

// resolverTimeout is the per-attempt timeout of Server.Resolver: short for
// fast timeout tests, and with one retry robust on a loaded machine.
const resolverTimeout = 500 * time.Millisecond

// A Server is an authoritative DNS server for the records it was given,
// listening on 127.0.0.1 over UDP and TCP on the same port. Its methods are
// safe for concurrent use.
//
// It answers with the AA bit: the records of the asked type at the name; at
// a name with a CNAME, the CNAME followed by the answer for its target when
// the target is in the same zone (zones are delimited by SOA records; data
// without any SOA is one zone); NODATA (with the zone's SOA in the authority
// section, if there is one) when the name or an empty non-terminal exists
// without records of the type; NXDOMAIN otherwise. Wildcards are not
// expanded. Over UDP, replies larger than the client's EDNS0 size (512
// without EDNS0) are truncated and have the TC bit set.
type Server struct {
	// Addr is the address of the server, "127.0.0.1:port", for UDP and TCP.
	Addr string

	data    atomic.Pointer[zoneData]
	queries atomic.Int64
	delay   atomic.Int64 // time.Duration before each answer

	mu    sync.Mutex
	fails map[failKey]FailMode
	last  *dns.Msg
}

type failKey struct {
	name  string // Lower case, fully qualified.
	qtype uint16
}

// Start parses zone, RFC 1035 master-file text that may hold $ORIGIN and
// $TTL lines and the records of several zones, and starts a server for
// it. Names are relative to the root until an $ORIGIN, and records without
// a TTL get 3600. The white space that all non-blank lines start with is
// removed first, so the text can be indented like the code around it;
// after that, as in RFC 1035, a line that starts with white space is for
// the owner of the line before. A syntax error, reported with its line,
// fails the test. The server stops when the test ends.
func Start(t testing.TB, zone string) *Server {
	t.Helper()
	data, err := parseZone(zone)
	if err != nil {
		t.Fatalf("dnstest: %v", err)
	}
	s := &Server{fails: map[failKey]FailMode{}}
	s.data.Store(data)

	pc, ln, err := listen()
	if err != nil {
		t.Fatalf("dnstest: %v", err)
	}
	s.Addr = pc.LocalAddr().String()

	handler := dns.HandlerFunc(s.serveDNS)
	udp := &dns.Server{PacketConn: pc, Handler: handler, UDPSize: dns.MaxMsgSize}
	tcp := &dns.Server{Listener: ln, Handler: handler}
	started := make(chan struct{}, 2)
	done := make(chan error, 2)
	for _, srv := range []*dns.Server{udp, tcp} {
		srv.NotifyStartedFunc = func() { started <- struct{}{} }
		go func() { done <- srv.ActivateAndServe() }()
	}
	for range 2 {
		select {
		case <-started:
		case err := <-done:
			pc.Close()
			ln.Close()
			t.Fatalf("dnstest: starting server: %v", err)
		}
	}

	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		errs := []error{udp.ShutdownContext(ctx), tcp.ShutdownContext(ctx)}
		for range 2 {
			select {
			case <-done:
			case <-ctx.Done():
				errs = append(errs, errors.New("server goroutines did not end"))
			}
		}
		if err := errors.Join(errs...); err != nil {
			t.Errorf("dnstest: stopping server: %v", err)
		}
	})
	return s
}

// listen opens a UDP socket on a free port of 127.0.0.1 and a TCP listener
// on the same port, trying other ports while the TCP port is taken.
func listen() (net.PacketConn, net.Listener, error) {
	var lastErr error
	for range 10 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, err
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		lastErr = err
	}
	return nil, nil, fmt.Errorf("no port free for both UDP and TCP: %w", lastErr)
}

// Resolver returns a new resolver that asks only this server, with a
// timeout of 500ms per attempt and one retry. Change its fields to test
// other settings.
func (s *Server) Resolver() *dnsclient.Resolver {
	return &dnsclient.Resolver{
		Servers: []string{s.Addr},
		Timeout: resolverTimeout,
		Retries: 1,
	}
}

// Fail makes the queries for name (relative names are taken as fully
// qualified; case does not matter) and type qtype fail in the given way.
// With qtype dns.TypeANY, queries of every type for name fail; a failure
// set for the exact type takes precedence. FailNone undoes a failure.
func (s *Server) Fail(name string, qtype uint16, mode FailMode) {
	key := failKey{strings.ToLower(dns.Fqdn(name)), qtype}
	s.mu.Lock()
	defer s.mu.Unlock()
	if mode == FailNone {
		delete(s.fails, key)
	} else {
		s.fails[key] = mode
	}
}

// Queries returns the number of queries the server has received, over UDP
// and TCP, including those it failed or dropped.
func (s *Server) Queries() int {
	return int(s.queries.Load())
}

// LastQuery returns a copy of the last query the server received, or nil.
func (s *Server) LastQuery() *dns.Msg {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		return nil
	}
	return s.last.Copy()
}

// SetZone replaces all records with those of zone (as for [Start]) while
// the server runs. On a syntax error it returns the error and keeps the old
// records.
func (s *Server) SetZone(zone string) error {
	data, err := parseZone(zone)
	if err != nil {
		return fmt.Errorf("dnstest: %w", err)
	}
	s.data.Store(data)
	return nil
}

// SetDelay makes the server wait d before answering each query, as a
// server across a network would: benchmarks use it to count the round trips
// on the critical path of a job by its wall time. Zero (the default)
// answers at once.
func (s *Server) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

// serveDNS answers a query.
func (s *Server) serveDNS(w dns.ResponseWriter, req *dns.Msg) {
	s.queries.Add(1)
	if d := time.Duration(s.delay.Load()); d > 0 {
		time.Sleep(d)
	}
	s.mu.Lock()
	s.last = req.Copy()
	mode := FailNone
	if len(req.Question) == 1 {
		mode = s.failMode(req.Question[0])
	}
	s.mu.Unlock()

	resp := new(dns.Msg)
	switch {
	case mode == FailDrop:
		return
	case len(req.Question) != 1 || req.Opcode != dns.OpcodeQuery:
		resp.SetRcode(req, dns.RcodeFormatError)
	case mode == FailServFail:
		resp.SetRcode(req, dns.RcodeServerFailure)
	case mode == FailRefused:
		resp.SetRcode(req, dns.RcodeRefused)
	default:
		resp.SetReply(req)
		resp.Authoritative = true
		s.data.Load().answer(resp, req.Question[0])
	}

	size := dns.MaxMsgSize
	if opt := req.IsEdns0(); opt != nil {
		resp.SetEdns0(dns.DefaultMsgSize, opt.Do()) // DO copied, RFC 3225, Section 3.
	}
	if _, udp := w.LocalAddr().(*net.UDPAddr); udp {
		size = dns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil && int(opt.UDPSize()) > size {
			size = int(opt.UDPSize()) // RFC 6891, Section 6.2.5.
		}
	}
	resp.Truncate(size) // Sets TC if records had to go.
	_ = w.WriteMsg(resp)
}

// failMode returns how to fail a query for q; s.mu is held.
func (s *Server) failMode(q dns.Question) FailMode {
	name := strings.ToLower(q.Name)
	if mode, ok := s.fails[failKey{name, q.Qtype}]; ok {
		return mode
	}
	return s.fails[failKey{name, dns.TypeANY}]
}

// zoneData holds the records of a server; it is not changed once built.
type zoneData struct {
	records map[string][]dns.RR // By lower-case owner name.
	names   map[string]bool     // Owner names and all their ancestors.
	soas    map[string]*dns.SOA // By lower-case owner name: the zone apexes.
}

func parseZone(text string) (*zoneData, error) {
	z := &zoneData{
		records: map[string][]dns.RR{},
		names:   map[string]bool{},
		soas:    map[string]*dns.SOA{},
	}
	zp := dns.NewZoneParser(strings.NewReader(dedent(text)), ".", "zone")
	zp.SetDefaultTTL(3600)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		owner := strings.ToLower(rr.Header().Name)
		z.records[owner] = append(z.records[owner], rr)
		for name := owner; ; {
			z.names[name] = true
			off, end := dns.NextLabel(name, 0)
			if end {
				break
			}
			name = name[off:]
		}
		if soa, ok := rr.(*dns.SOA); ok {
			z.soas[owner] = soa
		}
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("parsing zone: %w", err)
	}
	return z, nil
}

// zoneOf returns the apex of the zone holding name (lower case), the
// closest enclosing SOA owner, or "" if there is none.
func (z *zoneData) zoneOf(name string) string {
	for {
		if _, ok := z.soas[name]; ok {
			return name
		}
		off, end := dns.NextLabel(name, 0)
		if end {
			return ""
		}
		name = name[off:]
	}
}

// addSOA puts the SOA of the zone holding name in the authority section of
// a negative answer (RFC 2308, Section 3).
func (z *zoneData) addSOA(resp *dns.Msg, name string) {
	if soa, ok := z.soas[z.zoneOf(name)]; ok {
		resp.Ns = append(resp.Ns, dns.Copy(soa))
	}
}

// answer fills in resp for question q.
func (z *zoneData) answer(resp *dns.Msg, q dns.Question) {
	name := strings.ToLower(q.Name)
	zone := z.zoneOf(name)
	seen := map[string]bool{}
	for {
		seen[name] = true
		if !z.names[name] {
			resp.Rcode = dns.RcodeNameError
			z.addSOA(resp, name)
			return
		}
		var cname *dns.CNAME
		var n int
		for _, rr := range z.records[name] {
			switch {
			case q.Qtype == dns.TypeANY || rr.Header().Rrtype == q.Qtype:
				// Copied: packing a message writes to its records.
				resp.Answer = append(resp.Answer, dns.Copy(rr))
				n++
			case rr.Header().Rrtype == dns.TypeCNAME:
				cname = rr.(*dns.CNAME)
			}
		}
		if n > 0 {
			return
		}
		if cname == nil {
			z.addSOA(resp, name) // NODATA
			return
		}
		resp.Answer = append(resp.Answer, dns.Copy(cname))
		// RFC 1034, Section 4.3.2, step 3a: restart at the target, but
		// only within the zone; the client asks for the rest.
		name = strings.ToLower(cname.Target)
		if seen[name] || z.zoneOf(name) != zone {
			return
		}
	}
}

// dedent removes the longest run of white space that every non-blank line
// of text starts with.
func dedent(text string) string {
	lines := strings.Split(text, "\n")
	prefix, first := "", true
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if first {
			prefix, first = indent, false
			continue
		}
		for !strings.HasPrefix(indent, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if prefix == "" {
		return text
	}
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			lines[i] = ""
		} else {
			lines[i] = strings.TrimPrefix(line, prefix)
		}
	}
	return strings.Join(lines, "\n")
}
