//go:build !js

package command

import (
	"context"
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/internal/dnsclient"
	"github.com/posturekit/posturekit/posture/spf"
)

func init() {
	Register(&Command{
		Path:  []string{"spf"},
		Short: "check a domain's live SPF record and count its DNS lookups through every include",
		Long: `Check the SPF record (RFC 7208) of a live domain: its syntax and what is
legal but unwise (+all, ptr, no all, ...), then follow every include and
redirect through DNS and count, as receivers do, the terms that need DNS
lookups (at most 10 across the whole tree), the MX names of each mx term (at
most 10) and the lookups that find nothing (at most 2). Over a limit,
receivers return permerror and the record protects nothing.

The count is static: terms whose domain holds macros such as %{i} depend on
each message and are counted but not looked up; ptr is counted once.

By default the system's name servers are asked; --resolver names a DNS
server (host:port) that answers every lookup.

Exit status: 0 when valid, 1 when a finding has severity error, 2 when the
check could not run.`,
		Args: Args{Usage: "DOMAIN", Min: 1, Max: 1},
		Flags: []Flag{
			{Name: "resolver", Kind: String, Usage: "DNS server to ask, host:port (default: the system's)"},
		},
		Run: runSPF,
	})
}

func runSPF(ctx context.Context, in *Input) (*Output, error) {
	res := &dnsclient.Resolver{}
	if s := in.String("resolver"); s != "" {
		res.Servers = []string{s}
	}
	ev, err := spf.Evaluate(ctx, res, in.Args[0])
	if err != nil {
		return nil, Usagef("spf: %v", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "domain: %s\n", ev.Domain)
	if ev.Record != "" {
		fmt.Fprintf(&b, "record: %s\n", ev.Record)
	}
	fmt.Fprintf(&b, "lookups: %d of 10, void lookups: %d of 2\n", ev.Lookups, ev.VoidLookups)
	writeTerms(&b, ev.Terms, 1)
	writeFindings(&b, ev.Findings, ev.Valid)
	if ev.Valid {
		b.WriteString("valid\n")
	}
	return &Output{Value: ev, Text: b.String(), Failed: !ev.Valid}, nil
}

// writeTerms renders the tree of evaluated terms, one per line, with what
// each costs.
func writeTerms(b *strings.Builder, terms []*spf.TermResult, depth int) {
	for _, t := range terms {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(t.Term)
		var notes []string
		switch {
		case t.Lookups == 1:
			notes = append(notes, "1 lookup")
		case t.Lookups > 1:
			notes = append(notes, fmt.Sprintf("%d lookups", t.Lookups))
		}
		switch {
		case t.MXNames == 1:
			notes = append(notes, "1 MX name")
		case t.MXNames > 1:
			notes = append(notes, fmt.Sprintf("%d MX names", t.MXNames))
		}
		if t.Void {
			notes = append(notes, "void: found nothing")
		}
		if t.Note != "" {
			notes = append(notes, t.Note)
		}
		if len(notes) > 0 {
			b.WriteString("  ")
			b.WriteString(strings.Join(notes, ", "))
		}
		b.WriteString("\n")
		writeTerms(b, t.Children, depth+1)
	}
}
