package headers

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type cfnTemplate struct {
	AWSTemplateFormatVersion string
	Description              string
	Resources                map[string]struct {
		Type       string
		Properties struct {
			ResponseHeadersPolicyConfig policyJSON
		}
	}
	Outputs map[string]struct {
		Description string
		Value       struct{ Ref string }
	}
}

type policyJSON struct {
	Name                  map[string]string
	Comment               string
	SecurityHeadersConfig struct {
		StrictTransportSecurity *struct {
			AccessControlMaxAgeSec     int
			IncludeSubdomains, Preload bool
			Override                   bool
		}
		ContentSecurityPolicy *struct {
			ContentSecurityPolicy string
			Override              bool
		}
		ContentTypeOptions *struct{ Override bool }
		FrameOptions       *struct {
			FrameOption string
			Override    bool
		}
		ReferrerPolicy *struct {
			ReferrerPolicy string
			Override       bool
		}
		XSSProtection *struct {
			Protection, ModeBlock, Override bool
			ReportUri                       string
		}
	}
	CustomHeadersConfig *struct {
		Items []struct {
			Header, Value string
			Override      bool
		}
	}
}

// headers is what CloudFront sends for a policy.
func (p policyJSON) headers(t *testing.T) map[string]string {
	out := map[string]string{}
	sec := p.SecurityHeadersConfig
	if h := sec.StrictTransportSecurity; h != nil {
		assert.True(t, h.Override)
		v := fmt.Sprintf("max-age=%d", h.AccessControlMaxAgeSec)
		if h.IncludeSubdomains {
			v += "; includeSubDomains"
		}
		if h.Preload {
			v += "; preload"
		}
		out["strict-transport-security"] = v
	}
	if h := sec.ContentSecurityPolicy; h != nil {
		assert.True(t, h.Override)
		out["content-security-policy"] = h.ContentSecurityPolicy
	}
	if h := sec.ContentTypeOptions; h != nil {
		assert.True(t, h.Override)
		out["x-content-type-options"] = "nosniff"
	}
	if h := sec.FrameOptions; h != nil {
		assert.True(t, h.Override)
		out["x-frame-options"] = h.FrameOption
	}
	if h := sec.ReferrerPolicy; h != nil {
		assert.True(t, h.Override)
		out["referrer-policy"] = h.ReferrerPolicy
	}
	if h := sec.XSSProtection; h != nil {
		v := "0"
		if h.Protection {
			v = "1"
			if h.ModeBlock {
				v += "; mode=block"
			}
			if h.ReportUri != "" {
				v += "; report=" + h.ReportUri
			}
		}
		out["x-xss-protection"] = v
	}
	if p.CustomHeadersConfig != nil {
		for _, it := range p.CustomHeadersConfig.Items {
			assert.True(t, it.Override)
			out[strings.ToLower(it.Header)] = it.Value
		}
	}
	return out
}

// cloudFrontPattern turns a CloudFront PathPattern into a regular
// expression: "*" is any characters, "?" one.
func cloudFrontPattern(p string) *regexp.Regexp {
	var b strings.Builder
	for _, c := range p {
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return regexp.MustCompile("^" + b.String() + "$")
}

// TestPolicyAsCloudFront reads the template, attaches its policies to
// cache behaviors as its outputs say, and checks, for each test path, that
// the policy of the first matching cache behavior sends Site.For(path).
func TestPolicyAsCloudFront(t *testing.T) {
	for name, site := range map[string]*Site{"strict": strictSite(), "escape": escapeSite(), "multi": multiSite()} {
		out, err := Render("cloudfront-policy-json", site)
		require.NoError(t, err, name)
		var tpl cfnTemplate
		require.NoError(t, json.Unmarshal([]byte(out), &tpl), name)
		assert.Equal(t, "2010-09-09", tpl.AWSTemplateFormatVersion)
		assert.LessOrEqual(t, len(tpl.Description), 1024)
		type behavior struct {
			re     *regexp.Regexp
			policy policyJSON
		}
		var behaviors []behavior
		def := tpl.Resources["SecurityHeadersPolicy"].Properties.ResponseHeadersPolicyConfig
		for i := 1; ; i++ {
			id := fmt.Sprintf("SecurityHeadersPolicy%d", i)
			res, ok := tpl.Resources[id]
			if !ok {
				break
			}
			assert.Equal(t, "AWS::CloudFront::ResponseHeadersPolicy", res.Type)
			cfg := res.Properties.ResponseHeadersPolicyConfig
			assert.LessOrEqual(t, len(cfg.Comment), 128)
			pattern := strings.TrimPrefix(cfg.Comment, "posturekit security headers, PathPattern ")
			assert.Contains(t, tpl.Outputs[id+"Id"].Description, fmt.Sprintf("PathPattern %s (precedence %d,", pattern, i-1))
			assert.Equal(t, id, tpl.Outputs[id+"Id"].Value.Ref)
			behaviors = append(behaviors, behavior{cloudFrontPattern(pattern), cfg})
		}
		assert.Len(t, tpl.Resources, len(behaviors)+1)
		for _, p := range testPaths {
			policy := def
			for _, b := range behaviors {
				if b.re.MatchString(p) {
					policy = b.policy
					break
				}
			}
			assert.Equal(t, wantByName(site, p), policy.headers(t), "%s %s", name, p)
		}
	}
}

func TestPolicyYAMLMatchesJSON(t *testing.T) {
	for _, site := range []*Site{strictSite(), escapeSite(), multiSite(), {}} {
		j, err := Render("cloudfront-policy-json", site)
		require.NoError(t, err)
		y, err := Render("cloudfront-policy-yaml", site)
		require.NoError(t, err)
		assert.YAMLEq(t, j, y)
	}
}

func TestPolicyFields(t *testing.T) {
	out, err := Render("cloudfront-policy-yaml", &Site{Headers: fields(
		"Strict-Transport-Security", "max-age=31536000",
		"X-Frame-Options", "sameorigin",
		"X-XSS-Protection", "1; mode=block",
		"Referrer-Policy", "NO-REFERRER",
	)})
	require.NoError(t, err)
	assert.Contains(t, out, `
        SecurityHeadersConfig:
          StrictTransportSecurity:
            AccessControlMaxAgeSec: 31536000
            IncludeSubdomains: false
            Preload: false
            Override: true
          FrameOptions:
            FrameOption: "SAMEORIGIN"
            Override: true
          XSSProtection:
            Protection: true
            ModeBlock: true
            Override: true
          ReferrerPolicy:
            ReferrerPolicy: "no-referrer"
            Override: true
Outputs:`)
	out, err = Render("cloudfront-policy-json", &Site{Headers: fields("X-XSS-Protection", "0", "X-Content-Type-Options", "nosniff")})
	require.NoError(t, err)
	assert.Contains(t, out, `"XSSProtection": {
              "Protection": false,
              "Override": true
            },
            "ContentTypeOptions": {
              "Override": true
            }`)
	assert.NotContains(t, out, "CustomHeadersConfig")
}

func TestPolicyErrors(t *testing.T) {
	long := "default-src 'self'; script-src 'self'" + strings.Repeat(" 'sha256-Vt1k4w5u6mRLMQk0aVi7NrsNa6WQ3ut3KzgFr9uM9Xk='", 34)
	require.Greater(t, len(long), CloudFrontMaxValue)
	bad := map[string]struct {
		site *Site
		want string
	}{
		"long csp":       {&Site{Headers: fields("Content-Security-Policy", long)}, "a CloudFront response headers policy takes at most 1783"},
		"long csp rule":  {&Site{Paths: []PathRule{{Pattern: "*.html", Headers: fields("Content-Security-Policy", long)}}}, "precedence 0, rules *.html: Content-Security-Policy: the policy is"},
		"xfo allow-from": {&Site{Headers: fields("X-Frame-Options", "ALLOW-FROM https://a.example")}, "DENY or SAMEORIGIN"},
		"referrer list":  {&Site{Headers: fields("Referrer-Policy", "no-referrer, strict-origin-when-cross-origin")}, "one policy token"},
		"hsts no max":    {&Site{Headers: fields("Strict-Transport-Security", "includeSubDomains")}, "no max-age"},
		"hsts odd":       {&Site{Headers: fields("Strict-Transport-Security", "max-age=1; foo")}, `directive "foo"`},
		"xcto":           {&Site{Headers: fields("X-Content-Type-Options", "sniff")}, "only sends nosniff"},
		"xss both":       {&Site{Headers: fields("X-XSS-Protection", "1; mode=block; report=/r")}, "not both"},
		"two csp":        {&Site{Headers: fields("Content-Security-Policy", "default-src 'self'", "Content-Security-Policy", "img-src 'self'")}, "appears 2 times"},
		"long custom":    {&Site{Headers: fields("X-Long", strings.Repeat("a", MaxPolicyHeaderValue+1))}, "takes at most 1783"},
		"total":          {&Site{Headers: fields("X-A", strings.Repeat("a", 1700), "X-B", strings.Repeat("a", 1700), "X-C", strings.Repeat("a", 1700), "X-D", strings.Repeat("a", 1700), "X-E", strings.Repeat("a", 1700), "X-F", strings.Repeat("a", 1700), "X-G", strings.Repeat("a", 1700))}, "add up to"},
	}
	for name, c := range bad {
		for _, f := range []string{"cloudfront-policy-json", "cloudfront-policy-yaml"} {
			_, err := Render(f, c.site)
			assert.ErrorIs(t, err, ErrRender, name)
			assert.ErrorContains(t, err, c.want, name)
		}
	}
	// Over the custom-header quota is a note, not an error: it can be raised.
	var many Set
	for i := range MaxPolicyCustomHeaders + 1 {
		many.Add(fmt.Sprintf("X-H%d", i), "v")
	}
	out, err := Render("cloudfront-policy-json", &Site{Headers: many})
	require.NoError(t, err)
	assert.Contains(t, out, "11 custom headers, over the default quota of 10")
}
