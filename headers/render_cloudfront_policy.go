package headers

import (
	"fmt"
	"strconv"
	"strings"
)

// CloudFront response headers policy quotas (CloudFront Developer Guide,
// quotas on response headers policies).
const (
	// MaxPolicyHeaderValue is the longest value of a custom header (the
	// CSP's limit is the same: CloudFrontMaxValue).
	MaxPolicyHeaderValue = CloudFrontMaxValue
	// MaxPolicyTotal bounds the names and values of a policy's headers,
	// added up.
	MaxPolicyTotal = 10240
	// MaxPolicyCustomHeaders is the default quota of custom headers in one
	// policy (it can be raised).
	MaxPolicyCustomHeaders = 10
	// maxPolicies is the default quota of response headers policies in
	// an account.
	maxPolicies = 20
)

func init() {
	RegisterRenderer(Renderer{
		Name:   "cloudfront-policy-json",
		Short:  "a CloudFormation template (JSON) of AWS::CloudFront::ResponseHeadersPolicy resources: one for the default cache behavior, one per path-rule cache behavior",
		Render: func(s *Site) (string, error) { return renderPolicy("cloudfront-policy-json", s, false) },
	})
	RegisterRenderer(Renderer{
		Name:   "cloudfront-policy-yaml",
		Short:  "the same CloudFormation template in YAML",
		Render: func(s *Site) (string, error) { return renderPolicy("cloudfront-policy-yaml", s, true) },
	})
}

// renderPolicy writes a CloudFormation template of response headers
// policies. A cache behavior has one policy, so path rules need one cache
// behavior each: the template has a policy for the default cache behavior
// (the site's headers) and one for each set of rules that can match a path
// together, in the order of precedence their cache behaviors need (the
// first cache behavior whose PathPattern matches serves the request). The
// Outputs give each policy's ID with its PathPattern. Every header has
// Override true: the policy's value replaces the origin's.
func renderPolicy(format string, s *Site, yaml bool) (string, error) {
	if err := checkRenderable(format, s); err != nil {
		return "", err
	}
	rules := activeRules(s)
	cases, err := ruleCases(format, s, rules)
	if err != nil {
		return "", err
	}
	resources := obj{}
	outputs := obj{}
	var notes []string
	add := func(id, pattern, where string, set Set) error {
		cfg, note, err := policyConfig(format, set, where)
		if err != nil {
			return err
		}
		if note != "" {
			notes = append(notes, note)
		}
		name := "${AWS::StackName}-security-headers"
		comment := "posturekit security headers, default cache behavior"
		desc := "ResponseHeadersPolicyId for the default cache behavior"
		if pattern != "" {
			name += "-" + strings.TrimPrefix(id, "SecurityHeadersPolicy")
			comment = "posturekit security headers, PathPattern " + pattern
			desc = "ResponseHeadersPolicyId for the cache behavior with PathPattern " + pattern + " (" + where + ")"
		}
		if len(comment) > 128 {
			comment = comment[:125] + "..."
		}
		config := obj{{"Name", obj{{"Fn::Sub", name}}}, {"Comment", comment}}
		config = append(config, cfg...)
		resources = append(resources, kv{id, obj{
			{"Type", "AWS::CloudFront::ResponseHeadersPolicy"},
			{"Properties", obj{{"ResponseHeadersPolicyConfig", config}}},
		}})
		outputs = append(outputs, kv{id + "Id", obj{{"Description", desc}, {"Value", obj{{"Ref", id}}}}})
		return nil
	}
	if err := add("SecurityHeadersPolicy", "", "site headers", s.Headers); err != nil {
		return "", err
	}
	for i, c := range cases {
		var names []string
		for _, r := range c.Rules {
			names = append(names, rules[r].Pattern)
		}
		where := fmt.Sprintf("precedence %d, rules %s", i, strings.Join(names, " + "))
		if err := add(fmt.Sprintf("SecurityHeadersPolicy%d", i+1), casePathPattern(c), where, c.Headers); err != nil {
			return "", err
		}
	}
	desc := "Response headers policies rendered by posturekit."
	if len(cases) > 0 {
		desc += " Path rules need one cache behavior each: attach each policy to the cache behavior with the PathPattern of its output, in the order of the outputs (precedence 0 first), and the first policy to the default cache behavior."
	}
	if len(cases)+1 > maxPolicies {
		desc += fmt.Sprintf(" %d policies: over the default quota of %d response headers policies per account.", len(cases)+1, maxPolicies)
	}
	for _, n := range notes {
		desc += " " + n
	}
	if len(desc) > 1024 { // CloudFormation's limit on a template's Description
		desc = desc[:1021] + "..."
	}
	template := obj{
		{"AWSTemplateFormatVersion", "2010-09-09"},
		{"Description", desc},
		{"Resources", resources},
		{"Outputs", outputs},
	}
	if yaml {
		var b strings.Builder
		fmt.Fprintf(&b, "# %s: AWS::CloudFront::ResponseHeadersPolicy resources.\n", renderHeader)
		writeYAML(&b, template, 0)
		return b.String(), nil
	}
	var b strings.Builder
	writeJSON(&b, template, 0)
	b.WriteByte('\n')
	return b.String(), nil
}

// casePathPattern is the CloudFront PathPattern of a case: "*" matches any
// characters, "/" included.
func casePathPattern(c ruleCase) string {
	if c.Exact != "" {
		return c.Exact
	}
	return c.Prefix + "*" + c.Suffix
}

// policyConfig maps a header set to the SecurityHeadersConfig and
// CustomHeadersConfig of a ResponseHeadersPolicyConfig.
func policyConfig(format string, set Set, where string) (obj, string, error) {
	security := obj{}
	var custom []any
	total := 0
	for _, g := range headerGroups(set) {
		total += len(g.Name)
		for _, v := range g.Values {
			total += len(v)
		}
		name := strings.ToLower(g.Name)
		if native, ok := policyNative[name]; ok {
			if len(g.Values) > 1 {
				return nil, "", renderErr(format, "%s: %s appears %d times; a response headers policy sends it once", where, g.Name, len(g.Values))
			}
			v, err := native.build(strings.TrimSpace(g.Values[0]))
			if err != nil {
				return nil, "", renderErr(format, "%s: %s: %v", where, g.Name, err)
			}
			security = append(security, kv{native.key, append(v, kv{"Override", true})})
			continue
		}
		value := strings.Join(g.Values, ", ")
		if len(value) > MaxPolicyHeaderValue {
			return nil, "", renderErr(format, "%s: the value of %s is %d characters; a response headers policy takes at most %d", where, g.Name, len(value), MaxPolicyHeaderValue)
		}
		custom = append(custom, obj{{"Header", g.Name}, {"Value", value}, {"Override", true}})
	}
	if total > MaxPolicyTotal {
		return nil, "", renderErr(format, "%s: the header names and values add up to %d characters; a response headers policy takes at most %d", where, total, MaxPolicyTotal)
	}
	// CloudFormation has wanted SecurityHeadersConfig even when empty.
	config := obj{{"SecurityHeadersConfig", security}}
	if len(custom) > 0 {
		config = append(config, kv{"CustomHeadersConfig", obj{{"Items", custom}}})
	}
	note := ""
	if len(custom) > MaxPolicyCustomHeaders {
		note = fmt.Sprintf("The %s policy has %d custom headers, over the default quota of %d: ask AWS to raise it.", where, len(custom), MaxPolicyCustomHeaders)
	}
	return config, note, nil
}

type policyField struct {
	key   string
	build func(v string) (obj, error)
}

// policyNative maps the headers SecurityHeadersConfig models to their
// fields (AWS::CloudFront::ResponseHeadersPolicy SecurityHeadersConfig).
var policyNative = map[string]policyField{
	"strict-transport-security": {"StrictTransportSecurity", func(v string) (obj, error) {
		var maxAge int64 = -1
		sub, preload := false, false
		for _, d := range strings.Split(v, ";") {
			d = strings.TrimSpace(d)
			name, val, _ := strings.Cut(d, "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "":
			case "max-age":
				n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(val), `"`), 10, 32)
				if err != nil || n < 0 {
					return nil, fmt.Errorf("max-age %q is not a number of seconds CloudFront takes", val)
				}
				maxAge = n
			case "includesubdomains":
				sub = true
			case "preload":
				preload = true
			default:
				return nil, fmt.Errorf("directive %q has no field in a response headers policy", d)
			}
		}
		if maxAge < 0 {
			return nil, fmt.Errorf("no max-age")
		}
		return obj{{"AccessControlMaxAgeSec", maxAge}, {"IncludeSubdomains", sub}, {"Preload", preload}}, nil
	}},
	"content-security-policy": {"ContentSecurityPolicy", func(v string) (obj, error) {
		if len(v) > CloudFrontMaxValue {
			return nil, fmt.Errorf("the policy is %d characters; a CloudFront response headers policy takes at most %d (ask AWS to raise the quota, or use the cloudfront-function or lambda-edge format)", len(v), CloudFrontMaxValue)
		}
		return obj{{"ContentSecurityPolicy", v}}, nil
	}},
	"x-content-type-options": {"ContentTypeOptions", func(v string) (obj, error) {
		if !strings.EqualFold(v, "nosniff") {
			return nil, fmt.Errorf("a response headers policy only sends nosniff, not %q", v)
		}
		return obj{}, nil
	}},
	"x-frame-options": {"FrameOptions", func(v string) (obj, error) {
		u := strings.ToUpper(v)
		if u != "DENY" && u != "SAMEORIGIN" {
			return nil, fmt.Errorf("a response headers policy takes DENY or SAMEORIGIN, not %q", v)
		}
		return obj{{"FrameOption", u}}, nil
	}},
	"referrer-policy": {"ReferrerPolicy", func(v string) (obj, error) {
		l := strings.ToLower(v)
		switch l {
		case "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
			"same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url":
			return obj{{"ReferrerPolicy", l}}, nil
		}
		return nil, fmt.Errorf("a response headers policy takes one policy token, not %q", v)
	}},
	"x-xss-protection": {"XSSProtection", func(v string) (obj, error) {
		parts := strings.Split(v, ";")
		switch strings.TrimSpace(parts[0]) {
		case "0":
			if len(parts) == 1 {
				return obj{{"Protection", false}}, nil
			}
		case "1":
			out := obj{{"Protection", true}}
			for _, p := range parts[1:] {
				name, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				switch {
				case strings.EqualFold(name, "mode") && strings.EqualFold(val, "block"):
					out = append(out, kv{"ModeBlock", true})
				case strings.EqualFold(name, "report") && val != "":
					out = append(out, kv{"ReportUri", val})
				default:
					return nil, fmt.Errorf("%q has no field in a response headers policy", p)
				}
			}
			if len(out) == 3 {
				return nil, fmt.Errorf("a response headers policy takes mode=block or report=, not both")
			}
			return out, nil
		}
		return nil, fmt.Errorf("a response headers policy takes 0, 1, 1; mode=block or 1; report=URI, not %q", v)
	}},
}

// obj is a JSON object that keeps its keys in order.
type obj []kv

type kv struct {
	k string
	v any
}

// writeJSON writes a value of obj, []any, string, bool and integers as
// indented JSON, keys in order.
func writeJSON(b *strings.Builder, v any, indent int) {
	pad := strings.Repeat("  ", indent+1)
	switch v := v.(type) {
	case obj:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, e := range v {
			b.WriteString(pad + jsString(e.k) + ": ")
			writeJSON(b, e.v, indent+1)
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(pad[2:] + "}")
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, item := range v {
			b.WriteString(pad)
			writeJSON(b, item, indent+1)
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(pad[2:] + "]")
	default:
		b.WriteString(yamlValue(v))
	}
}

// writeYAML writes a value of obj, []any, string, bool and integers as
// block YAML. Strings are double-quoted with JSON's escapes, which YAML's
// double-quoted scalars read the same.
func writeYAML(b *strings.Builder, v any, indent int) {
	pad := strings.Repeat("  ", indent)
	switch v := v.(type) {
	case obj:
		if len(v) == 0 {
			b.WriteString(pad + "{}\n")
			return
		}
		for _, e := range v {
			b.WriteString(pad + e.k + ":")
			if yamlScalar(e.v) {
				b.WriteString(" " + yamlValue(e.v) + "\n")
				continue
			}
			if o, ok := e.v.(obj); ok && len(o) == 0 {
				b.WriteString(" {}\n")
				continue
			}
			b.WriteString("\n")
			writeYAML(b, e.v, indent+1)
		}
	case []any:
		for _, item := range v {
			if yamlScalar(item) {
				b.WriteString(pad + "- " + yamlValue(item) + "\n")
				continue
			}
			// The first key goes on the dash line; the others line up.
			var sub strings.Builder
			writeYAML(&sub, item, indent+1)
			s := sub.String()
			b.WriteString(pad + "- " + strings.TrimPrefix(s, pad+"  "))
		}
	default:
		b.WriteString(pad + yamlValue(v) + "\n")
	}
}

func yamlScalar(v any) bool {
	switch v.(type) {
	case obj, []any:
		return false
	}
	return true
}

func yamlValue(v any) string {
	switch v := v.(type) {
	case string:
		return jsString(v)
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(v)
}
