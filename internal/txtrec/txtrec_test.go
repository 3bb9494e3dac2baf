package txtrec

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOnly(t *testing.T) {
	isSTS := func(s string) bool { return strings.HasPrefix(s, "v=STSv1") }
	found, n := Only([]string{"v=spf1 -all", "v=STSv1; id=1;", "hello"}, isSTS)
	assert.Equal(t, "v=STSv1; id=1;", found)
	assert.Equal(t, 1, n)
	found, n = Only([]string{"v=STSv1; id=1;", "v=STSv1; id=1;"}, isSTS)
	assert.Equal(t, "", found, "two claimants: none is chosen")
	assert.Equal(t, 2, n)
	found, n = Only(nil, isSTS)
	assert.Equal(t, "", found)
	assert.Equal(t, 0, n)
}
