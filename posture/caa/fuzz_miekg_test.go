//go:build !js

package caa

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// FuzzMiekg checks that what Parse accepts on one line, miekg/dns accepts
// too and reads the same way (see TestMiekgDiffers for what only miekg/dns
// accepts).
func FuzzMiekg(f *testing.F) {
	for _, c := range parseCases {
		if !strings.ContainsAny(c.text, "\n") && !strings.HasPrefix(c.text, "CAA") && !strings.HasPrefix(c.text, "IN") {
			f.Add(c.text)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.ContainsAny(text, "\r\n") {
			return
		}
		r, err := Parse(text)
		if err != nil || strings.HasPrefix(strings.TrimLeft(text, " \t("), "CAA") || strings.HasPrefix(strings.TrimLeft(text, " \t("), "IN") ||
			strings.HasPrefix(strings.ToUpper(strings.TrimLeft(text, " \t(")), "CAA") || strings.HasPrefix(strings.ToUpper(strings.TrimLeft(text, " \t(")), "IN") {
			return
		}
		if len(r.Value) > 255 {
			return // miekg/dns refuses them; see TestMiekgDiffers
		}
		rr, err := dns.NewRR("example.com. 3600 IN CAA " + text)
		if err != nil || rr == nil {
			t.Fatalf("Parse accepted %q as %v; miekg/dns: %v", text, r, err)
		}
		if got := FromRR(rr.(*dns.CAA)); got != *r {
			t.Fatalf("%q: Parse read %v, miekg/dns %v", text, r, got)
		}
	})
}
