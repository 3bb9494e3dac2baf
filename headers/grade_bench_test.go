package headers

import "testing"

// BenchmarkGrade grades helmet's header set under the default profile.
func BenchmarkGrade(b *testing.B) {
	in := GradeInput{Headers: mustSet(b, helmetSet)}
	b.ReportAllocs()
	for b.Loop() {
		if r := Grade(in, DefaultProfile); r.Grade != "A+" {
			b.Fatal(r.Grade)
		}
	}
}

// BenchmarkGradeHTML adds a page with scripts and a <meta> policy, and
// cookies.
func BenchmarkGradeHTML(b *testing.B) {
	s := mustSet(b, helmetSet+"Set-Cookie: __Host-sid=1; Path=/; Secure; HttpOnly; SameSite=Lax\nSet-Cookie: theme=dark; Secure; SameSite=Strict\n")
	in := GradeInput{Headers: s, HTML: `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="script-src 'self' https://cdn.example.net"><meta name="referrer" content="no-referrer"><script src="/app.js"></script><script src="https://cdn.example.net/lib.js" integrity="sha384-x" crossorigin="anonymous"></script></head><body><p>Hello</p></body></html>`}
	b.ReportAllocs()
	for b.Loop() {
		Grade(in, ObservatoryV4)
	}
}

// BenchmarkPresenceGrade grades helmet's set securityheaders.com's way.
func BenchmarkPresenceGrade(b *testing.B) {
	s := mustSet(b, helmetSet)
	b.ReportAllocs()
	for b.Loop() {
		PresenceGrade(s)
	}
}
