package command

import (
	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/posture/spf"
)

func init() {
	RegisterKind(RecordKind{Name: "spf", Short: "an SPF TXT record (RFC 7208)", Check: func(text string) (any, finding.List) {
		r, l := spf.Check(text)
		if r == nil {
			return nil, l
		}
		return r, l
	}})
}
