package posture

import (
	"errors"
	"strings"
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/posture/caa"
	"github.com/posturekit/posturekit/posture/sectxt"
)

// web adds CAA (RFC 8659) and security.txt (RFC 9116).
func (k *Kit) web(d Domain, now time.Time) error {
	if len(d.CAs) > 0 {
		set, err := caa.ForIssuers(d.CAs, caa.BuildOptions{NoWildcard: d.NoWildcard, Contact: d.Contact, NoMail: d.NoMail})
		if err != nil {
			return descErr("CAA: %v", err)
		}
		var vals []string
		for _, r := range set {
			vals = append(vals, r.String())
		}
		k.add(k.Domain, "CAA", "CAA: the only certificate authorities that may issue for the domain", vals...)
		k.check(k.Domain+" CAA", caa.CheckSet(set))
	} else {
		k.Notes = append(k.Notes, "Give the certificate authorities you use (e.g. letsencrypt.org) to publish CAA, so that no other CA issues certificates for the domain.")
	}
	if len(d.Contact) > 0 {
		f := &sectxt.File{
			Contacts:  d.Contact,
			Expires:   sectxt.DefaultExpiry(now),
			Canonical: []string{sectxt.WellKnownURL(k.Domain)},
		}
		k.check(sectxt.WellKnownURL(k.Domain), f.Validate(now))
		if l := f.Validate(now); l.HasErrors() {
			return descErr("security.txt: %v", firstError(l))
		}
		k.Files = append(k.Files, File{URL: sectxt.WellKnownURL(k.Domain), ContentType: "text/plain; charset=utf-8", Content: f.String(),
			Purpose: "security.txt: how to report a vulnerability; renew it before Expires"})
	} else {
		k.Notes = append(k.Notes, "Give a security contact (mailto: or https:) to publish security.txt (RFC 9116).")
	}
	return nil
}

// firstError returns the first error finding as an error.
func firstError(l finding.List) error {
	for _, f := range l {
		if f.Severity == finding.Error {
			return errors.New(strings.TrimSpace(f.Message))
		}
	}
	return errors.New("invalid")
}

// withoutCode drops the findings with the given code: those that say what
// the kit does on purpose.
func withoutCode(l finding.List, code string) finding.List {
	var out finding.List
	for _, f := range l {
		if f.Code != code {
			out = append(out, f)
		}
	}
	return out
}
