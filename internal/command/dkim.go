package command

import (
	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/posture/dkim"
)

func init() {
	RegisterKind(RecordKind{Name: "dkim", Short: "a DKIM key record at SELECTOR._domainkey (RFC 6376, RFC 8301, RFC 8463)", Check: func(text string) (any, finding.List) {
		r, l := dkim.Check(text)
		if r == nil {
			return nil, l
		}
		return r, l
	}})
}
