package posture

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplitTXT(t *testing.T) {
	assert.Equal(t, []string{""}, SplitTXT(""))
	assert.Equal(t, []string{"v=spf1 -all"}, SplitTXT("v=spf1 -all"))
	long := strings.Repeat("a", 255) + strings.Repeat("b", 255) + "c"
	parts := SplitTXT(long)
	assert.Equal(t, []string{strings.Repeat("a", 255), strings.Repeat("b", 255), "c"}, parts)
	assert.Equal(t, long, strings.Join(parts, ""), "resolvers join without spaces")
}

func TestQuoteTXT(t *testing.T) {
	assert.Equal(t, `"v=spf1 -all"`, quoteTXT("v=spf1 -all"))
	assert.Equal(t, `"a\"b\\c"`, quoteTXT(`a"b\c`))
	assert.Equal(t, `"caf\195\169"`, quoteTXT("café"))
	assert.Equal(t, `"`+strings.Repeat("x", 255)+`" "y"`, quoteTXT(strings.Repeat("x", 255)+"y"))
}

func TestHCLString(t *testing.T) {
	assert.Equal(t, `"plain"`, hclString("plain"))
	assert.Equal(t, `"0 issue \"letsencrypt.org\""`, hclString(`0 issue "letsencrypt.org"`))
	assert.Equal(t, `"$${x} %%{y} $ %"`, hclString("${x} %{y} $ %"))
	assert.Equal(t, `"a\\b\nc"`, hclString("a\\b\nc"))
}

func TestRelName(t *testing.T) {
	assert.Equal(t, "@", relName("example.com", "example.com"))
	assert.Equal(t, "_dmarc", relName("_dmarc.example.com", "example.com"))
	assert.Equal(t, "a.b", relName("a.b.Example.com", "example.com"))
	assert.Equal(t, "other.net.", relName("other.net", "example.com"))
	assert.Equal(t, "xexample.com.", relName("xexample.com", "example.com"))
}
