package command

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/posturekit/posturekit/ttlcalc"
)

// runTTLCommand runs a ttl command through the table, as the faces do.
// files are the inputs Open can read.
func runTTLCommand(t *testing.T, name string, flags map[string]any, files map[string]string) (*Output, error) {
	t.Helper()
	c := Lookup(name)
	require.NotNil(t, c, "no command %q", name)
	open := func(n string) (io.ReadCloser, error) {
		s, ok := files[n]
		if !ok {
			return nil, errors.New(n + ": no such file or directory")
		}
		return io.NopCloser(strings.NewReader(s)), nil
	}
	in, err := NewInput(c, nil, flags, open)
	if err != nil {
		return nil, err
	}
	return c.Run(context.Background(), in)
}

// jsonOf marshals a result as --json prints it and reads it back as plain
// maps, to check field names.
func jsonOf(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestTTLRecord(t *testing.T) {
	out, err := runTTLCommand(t, "ttl", map[string]any{
		"ttl": "300", "at": []string{"150s", "5m", "25m"}, "quantile": []string{"0.5", "99%", "99.9%"},
	}, nil)
	require.NoError(t, err)
	assert.False(t, out.Failed)
	res, ok := out.Value.(*TTLResult)
	require.True(t, ok, "%T", out.Value)
	assert.Equal(t, "default", res.Population)

	// The contract's field names.
	m := jsonOf(t, res)
	assert.Equal(t, "default", m["population"])
	assert.Equal(t, 86400.0, m["bound_seconds"])
	points := m["points"].([]any)
	require.Len(t, points, 3)
	assert.Equal(t, map[string]any{"t_seconds": 300.0, "fraction": 0.980868056}, points[1])
	qs := m["quantiles"].([]any)
	require.Len(t, qs, 3)
	q := qs[1].(map[string]any)
	assert.Equal(t, 0.99, q["q"])
	assert.InDelta(t, 3456, q["t_seconds"].(float64), 1e-6)
	assert.NotContains(t, m, "svg")
	assert.Contains(t, m["assumption"], "assumed", "the default population is labelled an assumption")

	assert.Contains(t, out.Text, "record change: TTL 5m")
	assert.Contains(t, out.Text, "assumption: assumed client shares")
	assert.Contains(t, out.Text, "5m              98.09%           50.00%")
	assert.Contains(t, out.Text, "99%             57m36s")
	assert.Contains(t, out.Text, "Every client has the new answer after 1d.")
	assert.Contains(t, out.Text, "floor 1d                    1.00%           1d")

	// A lowered TTL, the half-life preset (no bound: null).
	out, err = runTTLCommand(t, "ttl", map[string]any{
		"ttl": "1d", "lowered-ttl": "300s", "lead-time": "12h", "at": []string{"300"}, "population": "halflife",
	}, nil)
	require.NoError(t, err)
	m = jsonOf(t, out.Value)
	assert.Nil(t, m["bound_seconds"])
	assert.Contains(t, m["bound_reason"], "memoryless")
	assert.Contains(t, out.Text, "lowered to 5m 12h before")
	assert.Contains(t, out.Text, "Some clients may keep the old answer at any time")
	q = m["quantiles"].([]any)[4].(map[string]any) // the default quantiles end with 1
	assert.Equal(t, 1.0, q["q"])
	assert.Nil(t, q["t_seconds"], "100% is never reached")
}

func TestTTLDelegationAndNegative(t *testing.T) {
	out, err := runTTLCommand(t, "ttl delegation", map[string]any{
		"child-ns-ttl": "3600", "population": "honouring", "at": []string{"35m"}, "quantile": []string{"1"},
	}, nil)
	require.NoError(t, err)
	res := out.Value.(*TTLResult)
	assert.Equal(t, ttlcalc.KindDelegation, res.Kind)
	// Published after 5 min, then the child's 1 h.
	require.NotNil(t, res.Bound)
	assert.Equal(t, 3900.0, *res.Bound)
	assert.InDelta(t, 0.5, res.Points[0].Fraction, 1e-9)
	assert.Contains(t, out.Text, "delegation change: parent NS TTL 2d, child NS TTL 1h, published after 5m")

	out, err = runTTLCommand(t, "ttl delegation", map[string]any{
		"child-ns-ttl": "1h", "parent-ns-ttl": "1d", "publish-delay": "0", "child-ns-unseen": "50%", "population": "honouring",
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, 86400.0, *out.Value.(*TTLResult).Bound, "half the resolvers follow the parent's TTL")

	out, err = runTTLCommand(t, "ttl negative", map[string]any{"soa-ttl": "1h", "soa-minimum": "15m", "population": "honouring"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 900.0, *out.Value.(*TTLResult).Bound, "min(SOA TTL, MINIMUM)")
	assert.Contains(t, out.Text, "negative TTL 15m (SOA TTL 1h, MINIMUM 15m)")
}

func TestTTLPopulationFile(t *testing.T) {
	files := map[string]string{
		"pop.json":  `{"name": "lab", "classes": [{"name": "jvm", "share": 1, "stubs": [{"mode": "fixed", "lifetime": "30s"}]}]}`,
		"bad.json":  `{"name": "lab", "classes": [{"name": "jvm", "share": 1, "flor": 30}]}`,
		"anon.json": `{"classes": [{"share": 1}]}`,
	}
	out, err := runTTLCommand(t, "ttl", map[string]any{"ttl": "60", "population": "pop.json", "quantile": []string{"1"}}, files)
	require.NoError(t, err)
	res := out.Value.(*TTLResult)
	assert.Equal(t, "lab", res.Population)
	assert.Equal(t, 90.0, *res.Bound)
	out, err = runTTLCommand(t, "ttl", map[string]any{"ttl": "60", "population": "anon.json"}, files)
	require.NoError(t, err)
	assert.Equal(t, "anon.json", out.Value.(*TTLResult).Population, "an unnamed population is named after its file")

	_, err = runTTLCommand(t, "ttl", map[string]any{"ttl": "60", "population": "bad.json"}, files)
	assert.True(t, IsUsage(err), "%v", err)
	assert.ErrorContains(t, err, "classes[0].flor: unknown field")
	_, err = runTTLCommand(t, "ttl", map[string]any{"ttl": "60", "population": "defualt"}, files)
	assert.True(t, IsUsage(err))
	assert.ErrorContains(t, err, `--population "defualt" is not a preset (honouring, default, conservative, halflife)`)
}

func TestTTLUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		cmd      string
		flags    map[string]any
		contains string
	}{
		{"ttl", map[string]any{}, "ttl: --ttl is required"},
		{"ttl", map[string]any{"ttl": "5x"}, `--ttl: bad duration "5x": unknown unit "x"`},
		{"ttl", map[string]any{"ttl": "-5"}, "negative"},
		{"ttl", map[string]any{"ttl": "300", "lowered-ttl": "600", "lead-time": "1h"}, "--lowered-ttl: 10m is not below ttl (5m)"},
		{"ttl", map[string]any{"ttl": "300", "lead-time": "1h"}, "--lead-time needs --lowered-ttl"},
		{"ttl", map[string]any{"ttl": "300", "quantile": []string{"1.5"}}, `--quantile "1.5": want a fraction from 0 to 1`},
		{"ttl", map[string]any{"ttl": "300", "quantile": []string{"x"}}, `--quantile "x": want a fraction such as 0.99`},
		{"ttl", map[string]any{"ttl": "300", "at": []string{"soon"}}, "--at: bad duration"},
		{"ttl", map[string]any{"ttl": "2147483648"}, "longer than 2147483647 seconds"},
		{"ttl delegation", map[string]any{}, "ttl delegation: --child-ns-ttl is required"},
		{"ttl delegation", map[string]any{"child-ns-ttl": "1h", "child-ns-unseen": "2"}, "--child-ns-unseen"},
		{"ttl negative", map[string]any{"soa-ttl": "1h"}, "ttl negative: --soa-minimum is required"},
		{"ttl plan", map[string]any{}, "ttl plan: --ttl is required"},
		{"ttl plan", map[string]any{"kind": "cname"}, `--kind "cname": want record, negative or delegation`},
		{"ttl plan", map[string]any{"ttl": "1h", "child-ns-ttl": "1h"}, "--child-ns-ttl applies to --kind delegation, not record"},
		{"ttl plan", map[string]any{"kind": "delegation", "ttl": "1h"}, "--ttl applies to --kind record, not delegation"},
		{"ttl plan", map[string]any{"ttl": "1h", "lowered-ttl": "2h"}, "--lowered-ttl: 2h is not below ttl (1h)"},
		{"ttl plan", map[string]any{"ttl": "1h", "quantile": []string{"200%"}}, "--quantile"},
	} {
		_, err := runTTLCommand(t, tc.cmd, tc.flags, nil)
		if assert.Error(t, err, "%s %v", tc.cmd, tc.flags) {
			assert.True(t, IsUsage(err), "%s %v: %v is not a usage error", tc.cmd, tc.flags, err)
			assert.Contains(t, err.Error(), tc.contains, "%s %v", tc.cmd, tc.flags)
		}
	}
}

func TestTTLPlan(t *testing.T) {
	out, err := runTTLCommand(t, "ttl plan", map[string]any{"ttl": "1d"}, nil)
	require.NoError(t, err)
	pl, ok := out.Value.(*ttlcalc.Plan)
	require.True(t, ok, "%T", out.Value)
	assert.Equal(t, 300.0, pl.LoweredTTL, "the default target")
	assert.Equal(t, 86400.0, pl.Lead)
	m := jsonOf(t, pl)
	for _, k := range []string{"population", "kind", "ttl_seconds", "lowered_ttl_seconds", "lead_seconds", "quantiles", "keep_old_seconds", "unplanned", "holdouts", "steps", "warnings"} {
		assert.Contains(t, m, k)
	}
	assert.Contains(t, out.Text, "plan: lower the TTL to 5m, 1d before the switch (T)")
	assert.Contains(t, out.Text, "1. T-1d       Lower the record's TTL from 1d to 5m.")
	assert.Contains(t, out.Text, "3. T+1d       Retire the old endpoint")
	assert.Contains(t, out.Text, "99%                57m36s        23h45m36s")
	assert.Contains(t, out.Text, "[ttlcalc.holdouts]")

	// Already short: no lowering.
	out, err = runTTLCommand(t, "ttl plan", map[string]any{"ttl": "60", "population": "honouring"}, nil)
	require.NoError(t, err)
	assert.Zero(t, out.Value.(*ttlcalc.Plan).LoweredTTL)
	assert.Contains(t, out.Text, "plan: switch without lowering a TTL")
	out, err = runTTLCommand(t, "ttl plan", map[string]any{"ttl": "1h", "lowered-ttl": "0", "population": "honouring"}, nil)
	require.NoError(t, err)
	assert.Zero(t, out.Value.(*ttlcalc.Plan).LoweredTTL)

	out, err = runTTLCommand(t, "ttl plan", map[string]any{"kind": "delegation", "child-ns-ttl": "1d"}, nil)
	require.NoError(t, err)
	pl = out.Value.(*ttlcalc.Plan)
	assert.True(t, pl.Warnings.Has("ttlcalc.parent_ttl"))
	assert.True(t, pl.Warnings.Has("ttlcalc.dnssec"))
	assert.Contains(t, out.Text, "T+5m       The registry publishes the new delegation.")

	out, err = runTTLCommand(t, "ttl plan", map[string]any{"kind": "negative", "soa-ttl": "1h", "soa-minimum": "3h", "population": "conservative"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 3600.0, out.Value.(*ttlcalc.Plan).Lead)
	assert.Contains(t, out.Text, "Create the name.")
}

func TestTTLSVG(t *testing.T) {
	out, err := runTTLCommand(t, "ttl", map[string]any{"ttl": "300", "svg": "-"}, nil)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(out.Text, "<svg "), "the SVG replaces the table")
	assert.Contains(t, jsonOf(t, out.Value)["svg"], "half-life rule")

	name := filepath.Join(t.TempDir(), "curve.svg")
	out, err = runTTLCommand(t, "ttl negative", map[string]any{"soa-ttl": "1h", "soa-minimum": "1h", "svg": name}, nil)
	if ttlWriteFile == nil { // the browser build has no files
		assert.True(t, IsUsage(err), "%v", err)
		return
	}
	require.NoError(t, err)
	assert.Contains(t, out.Text, "wrote the plot to "+name)
	assert.NotContains(t, jsonOf(t, out.Value), "svg")
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "<svg "))
	entries, _ := os.ReadDir(filepath.Dir(name))
	assert.Len(t, entries, 1, "no temporary file left behind")

	_, err = runTTLCommand(t, "ttl", map[string]any{"ttl": "300", "svg": filepath.Join(t.TempDir(), "missing", "x.svg")}, nil)
	assert.Error(t, err)
	assert.False(t, IsUsage(err), "a write failure is operational")
}
