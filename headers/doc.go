// Package headers builds, checks, grades and renders the HTTP response
// headers that harden a website: Strict-Transport-Security,
// Content-Security-Policy, Permissions-Policy, Referrer-Policy,
// X-Content-Type-Options, X-Frame-Options, the cross-origin policies and
// Cache-Control.
//
// For most uses:
//   - start from a preset ([Preset]: "strict", "helmet", "seed") or a
//     [Config], which keeps related headers consistent (X-Frame-Options
//     and frame-ancestors) and never outputs obsolete ones;
//   - compute a tight CSP from a built site with [SiteCSP] (inline scripts
//     and styles hashed, origins collected per directive);
//   - check a set with [Validate] and a policy with [CheckCSP];
//   - grade it like the MDN HTTP Observatory with [Grade];
//   - render it for the host with [Render]: CloudFront Functions,
//     Lambda@Edge, CloudFront response headers policies, nginx, Apache,
//     Caddy, _headers, vercel.json or a Go middleware ([Formats] lists
//     them; [Middleware] serves a [Site] from Go directly).
//
// A header set is a [Set]: an ordered list of fields, as a server sends
// them. [ParseSet] reads one from "Name: value" lines or a JSON object. A
// [Site] adds path rules to it, such as Cache-Control by kind of file.
package headers
