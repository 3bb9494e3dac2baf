package command

import (
	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/posture/dmarc"
)

func init() {
	RegisterKind(RecordKind{Name: "dmarc", Short: "the _dmarc TXT record (RFC 9989; RFC 7489)", Check: func(text string) (any, finding.List) {
		r, l := dmarc.Check(text)
		if r == nil {
			return nil, l
		}
		return r, l
	}})
}
