//go:build !js

package audit

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ck is a check for hand-built reports.
func ck(id string, s Status) Check {
	area, _, _ := strings.Cut(id, ".")
	return Check{ID: id, Area: area, Status: s, Message: id + " " + string(s), Evidence: []string{}}
}

// scored returns the report of checks after scoring.
func scored(checks ...Check) *Report {
	r := &Report{Domain: "example.com", Checks: checks}
	score(r)
	return r
}

func areaMap(r *Report) map[string]int {
	m := map[string]int{}
	for _, a := range r.Areas {
		m[a.Name] = a.Score
	}
	return m
}

func TestWeight(t *testing.T) {
	for id, want := range map[string]int{
		"mail.spf":            3,
		"mail.spf.lookups":    3, // inherits from its thing
		"mail.spf.all":        2, // its own entry
		"mail.spfx":           1, // a prefix only at a dot
		"mail.dmarc.policy":   3,
		"mail.dmarc.rua":      1,
		"mail.dmarc.rua.more": 1,
		"web.hsts.preload":    2,
		"dns.caa":             1,
		"dns.nothing.known":   defaultWeight,
		"":                    defaultWeight,
	} {
		assert.Equal(t, want, Weight(id), id)
	}
	for id, want := range map[string]bool{
		"mail.spf":          true,
		"mail.spf.lookups":  true,
		"mail.dmarc.policy": true,
		"web.certificate":   true,
		"dns.dnssec.mx":     false, // exact IDs only
		"mail.dmarc.rua":    false,
		"mail.dmarcx":       false,
		"mail.tlsrpt":       false,
		"web.hsts":          false,
		"":                  false,
	} {
		assert.Equal(t, want, Critical(id), id)
	}
}

func TestScoreAreas(t *testing.T) {
	// The README's worked example.
	r := scored(readmeExample()...)
	assert.Equal(t, map[string]int{"mail": 61, "dns": 64, "web": 75}, areaMap(r))
	assert.Equal(t, 67, r.Score) // (40*61 + 20*64 + 40*75) / 100 = 67.2
	assert.Equal(t, "C", r.Grade)
	// Areas come in the fixed order mail, dns, web.
	require.Len(t, r.Areas, 3)
	assert.Equal(t, []string{"mail", "dns", "web"}, []string{r.Areas[0].Name, r.Areas[1].Name, r.Areas[2].Name})

	// Rounding is half up, on the share of weighted points.
	r = scored(ck("dns.caa", Pass), ck("dns.soa", Warn), ck("dns.ttl", Fail), ck("dns.x", Fail)) // 3 of 8
	assert.Equal(t, 38, areaMap(r)["dns"])                                                       // 37.5
	r = scored(ck("dns.caa", Pass), ck("dns.soa", Fail), ck("dns.ttl", Fail))                    // 2 of 6
	assert.Equal(t, 33, areaMap(r)["dns"])

	// Info and error are not scored; an area with nothing scored is left
	// out, and the others share its weight.
	r = scored(ck("mail.spf", Pass), ck("mail.dkim", Info), ck("dns.dnssec", Error), ck("dns.caa", Info))
	assert.Equal(t, map[string]int{"mail": 100}, areaMap(r))
	assert.Equal(t, 100, r.Score)
	assert.Equal(t, "B", r.Grade, "an error caps the grade at B")

	// Only the mail and web areas: 40:40.
	r = scored(ck("mail.spf", Pass), ck("web.tls", Fail))
	assert.Equal(t, 50, r.Score)
}

func TestScoreNothingScored(t *testing.T) {
	for _, r := range []*Report{
		scored(),
		scored(ck("mail.spf", Error), ck("dns.caa", Error)),
		scored(ck("mail.dkim", Info)),
	} {
		assert.Equal(t, 0, r.Score)
		assert.Equal(t, "?", r.Grade)
		assert.NotNil(t, r.Areas, "areas must encode as [], not null")
		assert.Empty(t, r.Areas)
	}
}

func TestGradeBands(t *testing.T) {
	for score, want := range map[int]string{
		100: "A+", 95: "A+", 94: "A", 90: "A", 89: "B", 80: "B",
		79: "C", 65: "C", 64: "D", 50: "D", 49: "F", 0: "F",
	} {
		assert.Equal(t, want, grade(score, nil), "score %d", score)
	}
}

func TestGradeCaps(t *testing.T) {
	many := func(n int, id string, s Status) []Check {
		cs := make([]Check, n)
		for i := range cs {
			cs[i] = ck(id+"."+strconv.Itoa(i), s)
		}
		return cs
	}
	// 40 passes of weight 1 and one fail of a minor check: 98, but A+
	// needs no fail.
	r := scored(append(many(40, "mail.other", Pass), ck("mail.tlsrpt", Fail))...)
	assert.Equal(t, 98, r.Score)
	assert.Equal(t, "A", r.Grade)

	// A fail of a critical check caps at C whatever the score.
	r = scored(append(many(40, "mail.other", Pass), ck("mail.dmarc.policy", Fail))...)
	assert.Equal(t, 93, r.Score)
	assert.Equal(t, "C", r.Grade)

	// A critical check's warn does not cap.
	r = scored(append(many(40, "mail.other", Pass), ck("mail.dmarc.policy", Warn))...)
	assert.Equal(t, 97, r.Score) // 83 of 86 points
	assert.Equal(t, "A+", r.Grade)

	// An error caps at B; with a critical fail, the lower cap wins.
	r = scored(append(many(10, "web.other", Pass), ck("web.hsts", Error))...)
	assert.Equal(t, 100, r.Score)
	assert.Equal(t, "B", r.Grade)
	r = scored(append(many(40, "web.other", Pass), ck("web.hsts", Error), ck("web.tls", Fail))...)
	assert.Equal(t, "C", r.Grade)

	// A cap never raises a grade.
	r = scored(ck("mail.spf", Fail), ck("mail.other", Error))
	assert.Equal(t, 0, r.Score)
	assert.Equal(t, "F", r.Grade)
}

// readmeExample is the report the README's "Audit" section scores by hand.
func readmeExample() []Check {
	return []Check{
		ck("mail.spf", Pass),           // 3 of 3
		ck("mail.dmarc", Warn),         // 1.5 of 3
		ck("mail.mta-sts", Fail),       // 0 of 2
		ck("mail.tlsrpt", Pass),        // 1 of 1
		ck("mail.dkim", Info),          // not scored
		ck("dns.dnssec", Warn),         // 1.5 of 3
		ck("dns.ns", Pass),             // 2 of 2
		ck("dns.caa", Fail),            // 0 of 1
		ck("dns.ipv6", Pass),           // 1 of 1
		ck("web.tls", Pass),            // 3 of 3
		ck("web.hsts", Warn),           // 1 of 2
		ck("web.headers", Pass),        // 2 of 2
		ck("web.security_txt", Fail),   // 0 of 1
		ck("web.http_redirect", Error), // not scored; caps at B
	}
}

// TestREADMEScoring keeps the README's tables of weights and critical
// checks, grades and caps in step with the code.
func TestREADMEScoring(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(b)
	start := strings.Index(readme, "\n## Audit")
	require.GreaterOrEqual(t, start, 0, `README.md has no "## Audit" section`)
	section := readme[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}

	// | `mail.spf` | 3 | yes |
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9._-]+)` \\| (\\d+) \\| (yes|) \\|$")
	got := map[string]int{}
	gotCritical := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		n, _ := strconv.Atoi(m[2])
		got[m[1]] = n
		if m[3] == "yes" {
			gotCritical[m[1]] = true
		}
	}
	assert.Equal(t, weights, got, "README weight table")
	assert.Equal(t, critical, gotCritical, "README critical column")

	// | A+ | 95 |
	band := regexp.MustCompile(`(?m)^\| (A\+|[A-F]) \| (\d+) \|`)
	var bands []string
	for _, m := range band.FindAllStringSubmatch(section, -1) {
		bands = append(bands, m[1]+" "+m[2])
	}
	var want []string
	for _, g := range grades {
		want = append(want, g.grade+" "+strconv.Itoa(g.min))
	}
	assert.Equal(t, want, bands, "README grade table")

	for area, w := range areaWeights {
		assert.Contains(t, section, area+" "+strconv.Itoa(w)+"%", "README area weight")
	}
	for _, s := range []string{
		"mail 61, dns 64, web 75", "overall 67", "grade C",
		"at most " + capFail, "at most " + capError, "at most " + capCritical,
	} {
		assert.Contains(t, section, s)
	}
}
