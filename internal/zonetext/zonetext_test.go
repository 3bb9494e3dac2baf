package zonetext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplit(t *testing.T) {
	assert.Equal(t, []string{""}, Split(""))
	assert.Equal(t, []string{"v=spf1 -all"}, Split("v=spf1 -all"))
	long := strings.Repeat("a", 255) + strings.Repeat("b", 255) + "c"
	parts := Split(long)
	assert.Equal(t, []string{strings.Repeat("a", 255), strings.Repeat("b", 255), "c"}, parts)
	assert.Equal(t, long, strings.Join(parts, ""), "resolvers join without spaces")
}

func TestQuote(t *testing.T) {
	assert.Equal(t, `""`, Quote(""))
	assert.Equal(t, `"v=spf1 -all"`, Quote("v=spf1 -all"))
	assert.Equal(t, `"a\"b\\c"`, Quote(`a"b\c`))
	assert.Equal(t, `"caf\195\169"`, Quote("café"))
	assert.Equal(t, `"`+strings.Repeat("x", 255)+`" "y"`, Quote(strings.Repeat("x", 255)+"y"))
}
