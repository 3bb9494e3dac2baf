package ttlcalc

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

// FuzzParsePopulation checks that reading a population never panics, that
// what reads round-trips through MarshalJSON, and that the model of what
// validates gives fractions in [0, 1].
func FuzzParsePopulation(f *testing.F) {
	for _, name := range PresetNames() {
		p, _ := Preset(name)
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	for _, s := range []string{
		`{"name": "x", "classes": [{"share": 1, "query_rate": 0.01, "stale": "optimistic", "max_stale": "1h"}]}`,
		`{"name": "x", "classes": [{"share": 0.5, "stubs": [{"mode": "fixed", "lifetime": 30}]}, {"share": 0.5, "memoryless": true}]}`,
		`{"classes": [{"share": 1, "floor": "1e3"}]}`, `[]`, `null`, `{"classes": [{}]}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePopulation(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("a parsed population does not marshal: %v", err)
		}
		p2, err := ParsePopulation(b)
		if err != nil {
			t.Fatalf("marshalled population does not parse: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("round trip changed the population:\n%+v\n%+v", p, p2)
		}
		for _, c := range []Change{{TTL: 300 * time.Second}, {TTL: time.Hour, LoweredTTL: time.Minute, LeadTime: time.Hour}} {
			m, err := New(p, c)
			if err != nil {
				t.Fatalf("a valid population does not compile: %v", err)
			}
			for _, s := range []float64{0, 1, 60, 300, 3600, 86400} {
				if v := m.fraction(s); !(v >= 0 && v <= 1) || math.IsNaN(v) {
					t.Fatalf("F(%v) = %v", s, v)
				}
			}
		}
	})
}

// FuzzParseDuration checks that the duration parser never panics and that
// what it reads round-trips through FormatDuration.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"300", "300s", "1h30m", "1.5h", "2d", "1w2d3h4m5.5s", "250ms", "0", "-1", "5x", ".5", "1e9", "24855d3h14m7s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 || d > MaxTTL {
			t.Fatalf("%q gives %v, out of range", s, d)
		}
		out := FormatDuration(d)
		d2, err := ParseDuration(out)
		if err != nil || d2 != d {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, d, out, d2, err)
		}
	})
}
