package ttlcalc

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseDuration(t *testing.T) {
	good := func(s string, want time.Duration) {
		t.Helper()
		got, err := ParseDuration(s)
		if assert.NoError(t, err, "%q", s) {
			assert.Equal(t, want, got, "%q", s)
		}
	}
	bad := func(s, contains string) {
		t.Helper()
		_, err := ParseDuration(s)
		if assert.ErrorIs(t, err, ErrDuration, "%q", s) {
			assert.Contains(t, err.Error(), contains, "%q", s)
		}
	}
	good("300", 300*time.Second) // plain seconds
	good(" 300 ", 300*time.Second)
	good("0", 0)
	good("0.5", 500*time.Millisecond)
	good("300s", 300*time.Second) // Go syntax
	good("5m0s", 5*time.Minute)
	good("1h30m", 90*time.Minute)
	good("1.5h", 90*time.Minute)
	good("24h", day)
	good("2d", 2*day) // d and w
	good("1w2d", 9*day)
	good("1d0.5s", day+500*time.Millisecond)
	good("250ms", 250*time.Millisecond)
	good("1us", time.Microsecond)
	good("1µs", time.Microsecond)
	good("7ns", 7)
	good("+60", time.Minute)
	good(".5s", 500*time.Millisecond)
	good("2147483647", MaxTTL) // RFC 2181, Section 8
	good("0002147483647s", MaxTTL)

	bad("", "empty")
	bad("  ", "empty")
	bad("-5s", "negative")
	bad("5x", `unknown unit "x"`)
	bad("5 s", `unknown unit " s"`)
	bad("1h5", "has no unit")     // a unit is needed after the first number
	bad("s", "want a number")     // no number
	bad("1..5s", "want a number") // two dots
	bad(".", "want a number")
	bad("2147483648", "longer than 2147483647 seconds")
	bad("24856d", "longer than")
	bad("99999999999999999999s", "longer than")
	bad(strings.Repeat("1", 65), "longer than 64 bytes")
	bad("1e3", `unknown unit "e"`)
	bad("NaN", "want a number")
}

func TestFormatDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {time.Second, "1s"}, {300 * time.Second, "5m"}, {90 * time.Minute, "1h30m"},
		{day, "1d"}, {2*day + time.Hour + time.Second, "2d1h1s"}, {1500 * time.Millisecond, "1.5s"},
		{250 * time.Millisecond, "250ms"}, {3 * time.Microsecond, "3us"}, {7, "7ns"},
		{day + time.Nanosecond, "1d0.000000001s"}, {-time.Minute, "-1m"}, {MaxTTL, "24855d3h14m7s"},
	} {
		assert.Equal(t, c.want, FormatDuration(c.d), "%d", int64(c.d))
		if c.d >= 0 {
			back, err := ParseDuration(c.want)
			assert.NoError(t, err)
			assert.Equal(t, c.d, back, "round trip of %q", c.want)
		}
	}
}
