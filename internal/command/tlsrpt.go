package command

import (
	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/posture/tlsrpt"
)

func init() {
	RegisterKind(RecordKind{Name: "tlsrpt", Short: "the _smtp._tls TXT record (TLS-RPT, RFC 8460)", Check: func(text string) (any, finding.List) {
		r, l := tlsrpt.Check(text)
		if r == nil {
			return nil, l
		}
		return r, l
	}})
}
