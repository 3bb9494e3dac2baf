//go:build !js

package command

import "github.com/posturekit/posturekit/headers"

// The command line reads directories of built HTML for "headers build
// --from-html" and "headers csp --from-html" (headers_csp.go).
func init() { siteCSPFromDir = headers.SiteCSPFromDir }
