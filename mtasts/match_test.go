package mtasts

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatchPattern(t *testing.T) {
	for _, c := range []struct {
		pattern, host string
		want          bool
	}{
		// RFC 8461, Section 4.1 and its examples.
		{"mail.example.com", "mail.example.com", true},
		{"mail.example.com", "MAIL.Example.COM", true},  // case-insensitive
		{"mail.example.com", "mail.example.com.", true}, // DNS answers carry a final dot
		{"Mail.Example.com", "mail.example.com", true},
		{"mail.example.com", "mail2.example.com", false},
		{"*.example.com", "mail.example.com", true},
		{"*.example.com", "example.com", false},     // the wildcard needs a label
		{"*.example.com", "a.b.example.com", false}, // exactly one label
		{"*.example.com", "mail.example.com.", true},
		{"*.example.com", ".example.com", false},
		{"*.example.com", "mailexample.com", false},
		{"*.mail.example.com", "mx1.mail.example.com", true},
		// A-labels: a U-label host matches its A-label pattern.
		{"mail.xn--bcher-kva.example", "mail.bücher.example", true},
		{"*.xn--bcher-kva.example", "MX.BÜCHER.example", true},
		{"mail.bücher.example", "mail.xn--bcher-kva.example", true},
		// Not patterns.
		{"", "example.com", false},
		{"*.", "a.", false},
		{"mail.example.com.", "mail.example.com", false},
		{"mail.example.com", "", false},
		{"*", "example", false},
	} {
		assert.Equal(t, c.want, MatchPattern(c.pattern, c.host), "%q ~ %q", c.pattern, c.host)
	}
}

func TestPolicyMatch(t *testing.T) {
	p := &Policy{Mode: ModeEnforce, MaxAge: 1, MX: []string{"mx1.example.com", "*.example.net"}}
	assert.True(t, p.Match("MX1.example.com."))
	assert.True(t, p.Match("b.example.net"))
	assert.False(t, p.Match("mx2.example.com"))
	assert.Equal(t, 1, p.MatchIndex("x.example.net"))
	assert.Equal(t, -1, p.MatchIndex("example.net"))
}
