package ttlcalc

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// maxDurationText bounds the length of a duration ParseDuration reads.
const maxDurationText = 64

// MaxTTL is the largest TTL DNS can carry: 2^31-1 seconds (RFC 2181,
// Section 8). Every TTL and lifetime ttlcalc reads is bounded by it.
const MaxTTL = (1<<31 - 1) * time.Second

// units of ParseDuration, longest first where one is a prefix of another.
var units = []struct {
	name string
	d    time.Duration
}{
	{"ns", time.Nanosecond},
	{"us", time.Microsecond},
	{"µs", time.Microsecond},
	{"μs", time.Microsecond},
	{"ms", time.Millisecond},
	{"s", time.Second},
	{"m", time.Minute},
	{"h", time.Hour},
	{"d", 24 * time.Hour},
	{"w", 7 * 24 * time.Hour},
}

// ParseDuration reads a duration as Go writes it ("300s", "1h30m",
// "1.5h"), with d (24 h) and w (7 d) as further units ("2d", "1w2d"), or
// as plain seconds ("300", "0.5"). Durations are never negative, and at
// most [MaxTTL] long. Errors wrap [ErrDuration].
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	bad := func(format string, args ...any) (time.Duration, error) {
		if len(orig) > maxDurationText {
			orig = orig[:maxDurationText] + "..."
		}
		return 0, fmt.Errorf("%w %q: %s", ErrDuration, orig, fmt.Sprintf(format, args...))
	}
	if len(s) > maxDurationText {
		return bad("longer than %d bytes", maxDurationText)
	}
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return bad("empty")
	case s[0] == '-':
		return bad("negative")
	case s[0] == '+':
		s = s[1:]
	}
	var total time.Duration
	for first := true; s != "" || first; first = false {
		// The number: digits, optionally a fraction.
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		num := s[:i]
		if num == "" || num == "." || strings.Count(num, ".") > 1 {
			return bad("want a number at %q", s)
		}
		s = s[i:]
		// The unit: letters up to the next digit.
		j := 0
		for j < len(s) && !(s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		unitName := s[:j]
		s = s[j:]
		var unit time.Duration
		switch {
		case unitName == "" && first && s == "":
			unit = time.Second // plain seconds
		case unitName == "":
			return bad("number %s has no unit", num)
		default:
			for _, u := range units {
				if u.name == unitName {
					unit = u.d
				}
			}
			if unit == 0 {
				return bad("unknown unit %q (want s, m, h, d, w, ms, us or ns, or plain seconds)", unitName)
			}
		}
		d, ok := scale(num, unit)
		if !ok || d > MaxTTL-total {
			return bad("longer than %d seconds (RFC 2181, Section 8)", int64(MaxTTL/time.Second))
		}
		total += d
	}
	return total, nil
}

// scale returns num (digits with an optional fraction) times unit, rounded
// to the nanosecond; ok is false when it does not fit in [MaxTTL].
func scale(num string, unit time.Duration) (time.Duration, bool) {
	whole, frac, _ := strings.Cut(num, ".")
	var d time.Duration
	if whole != "" {
		// Leading zeros are harmless; too many digits are not.
		whole = strings.TrimLeft(whole, "0")
		if len(whole) > 12 {
			return 0, false
		}
		if whole != "" {
			n, err := strconv.ParseInt(whole, 10, 64)
			if err != nil || n > int64(MaxTTL/unit) {
				return 0, false
			}
			d = time.Duration(n) * unit
		}
	}
	if frac != "" {
		// Keep enough digits for nanosecond precision of the largest unit.
		if len(frac) > 18 {
			frac = frac[:18]
		}
		f, err := strconv.ParseFloat("0."+frac, 64)
		if err != nil {
			return 0, false
		}
		d += time.Duration(math.Round(f * float64(unit)))
	}
	return d, d <= MaxTTL
}

// FormatDuration writes d in the shortest form ParseDuration reads back to
// the same value: "0s", "300ms", "5m", "1h30m", "2d", "1d0h0m0.5s" is
// written "1d0.5s". Days are the largest unit; a negative d is written
// with a leading "-" (ParseDuration rejects it).
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		if d == math.MinInt64 {
			d++ // off by a nanosecond rather than overflow
		}
		d = -d
	}
	if d < time.Second {
		switch {
		case d%time.Millisecond == 0:
			fmt.Fprintf(&b, "%dms", d/time.Millisecond)
		case d%time.Microsecond == 0:
			fmt.Fprintf(&b, "%dus", d/time.Microsecond)
		default:
			fmt.Fprintf(&b, "%dns", int64(d))
		}
		return b.String()
	}
	for _, u := range []struct {
		name string
		d    time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}} {
		if d >= u.d {
			fmt.Fprintf(&b, "%d%s", d/u.d, u.name)
			d %= u.d
		}
	}
	if d > 0 {
		sec := d / time.Second
		ns := d % time.Second
		if ns == 0 {
			fmt.Fprintf(&b, "%ds", sec)
		} else {
			frac := strings.TrimRight(fmt.Sprintf("%09d", ns), "0")
			fmt.Fprintf(&b, "%d.%ss", sec, frac)
		}
	}
	return b.String()
}

// seconds converts a duration to float64 seconds, the unit of the model.
func seconds(d time.Duration) float64 { return d.Seconds() }

// fromSeconds converts float64 seconds to a duration, rounded to the
// nanosecond and saturated at the extremes.
func fromSeconds(s float64) time.Duration {
	switch {
	case math.IsNaN(s):
		return 0
	case s >= float64(math.MaxInt64)/1e9:
		return math.MaxInt64
	case s <= float64(math.MinInt64)/1e9:
		return math.MinInt64
	}
	return time.Duration(math.Round(s * 1e9))
}
