//go:build !js

package tlsrpt

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

// Lookup looks up the TXT records at _smtp._tls.<domain> and applies
// [Select] to them. It returns the TXT values found as well, for reports.
// When the name has no TXT record the error is [ErrNoRecord]; a failed
// lookup (a timeout, SERVFAIL) is returned wrapped as it came from the
// resolver, so that callers can tell "no TLS-RPT" from "could not find
// out".
func Lookup(ctx context.Context, r TXTResolver, domain string) (*Record, []string, error) {
	name := RecordName(domain)
	txts, err := r.LookupTXT(ctx, name)
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			return nil, nil, ErrNoRecord
		}
		return nil, nil, fmt.Errorf("tlsrpt: looking up %s: %w", name, err)
	}
	rec, err := Select(txts)
	return rec, txts, err
}
