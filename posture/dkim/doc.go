// Package dkim implements the DKIM key record (DomainKeys Identified Mail,
// RFC 6376, Section 3.6.1, updated by RFC 8301 and RFC 8463): the TXT
// record at <selector>._domainkey.<domain> that holds the public key
// receiving mail servers use to verify the DKIM-Signature a domain puts on
// its outgoing mail.
//
// A valid signature proves the message passed through a server holding the
// domain's private key and was not changed on the way; DMARC builds on it.
// A key that is missing, malformed, too short (RSA under 1024 bits, which
// RFC 8301 tells verifiers to reject), or limited to SHA-1 makes every
// signature fail, and the mail is then treated as unsigned or rejected.
//
// For most uses:
//   - a domain owner turns a public key into a record with [FromPublicKey]
//     and publishes [Record.ZoneValue] (or [Record.TXTStrings]) at
//     [RecordName];
//   - an auditor calls [Check] on a record's text, or [Lookup] on a live
//     selector, and reads the findings and [Record.Key].
//
// [Parse] is a strict parser that returns the first error; [Check] reports
// every problem as [finding.Finding] values, including what is legal but
// unwise.
package dkim
