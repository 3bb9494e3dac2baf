package msgtext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestClip(t *testing.T) {
	assert.Equal(t, "short", Clip("short"))
	assert.Equal(t, strings.Repeat("a", 60), Clip(strings.Repeat("a", 60)))
	assert.Equal(t, strings.Repeat("a", 57)+"...", Clip(strings.Repeat("a", 61)))
	c := Clip(strings.Repeat("a", 56) + "ééé")
	assert.True(t, utf8.ValidString(c))
	assert.Equal(t, strings.Repeat("a", 56)+"...", c)
}

func TestNearMiss(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"mx", "nmx", true},     // insertion
		{"mode", "mod", true},   // deletion
		{"mode", "made", true},  // substitution
		{"mode", "mdoe", true},  // neighbours swapped
		{"rua", "rau", true},    //
		{"mode", "mode", false}, // the same is no miss
		{"mode", "edom", false},
		{"mx", "max_age", false},
		{"", "a", true},
		{"ab", "ba", true},
		{"abc", "cba", false},
	} {
		assert.Equal(t, c.want, NearMiss(c.a, c.b), "%q %q", c.a, c.b)
		assert.Equal(t, c.want, NearMiss(c.b, c.a), "%q %q", c.b, c.a)
	}
}
