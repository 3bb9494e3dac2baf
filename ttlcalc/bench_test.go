package ttlcalc

import (
	"testing"
	"time"
)

// curveTimes are 1,000 times from 0 to two days.
func curveTimes() []time.Duration {
	ts := make([]time.Duration, 1000)
	for i := range ts {
		ts[i] = time.Duration(i) * 2 * day / 999
	}
	return ts
}

// BenchmarkCurveDefault is the acceptance benchmark: a 1,000-point curve
// for the default population, well under a millisecond.
func BenchmarkCurveDefault(b *testing.B) {
	p, _ := Preset(PresetDefault)
	m, err := New(p, Change{TTL: 300 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	ts := curveTimes()
	b.ReportAllocs()
	for b.Loop() {
		m.Curve(ts)
	}
}

// BenchmarkNewAndCurveDefault includes compiling the model, as a face does
// for each request.
func BenchmarkNewAndCurveDefault(b *testing.B) {
	p, _ := Preset(PresetDefault)
	ts := curveTimes()
	b.ReportAllocs()
	for b.Loop() {
		m, err := New(p, Change{TTL: 86400 * time.Second, LoweredTTL: 300 * time.Second, LeadTime: 43200 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		m.Curve(ts)
	}
}

// BenchmarkReportDefault is what "posturekit ttl --ttl 300" computes.
func BenchmarkReportDefault(b *testing.B) {
	p, _ := Preset(PresetDefault)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Evaluate(p, Change{TTL: 300 * time.Second}, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCurveStubs has three fixed stub layers (eight subsets).
func BenchmarkCurveStubs(b *testing.B) {
	p := &Population{Name: "stubs", Classes: []Class{{Share: 1, Stubs: []Stub{{StubFixed, 30 * time.Second}, {StubFixed, time.Minute}, {StubFixed, 2 * time.Minute}}}}}
	m, err := New(p, Change{TTL: 300 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	ts := curveTimes()
	b.ReportAllocs()
	for b.Loop() {
		m.Curve(ts)
	}
}

// BenchmarkNewSparseLowered is the numeric path: a sparse cache with a
// lowered TTL.
func BenchmarkNewSparseLowered(b *testing.B) {
	p := &Population{Name: "sparse", Classes: []Class{{Share: 1, QueryRate: 1.0 / 600, Stale: StaleOptimistic, MaxStale: day}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(p, Change{TTL: day, LoweredTTL: 300 * time.Second, LeadTime: day}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanDefault is what "posturekit ttl plan --ttl 1d" computes.
func BenchmarkPlanDefault(b *testing.B) {
	p, _ := Preset(PresetDefault)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PlanChange(p, Change{TTL: day, LoweredTTL: 300 * time.Second}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSVG draws the default curve.
func BenchmarkSVG(b *testing.B) {
	p, _ := Preset(PresetDefault)
	m, _ := New(p, Change{TTL: 300 * time.Second})
	b.ReportAllocs()
	for b.Loop() {
		m.SVG(SVGOptions{})
	}
}
