// Package caa implements Certification Authority Authorization records
// (CAA, RFC 8659), with the accounturi and validationmethods parameters of
// RFC 8657, the issuemail property of RFC 9495 and the contactemail,
// contactphone and issuevmc properties of the CA/Browser Forum.
//
// Any public certificate authority (CA) can issue a certificate for any
// domain once the request passes its domain validation, so a weakness at
// one CA, or one hijacked validation, is enough for a rogue certificate.
// CAA records let the domain owner name the CAs that may issue: before
// issuing, every public CA must look up the CAA records of the name and
// refuse when they do not authorize it. The records can also bind the
// authorization to one ACME account and to chosen validation methods, say
// who may issue wildcard and S/MIME certificates, and where CAs report
// refused requests (iodef).
//
// For most uses:
//   - a domain owner calls [ForIssuers] with the issuer domains of the CAs
//     it uses and publishes the records' String forms;
//   - a record or a whole RRset written as in a zone file is parsed with
//     [Parse] and [ParseSet], and checked with [Check] and [CheckSetText],
//     which report every problem as a [finding.Finding];
//   - an auditor calls [LookupRelevant], which finds the RRset that applies
//     to a name the way CAs do (RFC 8659, Section 3) and checks it.
//
// The value of issue, issuewild, issuemail and issuevmc records has a
// grammar of its own; [ParseIssue] reads it into an [Issue].
//
// The presentation parser is written by hand and the package builds without
// github.com/miekg/dns for the browser; the conversion to and from
// *dns.CAA and the DNS lookup are in files built only outside it
// (//go:build !js).
package caa
