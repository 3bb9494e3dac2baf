package dnsclient

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/miekg/dns"
)

// Errors wrapped by the *net.DNSError values this package returns (see
// [net.DNSError.UnwrapErr]); test them with errors.Is.
var (
	// ErrNotFound means the name does not exist (NXDOMAIN) or has no record
	// of the requested type (NODATA). The answer is authoritative: callers
	// should act on the absence of the record, for example by treating a
	// domain as having no policy.
	ErrNotFound = errors.New("dnsclient: no such record")

	// ErrTemporary means the lookup failed: a timeout, a network error, or
	// a server that answered SERVFAIL, REFUSED or another error code. The
	// name may well have the record; callers should retry later or fall
	// back to cached data, not act as if the record were absent.
	ErrTemporary = errors.New("dnsclient: temporary failure")
)

// IsNotFound reports whether err says that the name has no record of the
// requested type or does not exist. It recognises the errors of this package
// and any *net.DNSError with IsNotFound set, so it works with the errors of
// [net.Resolver] too.
func IsNotFound(err error) bool {
	if errors.Is(err, ErrNotFound) {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// typeString names a query type for error messages: "TXT", "TYPE65280".
func typeString(qtype uint16) string {
	return dns.Type(qtype).String()
}

// isNXDOMAIN reports whether err is a not-found error of this package for
// a name that does not exist.
func isNXDOMAIN(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound && strings.HasPrefix(dnsErr.Err, noSuchHost)
}

const (
	noSuchHost   = "no such host"   // NXDOMAIN, as the net package says.
	noSuchRecord = "no such record" // NODATA
)

// notFoundError is returned for NXDOMAIN (nxdomain true) and NODATA.
func notFoundError(name, server, typ string, nxdomain bool) *net.DNSError {
	desc := noSuchRecord
	if nxdomain {
		desc = noSuchHost
	}
	return &net.DNSError{
		Err:        desc + " (" + typ + ")",
		Name:       name,
		Server:     server,
		IsNotFound: true,
		UnwrapErr:  ErrNotFound,
	}
}

// temporaryError is returned when a lookup failed. cause, if not nil, is
// wrapped next to ErrTemporary so that errors.Is finds both.
func temporaryError(name, server, typ, desc string, cause error, timeout bool) *net.DNSError {
	unwrap := ErrTemporary
	if cause != nil {
		unwrap = fmt.Errorf("%w: %w", ErrTemporary, cause)
	}
	return &net.DNSError{
		Err:         desc + " (" + typ + ")",
		Name:        name,
		Server:      server,
		IsTimeout:   timeout,
		IsTemporary: true,
		UnwrapErr:   unwrap,
	}
}

// A ReplyError is wrapped by the error for a reply whose rcode is neither
// NOERROR nor NXDOMAIN (SERVFAIL, REFUSED, ...). Its Reply may say why in
// the OPT record's Extended DNS Errors (RFC 8914); find it with errors.As.
// Lookups waiting on the same query share the reply: do not modify it.
type ReplyError struct {
	Reply *dns.Msg
}

// Error names the rcode.
func (e *ReplyError) Error() string {
	return "reply with rcode " + rcodeString(e.Reply.Rcode)
}

func rcodeString(rcode int) string {
	if rc, ok := dns.RcodeToString[rcode]; ok {
		return rc
	}
	return fmt.Sprintf("RCODE%d", rcode)
}

// rcodeError is returned for a reply whose rcode is neither NOERROR nor
// NXDOMAIN.
func rcodeError(name, server, typ string, reply *dns.Msg) *net.DNSError {
	rc := rcodeString(reply.Rcode)
	desc := "server misbehaving: " + rc
	if reply.Rcode == dns.RcodeRefused {
		desc = "query refused: " + rc
	}
	return temporaryError(name, server, typ, desc, &ReplyError{Reply: reply}, false)
}
