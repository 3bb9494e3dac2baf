// Package tlsrpt implements the policy record of SMTP TLS Reporting
// (TLS-RPT, RFC 8460): the TXT record at _smtp._tls.<domain> that tells
// sending mail servers where to report the TLS failures they meet when
// delivering to the domain.
//
// MTA-STS (RFC 8461) and DANE make senders refuse to deliver over a broken
// or tampered TLS connection; without reports, the domain owner learns of a
// bad certificate or a stripped STARTTLS only when mail stops arriving.
// With a TLS-RPT record, senders such as Google and Microsoft mail a daily
// JSON summary of successes and failures to the addresses (mailto:) or post
// it to the web endpoints (https:) the record lists in its rua field.
//
// For most uses:
//   - a domain owner builds a record with [New], checks it with
//     [Record.Validate] and publishes its String form at [RecordName];
//   - an auditor calls [Check] (or [CheckDomain], which also knows where the
//     record is published) on a record's text, or [Lookup] on a live domain;
//   - a sender applies the discovery rule with [Select] to the TXT records
//     found at [RecordName].
//
// [Parse] is a strict parser that returns the first syntax error; [Check]
// reports every problem as [finding.Finding] values, including what is legal
// but unwise.
package tlsrpt
