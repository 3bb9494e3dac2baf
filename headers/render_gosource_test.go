package headers

import (
	"go/format"
	"testing"

	"github.com/stretchr/testify/require"
)

// formattedSites are sites whose go-middleware source must already be in
// gofmt's layout: the render tests' sites, every preset, and sites with
// values Go has to escape (non-ASCII, control-free bytes above 0x7f, quotes,
// backslashes), with rules of every kind and with none.
func formattedSites(t *testing.T) map[string]*Site {
	sites := serverSites()
	for _, p := range Presets() {
		s, err := Preset(p.Name)
		require.NoError(t, err, p.Name)
		sites["preset "+p.Name] = s
	}
	sites["empty"] = &Site{}
	sites["one header"] = &Site{Headers: fields("X-Frame-Options", "DENY")}
	sites["rules only"] = &Site{Paths: []PathRule{
		{Pattern: "/exact", Headers: fields("X-A", "1")},
		{Pattern: "/dir/", Headers: fields("X-B", "2", "X-B", "3")},
		{Pattern: "*.ext", Headers: fields("X-C", "c")},
	}}
	sites["odd values"] = &Site{Headers: fields(
		"X-Unicode", "café ☕ 日本 \u00a0nbsp",
		"X-Latin1", "caf\xe9 \xff",
		"X-Quotes", "`back` \"double\" 'single' \\ \\\\",
		"X-Tab", "a\tb",
		"link", "</x>; rel=preload",
	), Paths: []PathRule{{Pattern: "*.a-b_c~d", Headers: fields("x-lower-case-name", "v")}}}
	return sites
}

// TestGoMiddlewareFormatted checks that format.Source leaves the generated
// go-middleware source as it is, so the browser build, which returns it
// without go/format, gives what the command line gives.
func TestGoMiddlewareFormatted(t *testing.T) {
	for name, site := range formattedSites(t) {
		if err := checkRenderable("go-middleware", site); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		src := goMiddlewareSource(site)
		out, err := format.Source([]byte(src))
		require.NoError(t, err, name)
		require.Equal(t, string(out), src, "%s: the source is not in gofmt's layout", name)
		got, err := Render("go-middleware", site)
		require.NoError(t, err, name)
		require.Equal(t, src, got, name)
	}
}

// FuzzGoMiddlewareFormatted is TestGoMiddlewareFormatted for any site the
// renderer accepts.
func FuzzGoMiddlewareFormatted(f *testing.F) {
	f.Add("Content-Security-Policy: default-src 'self'\nX-Frame-Options: DENY\n", "*.css", "max-age=60")
	f.Add("X-A: ${HOME} {$HOME} \\ \" ` %{x}e\n", "/assets/", "{host}")
	f.Add("X-U: caf\xc3\xa9 \xe2\x98\x95\n", "/caf\xc3\xa9", "\xff")
	f.Fuzz(func(t *testing.T, set, pattern, value string) {
		s, err := ParseSet(set)
		if err != nil {
			return
		}
		site := &Site{Headers: *s, Paths: []PathRule{
			{Pattern: pattern, Headers: Set{Fields: []Field{{"Cache-Control", value}}}},
		}}
		if checkRenderable("go-middleware", site) != nil {
			return
		}
		src := goMiddlewareSource(site)
		out, err := format.Source([]byte(src))
		if err != nil {
			t.Fatalf("generated source does not parse: %v\n%s", err, src)
		}
		if string(out) != src {
			t.Fatalf("generated source is not in gofmt's layout:\n%s", src)
		}
	})
}
