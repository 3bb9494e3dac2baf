package headers

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSetLines(t *testing.T) {
	s, err := ParseSet("HTTP/2 200\r\nContent-Security-Policy: default-src 'self'\r\nstrict-transport-security:max-age=63072000  \r\n\r\nX-Frame-Options: DENY\nx-frame-options: SAMEORIGIN\n")
	require.NoError(t, err)
	assert.Equal(t, []Field{
		{"Content-Security-Policy", "default-src 'self'"},
		{"strict-transport-security", "max-age=63072000"},
		{"X-Frame-Options", "DENY"},
		{"x-frame-options", "SAMEORIGIN"},
	}, s.Fields)
	v, ok := s.Get("Strict-Transport-Security")
	assert.True(t, ok)
	assert.Equal(t, "max-age=63072000", v)
	assert.Equal(t, []string{"DENY", "SAMEORIGIN"}, s.Values("X-FRAME-OPTIONS"))

	for _, bad := range []string{"no colon here", "Bad Name: x", " folded: x", "A\x00: b", "X: a\x01b"} {
		_, err := ParseSet(bad)
		assert.ErrorIs(t, err, ErrSet, "%q", bad)
		assert.Contains(t, err.Error(), "line 1", "%q", bad)
	}
}

func TestParseSetJSON(t *testing.T) {
	s, err := ParseSet(`{"X-Frame-Options": "DENY", "Set-Cookie": ["a=1; Secure", "b=2"]}`)
	require.NoError(t, err)
	assert.Equal(t, []Field{{"X-Frame-Options", "DENY"}, {"Set-Cookie", "a=1; Secure"}, {"Set-Cookie", "b=2"}}, s.Fields)
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, `{"X-Frame-Options": "DENY", "Set-Cookie": ["a=1; Secure", "b=2"]}`, string(b))
	for _, bad := range []string{`[1]`, `{"X": 1}`, `{"X": "a\nb"}`, `{"X": "a"`} {
		_, err := ParseSet(bad)
		assert.ErrorIs(t, err, ErrSet, "%q", bad)
	}
}

func TestSetEdit(t *testing.T) {
	s := &Set{}
	s.Add("A", "1")
	s.Add("B", "2")
	s.Add("a", "3")
	s.Set("A", "x")
	assert.Equal(t, []Field{{"A", "x"}, {"B", "2"}}, s.Fields)
	s.Set("C", "y")
	assert.Equal(t, "A: x\nB: 2\nC: y\n", s.String())
	s.Del("b")
	assert.Equal(t, []Field{{"A", "x"}, {"C", "y"}}, s.Fields)
	s2, err := ParseSet(s.String())
	require.NoError(t, err)
	assert.Equal(t, s, s2)
}

func FuzzParseSet(f *testing.F) {
	f.Add("X-Frame-Options: DENY\n")
	f.Add(`{"A": ["1", "2"]}`)
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSet(text)
		if err != nil {
			return
		}
		s2, err := ParseSet(s.String())
		if err != nil {
			t.Fatalf("String() does not parse: %v", err)
		}
		if s2.String() != s.String() {
			t.Fatalf("round trip changed the set")
		}
	})
}
