package headers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSiteFor(t *testing.T) {
	site := &Site{Paths: []PathRule{
		{Pattern: "*.css", Headers: Set{Fields: []Field{{"Cache-Control", "public, max-age=31536000, immutable"}}}},
		{Pattern: "/admin/", Headers: Set{Fields: []Field{{"X-Robots-Tag", "noindex"}}}},
	}}
	site.Headers.Add("Cache-Control", "no-cache")
	site.Headers.Add("X-Content-Type-Options", "nosniff")
	css := site.For("/assets/site.css")
	v, _ := css.Get("Cache-Control")
	assert.Equal(t, "public, max-age=31536000, immutable", v)
	assert.Len(t, css.Fields, 2)
	admin := site.For("/admin/index.html")
	assert.Equal(t, []string{"noindex"}, admin.Values("X-Robots-Tag"))
	home := site.For("/")
	v, _ = home.Get("Cache-Control")
	assert.Equal(t, "no-cache", v)
	assert.Len(t, site.Headers.Fields, 2, "For does not change the site")
}

func TestRenderRawJSON(t *testing.T) {
	site := &Site{}
	site.Headers.Add("X-Frame-Options", "DENY")
	out, err := Render("raw", site)
	require.NoError(t, err)
	assert.Equal(t, "X-Frame-Options: DENY\n", out)
	site.Paths = []PathRule{{Pattern: "*.css", Headers: Set{Fields: []Field{{"Cache-Control", "max-age=31536000"}}}}}
	out, err = Render("raw", site)
	require.NoError(t, err)
	back, err := ParseSet(out)
	require.NoError(t, err)
	assert.Equal(t, site.Headers, *back, "raw output reads back as the set; path rules are comments")
	assert.Contains(t, out, "#   *.css  Cache-Control: max-age=31536000\n")
	site.Paths = nil
	out, err = Render("json", site)
	require.NoError(t, err)
	assert.JSONEq(t, `{"X-Frame-Options": "DENY"}`, out)
	_, err = Render("bogus", site)
	assert.ErrorContains(t, err, `unknown format "bogus"`)
}
