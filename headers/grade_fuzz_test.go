package headers

import (
	"strings"
	"testing"
)

// FuzzGrade grades arbitrary header text and page bodies under both
// profiles, and grades their presence: no panic, and a report that holds
// together.
func FuzzGrade(f *testing.F) {
	f.Add(helmetSet, "", false)
	f.Add(cloudFrontManagedSet, "<script src=//cdn.example.net/a.js></script>", true)
	f.Add("Content-Security-Policy: script-src 'nonce-x' 'strict-dynamic' https:\nSet-Cookie: __Host-s=1; Secure; Path=/\nSet-Cookie: sess=1; SameSite", `<meta http-equiv="Content-Security-Policy" content="script-src https://a/%zz/"><base href="https://b.example/"><script src="x.js" integrity="sha256-x"></script>`, false)
	f.Add("Strict-Transport-Security: max-age=1e9, max-age=1\nCross-Origin-Opener-Policy: same-origin; a=\"\\\"\"; b=?0; c=:AA==:", "<meta name=referrer content=origin>", true)
	f.Fuzz(func(t *testing.T, text, body string, noHTTPS bool) {
		set, err := ParseSet(text)
		if err != nil {
			// Grade takes any Set, checked or not.
			set = &Set{}
			for _, line := range strings.Split(text, "\n") {
				name, value, _ := strings.Cut(line, ":")
				set.Add(name, value)
			}
		}
		for _, p := range []Profile{ObservatoryV4, ObservatoryV6} {
			r := Grade(GradeInput{Headers: set, HTML: body, NoHTTPS: noHTTPS, CORS: set}, p)
			if r.Score < 0 || r.Grade == "" || len(r.Tests) != r.TestsQuantity || r.TestsPassed > r.TestsQuantity {
				t.Fatalf("incoherent report: %+v", r)
			}
			for _, tr := range r.Tests {
				if tr.Result == "" || tr.Description == "" {
					t.Fatalf("test %s: result %q without a description", tr.Name, tr.Result)
				}
			}
		}
		if PresenceGrade(set).Grade == "" {
			t.Fatal("no presence grade")
		}
	})
}

// FuzzObservatoryCSP runs the Observatory's CSP reading on one or two
// policies: no panic, and any suggested repair reaches the best result.
func FuzzObservatoryCSP(f *testing.F) {
	f.Add("default-src 'self'; img-src https://a.example/x/", "img-src https://a.example/x/y.png")
	f.Add("script-src 'nonce-abc' 'strict-dynamic' 'unsafe-inline' https:", "")
	f.Add("report-uri /a; report-uri /b; default-src; object-src *", "default-src http:")
	f.Add("script-src h http://x %E2%82", "script-src https://x/%zz/ ftp:")
	f.Fuzz(func(t *testing.T, a, b string) {
		list := []string{a}
		if b != "" {
			list = append(list, b)
		}
		obsCSPTest([]string{a}, list[1:], b, true)
		obsCSPTest(list, nil, "", false)
		if r := obsRepairCSP(a, true); obsCSPTest([]string{r}, nil, "", true).result != resCspDefaultNone {
			t.Fatalf("repair of %q gives %q, which is not the best result", a, r)
		}
	})
}
