package posture

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRRLine(t *testing.T) {
	mx := RR{Name: "example.com", TTL: 3600, Type: "MX"}
	assert.Equal(t, "example.com. 3600 IN MX 10 mail.example.com.", mx.Line("10 mail.example.com"))
	assert.Equal(t, "example.com. 3600 IN MX 0 .", mx.Line("0 ."), "null MX (RFC 7505) keeps its root target")
	cname := RR{Name: "mta-sts.example.com.", TTL: 300, Type: "CNAME"}
	assert.Equal(t, "mta-sts.example.com. 300 IN CNAME sts.provider.net.", cname.Line("sts.provider.net"))
	txt := RR{Name: "_dmarc.example.com", TTL: 60, Type: "TXT"}
	assert.Equal(t, `_dmarc.example.com. 60 IN TXT "v=DMARC1; p=none"`, txt.Line("v=DMARC1; p=none"))
	long := txt.Line(strings.Repeat("a", 300))
	assert.Equal(t, `_dmarc.example.com. 60 IN TXT "`+strings.Repeat("a", 255)+`" "`+strings.Repeat("a", 45)+`"`, long,
		"a TXT value over 255 bytes is split into strings (RFC 1035, Section 3.3.14)")
	caa := RR{Name: "example.com", TTL: 3600, Type: "CAA"}
	assert.Equal(t, `example.com. 3600 IN CAA 0 issue "letsencrypt.org"`, caa.Line(`0 issue "letsencrypt.org"`))
}
