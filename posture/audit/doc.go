// Package audit grades the security posture of a live domain: its mail
// (SPF, DMARC, MTA-STS, TLS-RPT, DKIM, null MX), its DNS (DNSSEC, name
// server diversity, IPv6, CAA, SOA, TTLs) and its website (TLS versions,
// certificate, HSTS, redirects, security headers, security.txt).
//
// For most uses, call [Run] with the domain and [Options]; the [Report]
// holds one [Check] per thing looked at, each with a status, the evidence
// seen and, where something should change, the exact record or header that
// fixes it (made by posturekit's own generators), plus a score per area and
// overall.
//
// An audit asks each DNS question once (a shared cache), runs independent
// lookups concurrently, bounds every query with a timeout and retries, and
// the whole audit with a deadline. A check that could not run (a timeout, a
// server failure) has status error: it is never reported as a missing
// record.
package audit
