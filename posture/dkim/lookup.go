//go:build !js

package dkim

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// TXTResolver looks up TXT records. *net.Resolver and posturekit's DNS
// client satisfy it. A name without TXT records must give a *net.DNSError
// with IsNotFound set; any other error is a failed lookup.
type TXTResolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
}

// Lookup looks up and parses the key record of selector at
// <selector>._domainkey.<domain>, the strings of the TXT record joined
// without spaces (RFC 6376, Section 3.6.2.2). It returns the TXT values
// found as well, for reports.
//
// When the name has no TXT record the error is [ErrNoRecord]. When it has
// more than one, the error is [ErrMultipleRecords]: RFC 6376, Section
// 3.6.2.2 says the results are then undefined (Section 6.1.2 lets a
// verifier pick one), and this package, like go-msgauth, fails rather than
// guess. A failed lookup (a timeout, SERVFAIL) is returned wrapped as it
// came from the resolver, so that callers can tell "no key" from "could not
// find out". A revoked key is returned without error; see
// [Record.Revoked].
func Lookup(ctx context.Context, r TXTResolver, selector, domain string) (*Record, []string, error) {
	if selector == "" {
		return nil, nil, errors.New("dkim: empty selector")
	}
	name := RecordName(selector, domain)
	txts, err := r.LookupTXT(ctx, name)
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			return nil, nil, ErrNoRecord
		}
		return nil, nil, fmt.Errorf("dkim: looking up %s: %w", name, err)
	}
	switch len(txts) {
	case 0:
		return nil, txts, ErrNoRecord
	case 1:
	default:
		return nil, txts, fmt.Errorf("%w: %d TXT records at %s", ErrMultipleRecords, len(txts), name)
	}
	rec, err := Parse(txts[0])
	return rec, txts, err
}
