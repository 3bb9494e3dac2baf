package command

import (
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/posture/sectxt"
)

func init() {
	RegisterKind(RecordKind{
		Name:  "securitytxt",
		Short: `a security.txt file (RFC 9116): VALUE is the whole file, usually "-" for standard input`,
		Check: func(text string) (any, finding.List) {
			return sectxt.Check(text, time.Now())
		},
	})
}
