// Package spf implements the Sender Policy Framework record (SPF, RFC 7208):
// the TXT record in which a domain lists the hosts allowed to send mail with
// the domain in the envelope sender (MAIL FROM) or the HELO name.
//
// A receiving mail server looks up the record of the sender's domain and
// evaluates its terms, left to right, against the client's address: ip4 and
// ip6 name networks, a and mx name hosts, include asks another domain's
// record, and all ends the list with the result for everybody else (-all:
// fail). Receivers give up with "permerror" when the record is malformed,
// when evaluating it would take more than 10 terms that need DNS lookups, or
// more than 2 lookups that find nothing; then the record protects nothing.
// Both limits count across every included record, which is why SPF records
// that include several mail providers so often break.
//
// For most uses:
//   - a domain owner builds a [Record] from [Term] values, checks it with
//     [Record.Validate] and publishes its String form;
//   - a linter calls [Check] on a record's text (or [CheckStrings] on the
//     character-strings of the TXT record, to check their sizes too);
//   - an auditor calls [Evaluate] on a live domain: it follows include and
//     redirect through DNS and counts lookups as receivers do.
//
// [Parse] is a strict parser that returns the first syntax error; [Select]
// applies the record selection rules to all TXT values of a name. [Check]
// reports every problem, including what is legal but unwise, as
// [finding.Finding] values with codes such as "spf.too_many_lookups".
package spf
