// Package headers builds, checks, grades and renders the HTTP response
// headers that harden a website: Strict-Transport-Security,
// Content-Security-Policy, Permissions-Policy, Referrer-Policy,
// X-Content-Type-Options, X-Frame-Options, the cross-origin policies and
// Cache-Control.
//
// A header set is a [Set]: an ordered list of fields, as a server sends
// them. [ParseSet] reads one from "Name: value" lines or a JSON object.
package headers
