//go:build !js

package headers

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runEdge runs rendered edge code in Node.js on an event per URI (the
// harness in testdata/render) and returns each URI's response headers.
func runEdge(t *testing.T, kind, code string, uris []string) map[string]map[string]string {
	t.Helper()
	node := servertest.NeedTool(t, "node", "nodejs")
	file := filepath.Join(t.TempDir(), "code.js")
	require.NoError(t, os.WriteFile(file, []byte(code), 0o644))
	harness, err := filepath.Abs(filepath.Join("testdata", "render", "edge_harness.js"))
	require.NoError(t, err)
	cmd := exec.Command(node, append([]string{harness, kind, file}, uris...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node: %s\n%s", stderr.String(), code)
	var got map[string]map[string]string
	require.NoError(t, json.Unmarshal(out, &got))
	return got
}

func TestEdgeFunctionsInNode(t *testing.T) {
	for _, kind := range []string{"cloudfront-function", "lambda-edge"} {
		for name, site := range serverSites() {
			t.Run(kind+"/"+name, func(t *testing.T) {
				code, err := Render(kind, site)
				require.NoError(t, err)
				got := runEdge(t, kind, code, testPaths)
				for _, uri := range testPaths {
					require.Contains(t, got, uri)
					assert.Equal(t, wantByName(site, uri), pick(site, got[uri]), uri)
					// The origin's other headers are left alone.
					assert.Equal(t, "text/html", got[uri]["content-type"], uri)
					assert.Equal(t, "AmazonS3", got[uri]["server"], uri)
				}
			})
		}
	}
}

func TestCloudFrontFunctionLimits(t *testing.T) {
	site := &Site{Headers: fields("Content-Security-Policy", strings.TrimSpace("default-src 'self'; script-src 'self' "+strings.Repeat("'sha256-Vt1k4w5u6mRLMQk0aVi7NrsNa6WQ3ut3KzgFr9uM9Xk=' ", 200)))}
	_, err := Render("cloudfront-function", site)
	assert.ErrorContains(t, err, "over CloudFront Functions' 10240-byte limit")
	// The strict site is far below it.
	code, err := Render("cloudfront-function", strictSite())
	require.NoError(t, err)
	assert.Less(t, len(code), 4096)
	assert.Contains(t, code, "function handler(event) {")
	assert.Contains(t, code, `h["strict-transport-security"] = {value: "max-age=63072000; includeSubDomains; preload"};`)
	assert.Contains(t, code, `if (uri.endsWith(".css")) {`)

	for _, name := range []string{"Connection", "X-Amz-Cf-Id", "X-Edge-Location", "Via", "Set-Cookie"} {
		_, err := Render("cloudfront-function", &Site{Headers: fields(name, "x")})
		assert.ErrorIs(t, err, ErrRender, name)
	}
	_, err = Render("lambda-edge", &Site{Headers: fields("Transfer-Encoding", "chunked")})
	assert.ErrorContains(t, err, "read-only")
	_, err = Render("lambda-edge", &Site{Headers: fields("Set-Cookie", "a=b; Secure")})
	assert.NoError(t, err, "Lambda@Edge sets Set-Cookie as a header")
}

func TestLambdaEdgeShape(t *testing.T) {
	code, err := Render("lambda-edge", multiSite())
	require.NoError(t, err)
	assert.Contains(t, code, "exports.handler = async (event) => {")
	assert.Contains(t, code, "const uri = cf.request.uri;")
	assert.Contains(t, code, `h["link"] = [{key: "Link", value: "</a.css>; rel=preload"}, {key: "Link", value: "</b.js>; rel=preload"}];`)
}
