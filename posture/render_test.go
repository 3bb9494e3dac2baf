package posture

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplitTXT(t *testing.T) {
	long := strings.Repeat("a", 300)
	assert.Equal(t, long, strings.Join(SplitTXT(long), ""))
	assert.Len(t, SplitTXT(long), 2)
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
