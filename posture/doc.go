// Package posture is about a domain's security posture as a whole: the
// complete kit of DNS records and files a domain should publish to be
// hard to spoof and to intercept (SPF, DMARC, DKIM, MTA-STS, TLS-RPT, CAA,
// security.txt, null MX), rendered for the places people publish them:
// a BIND zone file, a Route 53 change batch, Terraform, or JSON.
//
// For most uses, describe the domain in a [Domain] and call [Build]; then
// write [Kit.Zone], [Kit.Route53] or [Kit.Terraform]. Every record the kit
// holds has passed the validator of its own package (spf, dmarc, caa,
// tlsrpt, dkim, mtasts, sectxt), and the findings of that validation come
// with the kit.
//
// The record kinds themselves live in one small package each, under
// posture/: use them directly to parse and check a single record.
package posture
