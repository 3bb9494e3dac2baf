//go:build !js

package audit_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/posture/audit"
)

// exampleTB lets an Example start an in-process DNS server, which wants a
// testing.TB: an Example has no *testing.T of its own.
type exampleTB struct {
	testing.TB // nil: only the methods below are called
	cleanups   []func()
}

func (e *exampleTB) Helper()                           {}
func (e *exampleTB) Cleanup(f func())                  { e.cleanups = append(e.cleanups, f) }
func (e *exampleTB) Errorf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
func (e *exampleTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func (e *exampleTB) close() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
}

func ExampleRun() {
	// A DNS server on 127.0.0.1 that serves example.com; a real audit
	// leaves Resolvers empty (the system's) or names a validating
	// resolver the user trusts.
	tb := new(exampleTB)
	defer tb.close()
	srv := dnstest.Start(tb, `
		$ORIGIN example.com.
		@       SOA  ns1 hostmaster 2024010101 7200 3600 1209600 300
		@       NS   ns1
		ns1     A    192.0.2.53
		@       MX   10 mail
		mail    A    192.0.2.25
		@       TXT  "v=spf1 mx -all"
		_dmarc  TXT  "v=DMARC1; p=none; rua=mailto:dmarc@example.com"
	`)

	r, err := audit.Run(context.Background(), "example.com", audit.Options{
		Resolvers: []string{srv.Addr},
		Timeout:   30 * time.Second,
	})
	if err != nil {
		fmt.Println(err) // only for a name that is not a domain
		return
	}
	for _, c := range r.Checks {
		switch c.ID {
		case "mail.spf", "mail.dmarc.policy":
			fmt.Println(c.ID, c.Status, c.Evidence)
			if c.Fix != "" {
				fmt.Println("  fix:", c.Fix)
			}
		}
	}
	// r.WriteText(os.Stdout, false) prints the whole report, and
	// json.Marshal(r) gives {"domain", "score", "grade", "areas", "checks"}.

	// Output:
	// mail.dmarc.policy warn [_dmarc.example.com. IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com"]
	//   fix: _dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com;"
	// mail.spf pass [example.com. IN TXT "v=spf1 mx -all"]
}

func ExampleRunAll() {
	tb := new(exampleTB)
	defer tb.close()
	srv := dnstest.Start(tb, `
		$ORIGIN example.com.
		@  TXT  "v=spf1 -all"
		$ORIGIN example.net.
		@  TXT  "v=spf1 -all"
	`)
	domains := []string{"example.com", "not a domain", "example.net"}
	results := map[string]string{}
	err := audit.RunAll(context.Background(), func(yield func(string) bool) {
		for _, d := range domains {
			if !yield(d) {
				return
			}
		}
	}, audit.Options{Resolvers: []string{srv.Addr}}, 2, func(r audit.Result) {
		// Called as each audit ends, one at a time: a program would
		// write r as a JSON line here.
		if r.Err != nil {
			results[r.Domain] = "error: " + r.Err.Error()
		} else {
			results[r.Domain] = "audited as " + r.Report.Domain
		}
	})
	if err != nil {
		fmt.Println(err)
	}
	for _, d := range domains {
		fmt.Printf("%s: %s\n", d, results[d])
	}
	// Output:
	// example.com: audited as example.com
	// not a domain: error: audit: domain "not a domain": idna: disallowed rune U+0020
	// example.net: audited as example.net
}
