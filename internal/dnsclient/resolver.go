package dnsclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

const (
	defaultTimeout = 2 * time.Second
	defaultRetries = 1

	// ednsUDPSize is the UDP payload size advertised in queries: the size
	// that avoids IP fragmentation on nearly every path (DNS Flag Day 2020;
	// RFC 9715).
	ednsUDPSize = 1232

	// readBufferSize is the buffer for UDP replies. It is larger than
	// ednsUDPSize so that a server that ignores our advertised size still
	// gives a reply that parses.
	readBufferSize = dns.DefaultMsgSize

	// resolvConf is the system resolver configuration read when
	// Resolver.Servers is empty.
	resolvConf = "/etc/resolv.conf"
)

// fallbackServers is used when the system configuration cannot be read or
// names no server, as the C library and the net package do.
var fallbackServers = []string{"127.0.0.1:53"}

// A Resolver sends DNS queries to recursive name servers. The zero value
// uses the system's servers. A Resolver is safe for concurrent use; its
// fields should not be changed while lookups are in flight.
type Resolver struct {
	// Servers are the addresses of the name servers, "host:port" where the
	// port may be left out (then 53), tried in order. IPv6 addresses may
	// be written "::1", "[::1]" or "[::1]:53". If empty, the servers of
	// /etc/resolv.conf are used (read once per process), or 127.0.0.1:53
	// when it cannot be read or lists none.
	Servers []string

	// Timeout limits each attempt (one UDP exchange, and the TCP exchange
	// after a truncated reply, each get this much). Zero means 2s. The
	// context given to a lookup bounds the whole lookup.
	Timeout time.Duration

	// Retries is the number of extra attempts at a server after an attempt
	// timed out, before the next server is tried. Zero means 1; a negative
	// value means no retries.
	Retries int

	// Cache, when not nil, keeps the replies: each question goes to the
	// network once, and concurrent lookups of it share one query. Replies
	// from a cache are shared between callers and must not be modified.
	Cache *Cache

	// CheckingDisabled sets the CD bit in queries: a validating resolver
	// then answers without DNSSEC validation (RFC 4035, Section 3.2.2),
	// so an answer that is SERVFAIL without it and NOERROR with it was
	// bogus. A Cache keeps the replies to such queries apart.
	CheckingDisabled bool
}

// systemServers reads the system configuration once per process.
var systemServers = sync.OnceValue(func() []string {
	return readResolvConf(resolvConf)
})

// readResolvConf returns the "host:port" addresses of the name servers in
// the resolv.conf file at path, or fallbackServers.
func readResolvConf(path string) []string {
	conf, err := dns.ClientConfigFromFile(path)
	if err != nil || len(conf.Servers) == 0 {
		return fallbackServers
	}
	port := conf.Port
	if port == "" {
		port = "53"
	}
	servers := make([]string, 0, len(conf.Servers))
	for _, s := range conf.Servers {
		servers = append(servers, net.JoinHostPort(s, port))
	}
	return servers
}

// serverAddr adds the default port 53 to a server address without one.
func serverAddr(s string) string {
	if _, _, err := net.SplitHostPort(s); err == nil {
		return s
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	return net.JoinHostPort(s, "53")
}

func (r *Resolver) servers() []string {
	if len(r.Servers) == 0 {
		return systemServers()
	}
	servers := make([]string, len(r.Servers))
	for i, s := range r.Servers {
		servers[i] = serverAddr(s)
	}
	return servers
}

func (r *Resolver) timeout() time.Duration {
	if r.Timeout <= 0 {
		return defaultTimeout
	}
	return r.Timeout
}

func (r *Resolver) attempts() int {
	switch {
	case r.Retries < 0:
		return 1
	case r.Retries == 0:
		return 1 + defaultRetries
	default:
		return 1 + r.Retries
	}
}

// Query asks the servers for the records of type qtype (dns.TypeTXT, ...)
// at name, which is made fully qualified. A name that is not a valid domain
// name (a label over 63 bytes, say) gives a not-found error without a
// query. It returns the reply when its
// rcode is NOERROR or NXDOMAIN: callers check reply.Rcode and find the
// records in reply.Answer, where CNAMEs are not followed.
//
// Queries ask for recursion, carry EDNS0 with the DO bit, go over UDP and
// are repeated over TCP when the reply is truncated. An attempt that times
// out is repeated Retries times, then the next server is asked; a server
// that fails in any other way (SERVFAIL, REFUSED, network error) is skipped
// at once. Errors are *net.DNSError values that wrap [ErrTemporary] (and,
// when ctx ended the lookup, ctx.Err(); when the server answered with an
// error rcode, a [*ReplyError] holding that reply).
func (r *Resolver) Query(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	reply, _, err := r.query(ctx, name, dns.Fqdn(name), qtype)
	if r.Cache != nil && reply != nil {
		reply = reply.Copy() // The cached one is shared.
	}
	return reply, err
}

// query is Query for qname (fully qualified); errors are reported for name,
// the name the caller asked about. It also returns the server that
// answered.
func (r *Resolver) query(ctx context.Context, name, qname string, qtype uint16) (*dns.Msg, string, error) {
	typ := typeString(qtype)
	if _, ok := dns.IsDomainName(qname); !ok {
		// As the net package does for names that cannot exist.
		return nil, "", notFoundError(name, "", typ, true)
	}
	if r.Cache != nil {
		reply, server, err := r.Cache.query(ctx, qname, qtype, r.CheckingDisabled, func() (*dns.Msg, string, error) {
			return r.ask(ctx, name, qname, qtype)
		})
		if err != nil && ctx.Err() != nil {
			return nil, server, contextError(ctx, name, server, typ)
		}
		return reply, server, err
	}
	return r.ask(ctx, name, qname, qtype)
}

// ask sends the question to the servers in turn.
func (r *Resolver) ask(ctx context.Context, name, qname string, qtype uint16) (*dns.Msg, string, error) {
	typ := typeString(qtype)
	var lastErr error
	for _, server := range r.servers() {
	attempts:
		for range r.attempts() {
			if ctx.Err() != nil {
				return nil, server, contextError(ctx, name, server, typ)
			}
			reply, err := exchange(ctx, server, qname, qtype, r.CheckingDisabled, r.timeout())
			if err != nil && ctx.Err() != nil {
				return nil, server, contextError(ctx, name, server, typ)
			}
			if err != nil {
				timeout := isTimeout(err)
				lastErr = temporaryError(name, server, typ, err.Error(), err, timeout)
				if timeout {
					continue
				}
				break attempts
			}
			switch reply.Rcode {
			case dns.RcodeSuccess, dns.RcodeNameError:
				return reply, server, nil
			}
			lastErr = rcodeError(name, server, typ, reply)
			break attempts
		}
	}
	if lastErr == nil {
		// Only when there are no servers at all.
		lastErr = temporaryError(name, "", typ, "no name servers", nil, false)
	}
	return nil, "", lastErr
}

// contextError is returned when ctx ended a lookup.
func contextError(ctx context.Context, name, server, typ string) error {
	err := ctx.Err()
	if errors.Is(err, context.DeadlineExceeded) {
		return temporaryError(name, server, typ, err.Error(), err, true)
	}
	return &net.DNSError{
		Err:       err.Error() + " (" + typ + ")",
		Name:      name,
		Server:    server,
		UnwrapErr: err,
	}
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &netErr) && netErr.Timeout()
}

// exchange makes one attempt: a UDP exchange, and a TCP exchange if the UDP
// reply was truncated (RFC 7766, Section 5). cd sets the CD bit.
func exchange(ctx context.Context, server, qname string, qtype uint16, cd bool, timeout time.Duration) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(qname, qtype) // Sets a random ID.
	m.RecursionDesired = true
	m.CheckingDisabled = cd
	m.SetEdns0(ednsUDPSize, true) // RFC 6891; DO bit, RFC 3225.

	reply, err := exchangeConn(ctx, "udp", server, m, timeout)
	if err != nil || !reply.Truncated {
		return reply, err
	}
	m.Id = dns.Id()
	return exchangeConn(ctx, "tcp", server, m, timeout)
}

// exchangeConn sends m over a new connection and reads the reply, within
// timeout, and stops early when ctx is done.
func exchangeConn(ctx context.Context, network, server string, m *dns.Msg, timeout time.Duration) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var d net.Dialer
	nc, err := d.DialContext(ctx, network, server)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	if deadline, ok := ctx.Deadline(); ok {
		if err := nc.SetDeadline(deadline); err != nil {
			return nil, err
		}
	}
	// Deadlines only cover the timeout; cancellation of ctx unblocks reads
	// and writes this way.
	stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	conn := &dns.Conn{Conn: nc, UDPSize: readBufferSize}
	if err := conn.WriteMsg(m); err != nil {
		return nil, err
	}
	for {
		// ReadMsg returns a nil reply only with a read error, and a partial
		// reply (with its header) when the message does not parse.
		reply, err := conn.ReadMsg()
		if network == "udp" && reply != nil && reply.Id != m.Id {
			continue // A stray datagram, perhaps a late reply: keep waiting.
		}
		if err != nil {
			return nil, err
		}
		if err := checkReply(m, reply); err != nil {
			if network == "udp" {
				continue // Not an answer to our question: perhaps spoofed.
			}
			return nil, err
		}
		return reply, nil
	}
}

// checkReply reports whether reply answers query m.
func checkReply(m, reply *dns.Msg) error {
	if reply.Id != m.Id {
		return fmt.Errorf("reply has ID %d, want %d", reply.Id, m.Id)
	}
	if !reply.Response {
		return errors.New("reply is not a response")
	}
	if reply.Opcode != m.Opcode {
		return fmt.Errorf("reply has opcode %d, want %d", reply.Opcode, m.Opcode)
	}
	if len(reply.Question) == 0 && reply.Rcode != dns.RcodeSuccess && reply.Rcode != dns.RcodeNameError {
		return nil // Some servers leave out the question in error replies.
	}
	q := m.Question[0]
	if len(reply.Question) != 1 {
		return fmt.Errorf("reply has %d questions, want 1", len(reply.Question))
	}
	// Names compare case-insensitively (RFC 4343).
	if rq := reply.Question[0]; !strings.EqualFold(rq.Name, q.Name) || rq.Qtype != q.Qtype || rq.Qclass != q.Qclass {
		return fmt.Errorf("reply is for question %q, want %q", rq.String(), q.String())
	}
	return nil
}
