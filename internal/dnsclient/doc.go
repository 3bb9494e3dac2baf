// Package dnsclient is the one place in posturekit that speaks DNS on the
// wire. It is a small stub resolver built on github.com/miekg/dns (v1, which
// is in maintenance mode, so it is wrapped here and nowhere else).
//
// For most uses, make a [Resolver] (the zero value uses the system's name
// servers) and call [Resolver.LookupTXT], [Resolver.LookupMX] or
// [Resolver.LookupNetIP]. They have the same signatures and meanings as the
// methods of [net.Resolver], so code can depend on a small interface that
// both satisfy, and tests can point a Resolver at the in-process server of
// package dnstest.
//
// Unlike the net package, a Resolver does what the mail-security RFCs need:
//
//   - It sends queries with EDNS0 and the DO bit (RFC 6891, RFC 3225), falls
//     back to TCP when a reply is truncated (RFC 7766), and accepts names with
//     underscore labels such as _mta-sts.example.com (RFC 8461, Section 3.1).
//   - TXT records are returned one string per record, with the record's
//     character-strings joined without spaces (RFC 7208, Section 3.3 and
//     RFC 8461, Section 3.1), bytes kept as they came.
//   - A name that has no such record is told apart from a lookup that failed:
//     errors are *net.DNSError values; [IsNotFound] reports the first case,
//     errors.Is(err, [ErrTemporary]) the second. Policies such as MTA-STS and
//     DMARC treat the two differently.
//
// [Resolver.Query] gives the whole reply for any record type when the Lookup
// methods are not enough.
package dnsclient
