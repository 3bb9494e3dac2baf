package headers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// MaxCloudFrontFunctionSize is the largest CloudFront Functions code, in
// bytes (the "function size" quota, 10 KB).
const MaxCloudFrontFunctionSize = 10 * 1024

func init() {
	RegisterRenderer(Renderer{
		Name:   "cloudfront-function",
		Short:  "CloudFront Functions code (cloudfront-js-2.0) for the viewer-response event",
		Render: renderCloudFrontFunction,
	})
	RegisterRenderer(Renderer{
		Name:   "lambda-edge",
		Short:  "a Lambda@Edge origin-response handler for Node.js (CommonJS index.js)",
		Render: renderLambdaEdge,
	})
}

// Headers that edge functions may not add or change: CloudFront answers
// 502 to every request if one does (the "disallowed" and "read-only"
// lists of the CloudFront Developer Guide, restrictions on edge functions).
var (
	edgeDisallowed = []string{
		"connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
		"proxy-connection", "trailer", "upgrade", "x-accel-buffering", "x-accel-charset",
		"x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth", "x-amzn-cf-billing",
		"x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile",
		"x-amzn-header-count", "x-amzn-header-order", "x-amzn-lambda-integration-tag",
		"x-amzn-requestid", "x-cache", "x-forwarded-proto", "x-real-ip",
	}
	edgeDisallowedPrefixes = []string{"x-amz-cf-", "x-edge-"}
	// Read-only in viewer-response events.
	viewerResponseReadOnly = []string{"warning", "via"}
	// Read-only in origin-response events.
	originResponseReadOnly = []string{"transfer-encoding", "via"}
)

// checkEdgeNames rejects the headers an edge function cannot set.
func checkEdgeNames(format string, s *Site, readOnly []string) error {
	check := func(name string) error {
		l := strings.ToLower(name)
		for _, d := range edgeDisallowed {
			if l == d {
				return renderErr(format, "CloudFront does not let edge functions set %s (it answers 502)", name)
			}
		}
		for _, p := range edgeDisallowedPrefixes {
			if strings.HasPrefix(l, p) {
				return renderErr(format, "CloudFront does not let edge functions set %s (it answers 502)", name)
			}
		}
		for _, r := range readOnly {
			if l == r {
				return renderErr(format, "%s is read-only for this edge function (CloudFront answers 502)", name)
			}
		}
		if l == "set-cookie" && format == "cloudfront-function" {
			return renderErr(format, "CloudFront Functions keep Set-Cookie in response.cookies, not in the headers; set cookies at the origin")
		}
		return nil
	}
	for _, f := range s.Headers.Fields {
		if err := check(f.Name); err != nil {
			return err
		}
	}
	for _, r := range s.Paths {
		for _, f := range r.Headers.Fields {
			if err := check(f.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsString writes a JavaScript string literal (JSON's, which ECMAScript
// reads the same, without HTML escaping).
func jsString(v string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// jsCondition is the JavaScript test of a rule's pattern on uri.
func jsCondition(p string) string {
	switch kind, v := kindOf(p); kind {
	case kindSuffix:
		return "uri.endsWith(" + jsString(v) + ")"
	case kindPrefix:
		return "uri.startsWith(" + jsString(v) + ")"
	default:
		return "uri === " + jsString(v)
	}
}

// renderCloudFrontFunction writes a viewer-response handler for the
// cloudfront-js-2.0 runtime. The site's headers replace those of the
// origin; then each matching rule's replace those, in order, as in
// Site.For. Header names are lower-case, as CloudFront Functions require;
// a repeated header is a multiValue list.
//
// CloudFront does not run viewer-response functions when the origin
// answers 400 or more, so error pages do not get these headers: attach a
// response headers policy (cloudfront-policy-json) too, or use
// Lambda@Edge on origin responses.
func renderCloudFrontFunction(s *Site) (string, error) {
	const format = "cloudfront-function"
	if err := checkRenderable(format, s); err != nil {
		return "", err
	}
	if err := checkEdgeNames(format, s, viewerResponseReadOnly); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// %s: a CloudFront Functions viewer-response\n", renderHeader)
	b.WriteString("// handler, runtime cloudfront-js-2.0. CloudFront does not run it when the origin\n")
	b.WriteString("// answers 400 or more: a response headers policy covers error pages.\n")
	b.WriteString("function handler(event) {\n")
	b.WriteString("  var response = event.response;\n")
	b.WriteString("  var h = response.headers;\n")
	rules := activeRules(s)
	if len(rules) > 0 {
		b.WriteString("  var uri = event.request.uri;\n")
	}
	writeCFFSet := func(indent string, set Set) {
		for _, g := range headerGroups(set) {
			key := jsString(strings.ToLower(g.Name))
			if len(g.Values) == 1 {
				fmt.Fprintf(&b, "%sh[%s] = {value: %s};\n", indent, key, jsString(g.Values[0]))
				continue
			}
			var mv []string
			for _, v := range g.Values {
				mv = append(mv, "{value: "+jsString(v)+"}")
			}
			fmt.Fprintf(&b, "%sh[%s] = {value: %s, multiValue: [%s]};\n", indent, key, jsString(g.Values[0]), strings.Join(mv, ", "))
		}
	}
	writeCFFSet("  ", s.Headers)
	for _, r := range rules {
		fmt.Fprintf(&b, "  if (%s) {\n", jsCondition(r.Pattern))
		writeCFFSet("    ", lastByName(r.Headers))
		b.WriteString("  }\n")
	}
	b.WriteString("  return response;\n}\n")
	if b.Len() > MaxCloudFrontFunctionSize {
		return "", renderErr(format, "the function is %d bytes, over CloudFront Functions' %d-byte limit; use a response headers policy or Lambda@Edge", b.Len(), MaxCloudFrontFunctionSize)
	}
	return b.String(), nil
}

// lastByName applies a rule's fields as Site.For does: a later field of a
// name replaces an earlier one.
func lastByName(s Set) Set {
	var out Set
	for _, f := range s.Fields {
		out.Set(f.Name, f.Value)
	}
	return out
}

// renderLambdaEdge writes an origin-response handler for Node.js. It is
// CommonJS (exports.handler) rather than an ES module: CommonJS runs as
// index.js with the default handler name (index.handler) in every Node.js
// runtime, including code given inline to CloudFormation (ZipFile, which
// is always written as index.js), while an ES module needs an index.mjs
// file or a package.json. Origin-response functions run on cache misses
// only (the result is cached with the object) and for every status,
// error responses included.
func renderLambdaEdge(s *Site) (string, error) {
	const format = "lambda-edge"
	if err := checkRenderable(format, s); err != nil {
		return "", err
	}
	if err := checkEdgeNames(format, s, originResponseReadOnly); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// %s: a Lambda@Edge origin-response handler\n", renderHeader)
	b.WriteString("// for Node.js (CommonJS: save as index.js, handler index.handler; deploy in\n")
	b.WriteString("// us-east-1 and associate a numbered version with the cache behavior).\n")
	b.WriteString("'use strict';\n\n")
	b.WriteString("exports.handler = async (event) => {\n")
	b.WriteString("  const cf = event.Records[0].cf;\n")
	b.WriteString("  const response = cf.response;\n")
	b.WriteString("  const h = response.headers;\n")
	rules := activeRules(s)
	if len(rules) > 0 {
		b.WriteString("  const uri = cf.request.uri;\n")
	}
	writeSet := func(indent string, set Set) {
		for _, g := range headerGroups(set) {
			var vs []string
			for _, v := range g.Values {
				vs = append(vs, "{key: "+jsString(g.Name)+", value: "+jsString(v)+"}")
			}
			fmt.Fprintf(&b, "%sh[%s] = [%s];\n", indent, jsString(strings.ToLower(g.Name)), strings.Join(vs, ", "))
		}
	}
	writeSet("  ", s.Headers)
	for _, r := range rules {
		fmt.Fprintf(&b, "  if (%s) {\n", jsCondition(r.Pattern))
		writeSet("    ", lastByName(r.Headers))
		b.WriteString("  }\n")
	}
	b.WriteString("  return response;\n};\n")
	return b.String(), nil
}
