package headers

import (
	"regexp"
	"testing"
)

// The grade's string tests are written by hand so the browser build links
// no regular expressions; these tests hold them to the expressions they
// replace.
var (
	reProtocolRelative = regexp.MustCompile(`^//[^/]`)
	reFullURL          = regexp.MustCompile(`^https?://`)
	reScheme           = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:`)
	reVersion          = regexp.MustCompile(`\d+\.\d+`)
)

var matchInputs = []string{
	"", "/", "//", "///", "//a", "//\n", "//\xff", "/a", "http://x", "https://x", "HTTP://x",
	"http:/x", "https:", "httpss://x", "ftp://x", "javascript:alert(1)", "a:", ":", "1a:",
	"a1+.-:x", "a_b:", "Ab9:", "a b:", "mailto:x@y", "data:text/html,x", "z:", "Z:", "@:",
	"[:", "`:", "{:", "a\xff:", "nginx", "nginx/1.25.3", "Apache/2.4", "1.2", ".1", "1.", "a1.b2",
	"v 1 . 2", "12..3", "x1.2x", "١.٢", "1.\xff", "Server 10.0",
}

func checkMatchers(t *testing.T, s string) {
	t.Helper()
	if got, want := obsProtocolRelative(s), reProtocolRelative.MatchString(s); got != want {
		t.Errorf("obsProtocolRelative(%q) = %v, the expression %v", s, got, want)
	}
	if got, want := obsFullURL(s), reFullURL.MatchString(s); got != want {
		t.Errorf("obsFullURL(%q) = %v, the expression %v", s, got, want)
	}
	if got, want := obsSchemePrefix(s), reScheme.FindString(s); got != want {
		t.Errorf("obsSchemePrefix(%q) = %q, the expression %q", s, got, want)
	}
	if got, want := versionInValue(s), reVersion.MatchString(s); got != want {
		t.Errorf("versionInValue(%q) = %v, the expression %v", s, got, want)
	}
}

func TestMatchersAsExpressions(t *testing.T) {
	for _, s := range matchInputs {
		checkMatchers(t, s)
	}
	// Every string of up to three bytes from an alphabet that reaches
	// every branch.
	alphabet := []byte("/:.aZ09+-_ \n\xff")
	var walk func(prefix []byte)
	walk = func(prefix []byte) {
		checkMatchers(t, string(prefix))
		if len(prefix) == 3 {
			return
		}
		for _, c := range alphabet {
			walk(append(prefix, c))
		}
	}
	walk(nil)
}

func FuzzMatchersAsExpressions(f *testing.F) {
	for _, s := range matchInputs {
		f.Add(s)
	}
	f.Fuzz(checkMatchers)
}
