package command

import (
	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/posture/caa"
)

func init() {
	RegisterKind(RecordKind{
		Name:  "caa",
		Short: `a CAA record or RRset (RFC 8659), one FLAGS TAG "VALUE" per line`,
		Check: func(text string) (any, finding.List) {
			recs, l := caa.CheckSetText(text)
			if len(recs) == 0 {
				return nil, l
			}
			return recs, l
		},
	})
}
