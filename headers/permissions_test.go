package headers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePermissionsPolicy(t *testing.T) {
	good := func(in, canon string) {
		t.Helper()
		p, err := ParsePermissionsPolicy(in)
		require.NoError(t, err, in)
		assert.Equal(t, canon, p.String(), in)
		again, err := ParsePermissionsPolicy(p.String())
		require.NoError(t, err)
		assert.Equal(t, p, again)
	}
	bad := func(in string) {
		t.Helper()
		_, err := ParsePermissionsPolicy(in)
		assert.ErrorIs(t, err, ErrPermissions, in)
	}
	good("camera=(), geolocation=(self \"https://maps.example\")", `camera=(), geolocation=(self "https://maps.example")`)
	good("fullscreen=*", "fullscreen=*")
	good("fullscreen=self,payment=\"https://pay.example\"", `fullscreen=(self), payment=("https://pay.example")`)
	good("  usb=( );report-to=x", "usb=()")
	bad("usb=() ;report-to=x")
	good("", "")
	good("camera=?1, usb=()", "usb=()") // no allowlist: dropped (CheckPermissionsPolicy says so)
	bad("camera 'none'; geolocation 'self'")
	bad("Camera=()")
	bad("camera=(),")
	bad("camera=(self")
	bad("camera=(\"a)")
	bad("camera=()x")
	bad("geolocation=(self,https://a)")
}

func TestCheckPermissionsPolicy(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"camera=(), geolocation=(self \"https://maps.example\"), fullscreen=*", nil},
		{"camera 'none'", []string{"permissions_invalid"}},
		{"camra=()", []string{"permissions_unknown_feature"}},
		{"interest-cohort=()", []string{"permissions_obsolete_feature"}},
		{"camera=(), camera=(self)", []string{"permissions_duplicate_feature"}},
		{"camera=(* self)", []string{"permissions_star_with_origins"}},
		{"camera=(\"https://a.example/path\")", []string{"permissions_bad_origin"}},
		{"camera=(https://a.example)", []string{"permissions_unquoted_origin"}},
		{"camera=(none)", []string{"permissions_bad_allowlist"}},
		{"camera", []string{"permissions_bad_allowlist"}},
		{"camera=1", []string{"permissions_bad_allowlist"}},
	} {
		_, l := CheckPermissionsPolicy(tc.in)
		assert.Equal(t, tc.want, codes(l), tc.in)
	}
	_, l := CheckPermissionsPolicy("camera 'none'")
	assert.Contains(t, l[0].Message, "Feature-Policy")
}

func TestPermissionsEdit(t *testing.T) {
	p := StrictPermissionsPolicy()
	assert.Empty(t, p.Lint())
	allow, ok := p.Get("camera")
	assert.True(t, ok)
	assert.Empty(t, allow)
	p.Features = append(p.Features, Feature{Name: "camera", Allow: []string{"*"}})
	allow, _ = p.Get("camera")
	assert.Equal(t, []string{"*"}, allow, "the last member wins")
	p.Set("camera", "self")
	allow, _ = p.Get("camera")
	assert.Equal(t, []string{"self"}, allow)
	n := 0
	for _, f := range p.Features {
		if f.Name == "camera" {
			n++
		}
	}
	assert.Equal(t, 1, n)
	assert.Contains(t, KnownFeatures(), "geolocation")
	assert.NotContains(t, KnownFeatures(), "interest-cohort")
}

func TestSFItem(t *testing.T) {
	for _, in := range []string{"same-origin", `same-origin; report-to="g"`, "?1", "42", "-1.5", ":aGk=:", `"s\"q"`} {
		_, err := parseSFXItem(in)
		assert.NoError(t, err, in)
	}
	for _, in := range []string{"", "same-origin x", "1.2345", "1234567890123456", ":@@:", "?2", `"\x"`, ":abc", "1.", "-", "%"} {
		_, err := parseSFXItem(in)
		assert.Error(t, err, in)
	}
	v, err := parseSFXItem(`credentialless;report-to="x"`)
	require.NoError(t, err)
	assert.Equal(t, "credentialless", v.Str)
	assert.Equal(t, "report-to", v.Params[0].Key)
}

// FuzzParsePermissionsPolicy: no input panics the structured-field parser,
// and the canonical text parses back to the same policy.
func FuzzParsePermissionsPolicy(f *testing.F) {
	for _, s := range []string{"camera=(), geolocation=(self \"https://a.example\")", "fullscreen=*", "a=(b;c=1 \"d\");e, f=?0, g=:aGk=:, h=-1.5",
		"camera 'none'", "x=(\"\\\"\")"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = parseSFXItem(s)
		p, _ := CheckPermissionsPolicy(s)
		if p == nil {
			return
		}
		again, err := ParsePermissionsPolicy(p.String())
		if err != nil {
			t.Fatalf("%q: canonical %q does not parse: %v", s, p.String(), err)
		}
		if again.String() != p.String() {
			t.Fatalf("%q: %q then %q", s, p.String(), again.String())
		}
	})
}
