package ttlcalc

import (
	"encoding/xml"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func stepActions(p *Plan) string {
	var b strings.Builder
	for _, s := range p.Steps {
		b.WriteString(FormatDuration(secs(abs(s.At))))
		if s.At < 0 {
			b.WriteString(" before: ")
		} else {
			b.WriteString(" after: ")
		}
		b.WriteString(s.Action)
		b.WriteString("\n")
	}
	return b.String()
}

func abs(x float64) float64 { return max(x, -x) }

func TestPlanRecord(t *testing.T) {
	p := preset(t, PresetDefault)
	pl, err := PlanChange(p, Change{TTL: day, LoweredTTL: 300 * sec}, nil)
	require.NoError(t, err)
	assert.Equal(t, 86400.0, pl.TTL)
	assert.Equal(t, 300.0, pl.LoweredTTL)
	// The longest lifetime among classes that gain: the 1 d cap of the
	// honouring classes (the 1 h floor class gains too; the 1 d floor
	// class does not).
	assert.Equal(t, 86400.0, pl.Lead)
	require.NotNil(t, pl.KeepOld)
	assert.Equal(t, 86400.0, *pl.KeepOld, "the 1 d floor sets how long the old endpoint must live")
	assert.Len(t, pl.Holdouts, 2)
	assert.Equal(t, "floor 1h", pl.Holdouts[0].Name)
	assert.Equal(t, "floor 1d", pl.Holdouts[1].Name)
	assert.Contains(t, pl.Holdouts[1].Why, "TTL floor 1d")
	// With the plan, 99% in under an hour; at once, almost a day.
	q99 := pl.Quantiles[2]
	assert.Equal(t, 0.99, q99.Q)
	assert.InDelta(t, 3456, *q99.T, 0.5)
	assert.Greater(t, *pl.Unplanned.Quantiles[2].T, 80000.0)
	assert.Equal(t, "1d before: Lower the record's TTL from 1d to 5m.\n"+
		"0s after: Switch the record to the new data; keep the old endpoint serving.\n"+
		"1d after: Retire the old endpoint: no client gets the old answer any more.\n"+
		"1d after: Raise the TTL back to 1d.\n", stepActions(pl))
	assert.True(t, pl.Warnings.Has("ttlcalc.assumption"))
	assert.True(t, pl.Warnings.Has("ttlcalc.holdouts"))
	assert.False(t, pl.Warnings.HasErrors())

	// The rule of thumb's own population: no bound, a longer lead.
	pl, err = PlanChange(preset(t, PresetHalfLife), Change{TTL: 3600 * sec, LoweredTTL: 60 * sec}, []float64{0.5, 1})
	require.NoError(t, err)
	assert.InDelta(t, 3600*9.9658, pl.Lead, 1)
	assert.Nil(t, pl.KeepOld)
	assert.NotEmpty(t, pl.KeepOldReason)
	assert.Nil(t, pl.Quantiles[1].T)
	assert.True(t, pl.Warnings.Has("ttlcalc.unbounded"))
	assert.Contains(t, stepActions(pl), "Watch the old endpoint's traffic")

	// Nothing to lower.
	pl, err = PlanChange(preset(t, PresetHonouring), Change{TTL: 60 * sec}, nil)
	require.NoError(t, err)
	assert.Zero(t, pl.Lead)
	assert.Zero(t, pl.LoweredTTL)
	assert.Equal(t, pl.Quantiles, pl.Unplanned.Quantiles)
	assert.True(t, pl.Warnings.Has("ttlcalc.no_lowering"))
	assert.Equal(t, "0s after: Switch the record to the new data; keep the old endpoint serving.\n"+
		"1m after: Retire the old endpoint: no client gets the old answer any more.\n", stepActions(pl))

	// Lowering that gains nothing: every class keeps a day.
	pl, err = PlanChange(one(Class{Floor: day}), Change{TTL: 3600 * sec, LoweredTTL: 60 * sec}, nil)
	require.NoError(t, err)
	assert.Zero(t, pl.Lead)
	assert.Zero(t, pl.LoweredTTL)
	assert.True(t, pl.Warnings.Has("ttlcalc.no_lowering"))

	// A very low target TTL, serve-stale classes.
	pl, err = PlanChange(&Population{Name: "mix", Classes: []Class{
		{Name: "a", Share: 0.5, Stale: StaleRFC8767, MaxStale: day},
		{Name: "b", Share: 0.5, Stale: StaleOptimistic, QueryRate: 1.0 / 3600, MaxStale: day},
	}}, Change{TTL: 3600 * sec, LoweredTTL: 10 * sec}, nil)
	require.NoError(t, err)
	for _, code := range []string{"ttlcalc.ttl_very_low", "ttlcalc.cold_names", "ttlcalc.serve_stale", "ttlcalc.holdouts"} {
		assert.True(t, pl.Warnings.Has(code), code)
	}

	_, err = PlanChange(p, Change{TTL: day, LoweredTTL: 300 * sec, LeadTime: sec}, nil)
	assert.ErrorIs(t, err, ErrChange)
	_, err = PlanChange(p, Change{TTL: 300 * sec, LoweredTTL: day}, nil)
	assert.ErrorIs(t, err, ErrChange)
	_, err = PlanChange(p, Change{TTL: day}, []float64{2})
	assert.ErrorIs(t, err, ErrQuantile)
}

func TestPlanDelegation(t *testing.T) {
	c := Change{Kind: KindDelegation, ParentNSTTL: DefaultParentNSTTL, ChildNSTTL: day, LoweredTTL: 300 * sec, PublishDelay: DefaultPublishDelay}
	pl, err := PlanChange(preset(t, PresetDefault), c, nil)
	require.NoError(t, err)
	assert.Equal(t, 86400.0, pl.Lead)
	require.NotNil(t, pl.KeepOld)
	// Parent-centric resolvers follow the parent's 2 d, capped at 1 d.
	assert.Equal(t, 86400.0+300, *pl.KeepOld)
	require.Len(t, pl.Holdouts, 1)
	assert.Contains(t, pl.Holdouts[0].Why, "parent-centric")
	for _, code := range []string{"ttlcalc.parent_ttl", "ttlcalc.dnssec", "ttlcalc.phoenix_domain"} {
		assert.True(t, pl.Warnings.Has(code), code)
	}
	s := stepActions(pl)
	assert.Contains(t, s, "1d before: At the old provider, lower the zone's NS TTL from 1d to 5m.")
	assert.Contains(t, s, "5m after: The registry publishes the new delegation.")
	assert.Contains(t, s, "1d5m after: Delete the zone at the old provider")
	assert.Contains(t, s, "Raise the NS TTL at the new provider back to 1d.")
}

func TestPlanNegative(t *testing.T) {
	c := Change{Kind: KindNegative, SOATTL: 3600 * sec, SOAMinimum: 2 * day, LoweredTTL: 300 * sec}
	pl, err := PlanChange(preset(t, PresetConservative), c, []float64{0.99})
	require.NoError(t, err)
	assert.Equal(t, 3600.0, pl.TTL)
	assert.Equal(t, 3600.0, pl.Lead)
	require.NotNil(t, pl.KeepOld)
	assert.Equal(t, 300.0, *pl.KeepOld)
	assert.Empty(t, pl.Holdouts)
	assert.False(t, pl.Warnings.Has("ttlcalc.negative_ttl_long"), "the negative TTL is min(SOA TTL, MINIMUM) = 1h")
	assert.Contains(t, stepActions(pl), "1h before: Lower the zone's SOA MINIMUM")

	pl, err = PlanChange(preset(t, PresetHonouring), Change{Kind: KindNegative, SOATTL: 2 * day, SOAMinimum: 2 * day}, nil)
	require.NoError(t, err)
	assert.True(t, pl.Warnings.Has("ttlcalc.negative_ttl_long"))
}

func TestSVG(t *testing.T) {
	for _, tc := range []struct {
		p *Population
		c Change
	}{
		{preset(t, PresetDefault), Change{TTL: 300 * sec}},
		{preset(t, PresetHalfLife), Change{Kind: KindDelegation, ParentNSTTL: day, ChildNSTTL: 3600 * sec, PublishDelay: 300 * sec}},
		{&Population{Name: `<&"x">`, Assumption: strings.Repeat("long words ", 60) + "\x01", Classes: []Class{{Share: 1}}}, Change{TTL: 0}},
	} {
		m := mustModel(t, tc.p, tc.c)
		s := m.SVG(SVGOptions{})
		assert.Equal(t, s, m.SVG(SVGOptions{}), "deterministic")
		// Well-formed XML, and what a reader needs.
		d := xml.NewDecoder(strings.NewReader(s))
		polylines, texts := 0, 0
		for {
			tok, err := d.Token()
			if err != nil {
				assert.Equal(t, "EOF", err.Error(), "XML: %v", err)
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				switch se.Name.Local {
				case "polyline":
					polylines++
				case "text":
					texts++
				}
			}
		}
		assert.Equal(t, 2, polylines, "the model and the half-life rule")
		assert.Greater(t, texts, 10)
		assert.Contains(t, s, "half-life rule")
		assert.Contains(t, s, "log scale")
	}
	m := mustModel(t, preset(t, PresetDefault), Change{TTL: 300 * sec})
	s := m.SVG(SVGOptions{Width: 400, Height: 300, From: time.Second, To: 2 * day, Title: "custom"})
	assert.Contains(t, s, `width="400" height="300"`)
	assert.Contains(t, s, "<title>custom</title>")
	assert.Contains(t, s, "100% at 1d")
	assert.Contains(t, s, "Assumption: assumed client shares")
}

var update = flag.Bool("update", false, "rewrite testdata/*.svg from the current output")

// TestSVGGolden keeps the plot of the default population stable; the
// README shows it. Regenerate with go test ./ttlcalc -run SVGGolden -update.
func TestSVGGolden(t *testing.T) {
	for _, g := range []struct {
		file string
		p    string
		c    Change
	}{
		{"testdata/default-300s.svg", PresetDefault, Change{TTL: 300 * sec}},
		{"testdata/default-delegation.svg", PresetDefault, Change{Kind: KindDelegation, ParentNSTTL: DefaultParentNSTTL, ChildNSTTL: 3600 * sec, PublishDelay: DefaultPublishDelay}},
	} {
		got := mustModel(t, preset(t, g.p), g.c).SVG(SVGOptions{})
		if *update {
			require.NoError(t, os.WriteFile(g.file, []byte(got), 0o644))
			continue
		}
		want, err := os.ReadFile(g.file)
		require.NoError(t, err)
		assert.Equal(t, string(want), got, "%s changed; if on purpose, run with -update", g.file)
	}
}
