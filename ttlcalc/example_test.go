package ttlcalc_test

import (
	"fmt"
	"math"
	"time"

	"github.com/posturekit/posturekit/ttlcalc"
)

func ExampleEvaluate() {
	p, _ := ttlcalc.Preset(ttlcalc.PresetDefault)
	r, err := ttlcalc.Evaluate(p, ttlcalc.Change{TTL: 300 * time.Second},
		[]time.Duration{150 * time.Second, 300 * time.Second, 25 * time.Minute}, []float64{0.5, 0.99, 0.999})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, pt := range r.Points {
		fmt.Printf("after %4.0fs: %.2f%% updated (half-life rule: %.2f%%)\n", pt.T, 100*pt.Fraction, 100*r.HalfLife[i])
	}
	for _, q := range r.Quantiles {
		fmt.Printf("%g%% after %s\n", 100*q.Q, ttlcalc.FormatDuration(time.Duration(math.Round(*q.T))*time.Second))
	}
	fmt.Printf("100%% after %.0fs\n", *r.Bound)
	// Output:
	// after  150s: 49.04% updated (half-life rule: 29.29%)
	// after  300s: 98.09% updated (half-life rule: 50.00%)
	// after 1500s: 98.43% updated (half-life rule: 96.88%)
	// 50% after 2m33s
	// 99% after 57m36s
	// 99.9% after 21h36m
	// 100% after 86400s
}

func ExampleModel_Quantile() {
	// One resolver that honours the TTL: everybody has the new answer
	// after one TTL, not half of them.
	p, _ := ttlcalc.Preset(ttlcalc.PresetHonouring)
	m, _ := ttlcalc.New(p, ttlcalc.Change{TTL: time.Hour})
	half, _ := m.Quantile(0.5)
	all, _ := m.Quantile(1)
	fmt.Println(half, all, m.Fraction(time.Hour), ttlcalc.HalfLife(time.Hour, time.Hour))
	// Output: 30m0s 1h0m0s 1 0.5
}

func ExampleModel_Breakdown() {
	p, _ := ttlcalc.Preset(ttlcalc.PresetDefault)
	m, _ := ttlcalc.New(p, ttlcalc.Change{TTL: 300 * time.Second})
	for _, c := range m.Breakdown(30 * time.Minute) {
		fmt.Printf("%-26s %4.0f%% of queries, %6.2f%% of them updated\n", c.Name, 100*c.Share, 100*c.Fraction)
	}
	// Output:
	// honouring, child-centric     72% of queries, 100.00% of them updated
	// honouring, parent-centric    20% of queries, 100.00% of them updated
	// floor 5m                      6% of queries, 100.00% of them updated
	// floor 1h                      1% of queries,  50.00% of them updated
	// floor 1d                      1% of queries,   2.08% of them updated
}

func ExamplePlanChange() {
	p, _ := ttlcalc.Preset(ttlcalc.PresetDefault)
	pl, err := ttlcalc.PlanChange(p, ttlcalc.Change{TTL: 24 * time.Hour, LoweredTTL: 300 * time.Second}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range pl.Steps {
		fmt.Printf("%+7.0fs %s\n", s.At, s.Action)
	}
	for _, h := range pl.Holdouts {
		fmt.Printf("holdout: %s (%.0f%%), %s\n", h.Name, 100*h.Share, h.Why)
	}
	// Output:
	// -86400s Lower the record's TTL from 1d to 5m.
	//      +0s Switch the record to the new data; keep the old endpoint serving.
	//  +86400s Retire the old endpoint: no client gets the old answer any more.
	//  +86400s Raise the TTL back to 1d.
	// holdout: floor 1h (1%), TTL floor 1h
	// holdout: floor 1d (1%), TTL floor 1d
}

func ExampleParsePopulation() {
	p, err := ttlcalc.ParsePopulation([]byte(`{
		"name": "corporate",
		"classes": [
			{"name": "office resolvers", "share": 0.7, "cap": "1d"},
			{"name": "java services", "share": 0.3, "stubs": [{"mode": "fixed", "lifetime": "30s"}]}
		]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := ttlcalc.New(p, ttlcalc.Change{TTL: 60 * time.Second})
	b, _ := m.Bound()
	fmt.Println(p.Name, len(p.Classes), b)

	_, err = ttlcalc.ParsePopulation([]byte(`{"name": "x", "classes": [{"name": "a", "share": 1, "floor": "5 min"}]}`))
	fmt.Println(err)
	// Output:
	// corporate 2 1m30s
	// ttlcalc: bad population: classes[0].floor: "5 min": unknown unit " min" (want s, m, h, d, w, ms, us or ns, or plain seconds)
}

func ExampleParseDuration() {
	for _, s := range []string{"300", "300s", "1h30m", "2d", "1w"} {
		d, _ := ttlcalc.ParseDuration(s)
		fmt.Println(s, int64(d.Seconds()), ttlcalc.FormatDuration(d))
	}
	// Output:
	// 300 300 5m
	// 300s 300 5m
	// 1h30m 5400 1h30m
	// 2d 172800 2d
	// 1w 604800 7d
}
