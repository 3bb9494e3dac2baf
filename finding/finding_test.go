package finding

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestList(t *testing.T) {
	l := List{
		{Code: "b.info", Severity: Info, Line: 2},
		{Code: "a.warn", Severity: Warning},
		{Code: "c.err", Severity: Error, Line: 2},
		{Code: "a.err", Severity: Error, Line: 2},
	}
	assert.True(t, l.HasErrors())
	assert.False(t, l[:2].HasErrors())
	assert.Equal(t, Error, l.Worst())
	assert.Equal(t, Severity(""), List{}.Worst())
	assert.True(t, l.Has("a.warn"))
	assert.False(t, l.Has("a"))
	l.Sort()
	var got []string
	for _, f := range l {
		got = append(got, f.Code)
	}
	assert.Equal(t, []string{"a.warn", "a.err", "c.err", "b.info"}, got)
}

func TestFindingString(t *testing.T) {
	f := Finding{Code: "mtasts.mode_testing", Severity: Warning, Message: "mode testing", Line: 2, Where: "x", RFC: "RFC 8461, Section 5", Fix: "mode: enforce"}
	assert.Equal(t, "line 2: warning: mode testing (x) [mtasts.mode_testing; RFC 8461, Section 5]\n    fix: mode: enforce", f.String())
	assert.Equal(t, "error: m [c]", Finding{Code: "c", Severity: Error, Message: "m"}.String())
}

func TestFindingJSON(t *testing.T) {
	b, err := json.Marshal(Finding{Code: "c", Severity: Error, Message: "m", Line: 3})
	require.NoError(t, err)
	assert.JSONEq(t, `{"code":"c","severity":"error","message":"m","line":3}`, string(b))
}
