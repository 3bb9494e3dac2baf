package headers

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type headersBlock struct {
	path   string
	unset  []string
	names  []string // in order
	values map[string]string
}

// parseHeadersFile reads a _headers file as both hosts do: "#" comments,
// a path line, indented "Name: value" lines (a name repeated in a block is
// joined with ", ") and "! Name" detach lines.
func parseHeadersFile(t *testing.T, text string) []*headersBlock {
	var blocks []*headersBlock
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if strings.HasPrefix(trimmed, "/") {
			assert.Equal(t, trimmed, line, "a path line is not indented")
			blocks = append(blocks, &headersBlock{path: trimmed, values: map[string]string{}})
			continue
		}
		require.NotEmpty(t, blocks, "a header before any path: %q", line)
		b := blocks[len(blocks)-1]
		if name, ok := strings.CutPrefix(trimmed, "!"); ok {
			b.unset = append(b.unset, strings.TrimSpace(name))
			continue
		}
		name, value, ok := strings.Cut(trimmed, ":")
		require.True(t, ok, line)
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if old, dup := b.values[name]; dup {
			b.values[name] = old + ", " + value
			continue
		}
		b.names = append(b.names, name)
		b.values[name] = value
	}
	return blocks
}

// cloudflareHeaders applies the blocks as Cloudflare's asset server does
// (workers-shared asset-worker getHeaders): every matching block in file
// order, its detached names deleted first, then each header set, or
// appended with ", " when an earlier block set it.
func cloudflareHeaders(blocks []*headersBlock, path string) map[string]string {
	out := map[string]string{}
	setByFile := map[string]bool{}
	for _, b := range blocks {
		parts := strings.Split(b.path, "*")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		if !regexp.MustCompile("^" + strings.Join(parts, "(.*)") + "$").MatchString(path) {
			continue
		}
		for _, n := range b.unset {
			delete(out, strings.ToLower(n))
		}
		for _, n := range b.names {
			k := strings.ToLower(n)
			if setByFile[k] {
				if old, ok := out[k]; ok {
					out[k] = old + ", " + b.values[n]
					continue
				}
			}
			out[k] = b.values[n]
			setByFile[k] = true
		}
	}
	return out
}

var netlifyCommas = regexp.MustCompile(`\s*,\s*`)

// netlifyHeaders applies the blocks as Netlify's headers parser and its
// CLI do (netlify/build headers-parser, netlify-cli headersForPath): the
// path is matched case-insensitively with an optional trailing "/", "!"
// lines are skipped (no colon), commas in values are normalized to ", ",
// and a later matching block's header replaces an earlier one.
func netlifyHeaders(blocks []*headersBlock, path string) map[string]string {
	out := map[string]string{}
	for _, b := range blocks {
		var parts []string
		for _, part := range strings.Split(b.path, "/") {
			switch {
			case part == "":
				continue
			case part == "*":
				parts = append(parts, "?(.*)")
			case strings.Contains(part, "*"):
				parts = append(parts, strings.ReplaceAll(part, "*", "(.*)"))
			default:
				parts = append(parts, regexp.QuoteMeta(part))
			}
		}
		re := regexp.MustCompile("(?i)^/" + strings.Join(parts, "/") + "/?$")
		if !re.MatchString(path) {
			continue
		}
		for _, n := range b.names {
			out[strings.ToLower(n)] = netlifyCommas.ReplaceAllString(b.values[n], ", ")
		}
	}
	return out
}

func TestHeadersFileHosts(t *testing.T) {
	for name, site := range serverSites() {
		out, err := Render("headers-file", site)
		require.NoError(t, err, name)
		blocks := parseHeadersFile(t, out)
		require.Equal(t, "/*", blocks[0].path)
		for _, p := range testPaths {
			want := wantByName(site, p)
			assert.Equal(t, want, pick(site, cloudflareHeaders(blocks, p)), "cloudflare %s %s", name, p)
			if strings.ToLower(p) != p {
				continue // Netlify matches paths case-insensitively
			}
			for k, v := range want {
				want[k] = netlifyCommas.ReplaceAllString(v, ", ")
			}
			assert.Equal(t, want, pick(site, netlifyHeaders(blocks, p)), "netlify %s %s", name, p)
		}
	}
}

func TestHeadersFileText(t *testing.T) {
	out, err := Render("headers-file", strictSite())
	require.NoError(t, err)
	assert.Contains(t, out, "\n/*\n  Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\n")
	assert.Contains(t, out, "\n/assets/*\n  ! Cache-Control\n  Cache-Control: public, max-age=86400\n  X-Robots-Tag: noindex\n")
	assert.Contains(t, out, "\n/*.css\n  ! Cache-Control\n  Cache-Control: public, max-age=31536000, immutable\n")
	assert.Contains(t, out, "\n/robots.txt\n  ! Cache-Control\n")
	assert.NotContains(t, out, "Warning")

	long := &Site{Headers: fields("Content-Security-Policy", "default-src 'self'"+strings.Repeat(" https://a.example", 120))}
	out, err = Render("headers-file", long)
	require.NoError(t, err)
	assert.Contains(t, out, "# Warning: Cloudflare refuses lines over 2000 characters (Content-Security-Policy).")

	for _, s := range []*Site{
		{Headers: fields("Link", "</:splat>; rel=preload")},
		{Paths: []PathRule{{Pattern: "*/index.html", Headers: fields("A", "b")}}},
		{Paths: []PathRule{{Pattern: "/a/", Headers: fields("A", "b")}, {Pattern: "/a/", Headers: fields("B", "c")}}},
	} {
		_, err := Render("headers-file", s)
		assert.ErrorIs(t, err, ErrRender)
	}
}

// vercelHeaders applies a vercel.json's headers as Vercel documents:
// every entry whose source matches, a later one's header replacing an
// earlier one's. Sources here are literal text and "(.*)".
func vercelHeaders(t *testing.T, text, path string) map[string]string {
	var cfg struct {
		Headers []struct {
			Source  string
			Headers []struct{ Key, Value string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(text), &cfg))
	out := map[string]string{}
	for _, e := range cfg.Headers {
		parts := strings.Split(e.Source, "(.*)")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		if !regexp.MustCompile("^" + strings.Join(parts, ".*") + "$").MatchString(path) {
			continue
		}
		for _, h := range e.Headers {
			out[strings.ToLower(h.Key)] = h.Value
		}
	}
	return out
}

func TestVercel(t *testing.T) {
	for name, site := range serverSites() {
		out, err := Render("vercel", site)
		require.NoError(t, err)
		for _, p := range testPaths {
			assert.Equal(t, wantByName(site, p), pick(site, vercelHeaders(t, out, p)), "%s %s", name, p)
		}
	}
	out, err := Render("vercel", strictSite())
	require.NoError(t, err)
	assert.Contains(t, out, `"source": "/(.*)"`)
	assert.Contains(t, out, `"source": "/assets/(.*)"`)
	assert.Contains(t, out, `"source": "/(.*).css"`)
	assert.Contains(t, out, `"source": "/robots.txt"`)
	out, err = Render("vercel", &Site{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"headers": []}`, out)
}
