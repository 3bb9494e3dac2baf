// Package mtasts implements SMTP MTA Strict Transport Security (MTA-STS,
// RFC 8461): the policy a mail domain publishes over HTTPS to tell sending
// mail servers that its MX hosts support TLS with valid certificates, and the
// `_mta-sts` TXT record that announces the policy and its version.
//
// Without MTA-STS, a sender that finds no STARTTLS, or a bad certificate,
// falls back to plain text, so an attacker on the path can strip TLS. With
// it, a sender that has seen the policy refuses to deliver to hosts that are
// not listed or cannot prove who they are.
//
// For most uses:
//   - a domain owner builds a [Policy] and a [Record], checks them with
//     [CheckPolicy] and [CheckRecord], and publishes their String forms;
//   - a mail program asks a [Cache] for the policy of a recipient domain
//     and calls [Policy.Match] for each MX host;
//   - an auditor runs [Check] against a live domain.
//
// [ParsePolicy] and [ParseRecord] are strict parsers that return the first
// syntax error; [CheckPolicy] and [CheckRecord] report every problem, with
// line numbers, as [finding.Finding] values, including what is legal but
// unwise.
package mtasts
