package headers

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The quoting of each format, one case per line: value, then what the
// configuration file holds (the real servers in render_servers_test.go
// check that they read it back as the value).
func TestQuoting(t *testing.T) {
	nginx := func(in, want string) { t.Helper(); assert.Equal(t, want, nginxQuote(in)) }
	nginx(`plain`, `"plain"`)
	nginx(`a "b" \c`, `"a \"b\" \\c"`)
	nginx(`$x ${y}`, `"${posturekit_dollar}x ${posturekit_dollar}{y}"`) // no escape for "$" in nginx
	nginx(`\t`, `"\\t"`)                                                // not a tab
	assert.Equal(t, `"\\.css$"`, nginxQuoteLiteral(`\.css$`))

	apache := func(in, want string) { t.Helper(); assert.Equal(t, want, apacheQuote(in, true)) }
	apache(`plain`, `"plain"`)
	apache(`100% "q"`, `"100%% \"q\""`)                     // mod_headers format string
	apache(`a\b`, `"a\\\\b"`)                               // mod_headers, then the config parser
	apache(`$x ${HOME}`, `"$x ${POSTUREKIT_DOLLAR}{HOME}"`) // only "${" is a variable
	assert.Equal(t, `"\\.css$"`, apacheQuote(`\.css$`, false))

	caddy := func(in, want string) {
		t.Helper()
		got, err := caddyQuote(in)
		assert.NoError(t, err)
		assert.Equal(t, want, got)
	}
	caddy(`plain "q" \ %`, "`plain \"q\" \\ %`")
	caddy(`{host}`, "`\\\\{host\\\\}`")                               // escaped for import
	caddy(`{$HOME}`, "`\\\\{{http.vars.posturekit_empty}$HOME\\\\}`") // "{$" never appears
	caddy("a `b` \"c\"", "\"a `b` \\\"c\\\"\"")
	_, err := caddyQuote("`\\\"")
	assert.ErrorIs(t, err, ErrRender)
	_, err = Render("caddy", &Site{Headers: fields("+X", "a")})
	assert.ErrorContains(t, err, "reads as an operation")

	assert.Equal(t, `"a \"b\" \\ $"`, jsString(`a "b" \ $`))
	assert.Equal(t, `"<&>\u2028"`, jsString("<&>\u2028"))
}

func TestHasSplat(t *testing.T) {
	for v, want := range map[string]bool{":splat": true, "</:splat>": true, "a :splat b": true, ":splatter": false, ":spla": false, "splat": false, ":name": false} {
		assert.Equal(t, want, hasSplat(v), v)
	}
}
