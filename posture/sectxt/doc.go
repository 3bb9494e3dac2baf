// Package sectxt implements security.txt (RFC 9116): the small text file a
// web site publishes at /.well-known/security.txt to tell security
// researchers how to report a vulnerability — whom to contact (Contact),
// until when the information holds (Expires), and where to find the
// disclosure policy, the encryption key, the acknowledgments page and the
// languages the team reads.
//
// Without it, a researcher who finds a hole has to guess an address, and the
// report often goes nowhere or to the wrong people; with a stale or
// malformed file, reports are sent to contacts that no longer exist. RFC
// 9116 makes the file machine-readable, requires an expiry date so that
// stale files can be recognised, and recommends an OpenPGP signature so that
// a file placed by an attacker on a compromised site can be told apart.
//
// For most uses:
//   - a site owner fills in a [File] (Contacts, Expires — see
//     [DefaultExpiry] — and whatever else applies), checks it with
//     [File.Validate] and publishes [File.String], signed with
//     "gpg --clearsign" if they wish;
//   - to check a file's text, call [Check], which reports every problem,
//     with its line, as [finding.Finding] values;
//   - an auditor calls [Fetch] to get and check the file of a live host.
//
// [Parse] is the strict parser: it returns the first syntax error. Both
// read the OpenPGP cleartext signature framework (RFC 4880, Section 7) of a
// signed file — the header, the Hash headers, the dash-escaped text and the
// signature block — but do not verify the signature cryptographically: that
// needs the signer's key and a trust decision that only the researcher can
// make (RFC 9116, Section 2.3).
package sectxt
