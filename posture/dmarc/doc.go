// Package dmarc implements the DMARC policy record (RFC 9989, which
// obsoletes RFC 7489 and RFC 9091): the TXT record at _dmarc.<domain> with
// which a domain tells receiving mail servers what to do with mail that
// claims to come from it but fails SPF and DKIM alignment, and where to
// send reports about such mail.
//
// Without DMARC, anyone can put a domain in the From: line that people
// read: SPF and DKIM authenticate other names. With it, receivers check
// that one of them passed for the From: domain (or a domain of the same
// organization) and quarantine or reject the mail that did not, while the
// aggregate reports show the domain owner every server that sends in its
// name.
//
// For most uses:
//   - a domain owner builds a [Record] with [Recommended], [New] or
//     [NoMail] and publishes [Record.String] at [RecordName];
//   - a record's text is checked with [Check] (RFC 9989) and
//     [CheckLegacy] (how receivers that still implement RFC 7489 read it);
//   - an auditor calls [Discover] to find, as a receiver would, the record
//     and the policy that apply to a domain (the RFC 9989 DNS Tree Walk),
//     and [CheckExternalReports] to see whether the report destinations
//     in other domains accept the reports.
//
// [Parse] is a strict parser that returns the first syntax error; [Check]
// reports every problem as [finding.Finding] values, including what is
// legal but unwise. [LegacyOrgDomain] gives the organizational domain as
// RFC 7489 receivers find it, from the public suffix list.
//
// Section numbers of RFC 9989 in this package and its findings follow its
// published structure (4.7 record format, 4.8 formal definition, 4.10 DNS
// Tree Walk, 4.10.1 policy discovery, 4.10.2 organizational domain), which
// is that of draft-ietf-dmarc-dmarcbis-41.
package dmarc
