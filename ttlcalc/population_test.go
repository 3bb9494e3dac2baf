package ttlcalc

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPresets(t *testing.T) {
	for _, name := range PresetNames() {
		p, err := Preset(name)
		require.NoError(t, err, name)
		assert.NoError(t, p.Validate(), name)
		assert.Equal(t, name, p.Name)
		assert.NotEmpty(t, p.Assumption, "every preset says what it rests on")
		// A fresh copy each time: callers may change it.
		p.Classes[0].Share = 0.5
		q, _ := Preset(name)
		assert.NotEqual(t, 0.5, q.Classes[0].Share)
	}
	_, err := Preset("defualt")
	assert.ErrorIs(t, err, ErrPopulation)
	assert.Contains(t, err.Error(), "honouring, default, conservative, halflife")

	// The default mix of the spec, Section 5.
	p, _ := Preset(PresetDefault)
	shares := map[string]float64{}
	child := 0.0
	for _, c := range p.Classes {
		shares[c.Name] = c.Share
		if c.Centricity != ParentCentric {
			child += c.Share
		}
	}
	assert.InDelta(t, 0.92, shares["honouring, child-centric"]+shares["honouring, parent-centric"], 1e-12)
	assert.InDelta(t, 0.06, shares["floor 5m"], 1e-12)
	assert.InDelta(t, 0.01, shares["floor 1h"], 1e-12)
	assert.InDelta(t, 0.01, shares["floor 1d"], 1e-12)
	assert.InDelta(t, 0.8, child, 1e-12, "child-centric share")
	assert.Contains(t, p.Assumption, "assumed")
}

func TestParsePopulation(t *testing.T) {
	good := func(text string, want Population) {
		t.Helper()
		p, err := ParsePopulation([]byte(text))
		if assert.NoError(t, err, text) {
			assert.Equal(t, want, *p, text)
		}
	}
	bad := func(text, field, contains string) {
		t.Helper()
		_, err := ParsePopulation([]byte(text))
		var fe *FieldError
		if !assert.ErrorAs(t, err, &fe, text) {
			return
		}
		assert.ErrorIs(t, err, ErrPopulation)
		assert.Equal(t, field, fe.Field, "field of %s: %v", text, err)
		assert.Contains(t, err.Error(), contains)
	}
	wrap := func(classes string) string { return `{"name": "p", "classes": [` + classes + `]}` }

	good(wrap(`{"name": "a", "share": 1}`), Population{Name: "p", Classes: []Class{{Name: "a", Share: 1}}})
	// Durations as seconds or as text; every field.
	good(wrap(`{"name": "a", "share": 0.25, "cap": 86400, "floor": "5m", "fixed": 0, "neg_cap": "1h", "deleg_cap": "1d",
		"deleg_floor": 60, "centricity": "parent", "query_rate": 0.01, "stale": "optimistic", "max_stale": "3d"},
		{"name": "b", "share": 0.75, "prefetch": 0.1, "memoryless": false, "stubs": [{"mode": "fixed", "lifetime": "30s"}, {"mode": "countdown"}]}`),
		Population{Name: "p", Classes: []Class{
			{Name: "a", Share: 0.25, Cap: day, Floor: 5 * time.Minute, NegCap: time.Hour, DelegCap: day, DelegFloor: time.Minute,
				Centricity: ParentCentric, QueryRate: 0.01, Stale: StaleOptimistic, MaxStale: 3 * day},
			{Name: "b", Share: 0.75, Prefetch: 0.1, Stubs: []Stub{{StubFixed, 30 * time.Second}, {Mode: StubCountDown}}},
		}})
	// null is the zero value; the assumption is kept.
	good(`{"name": null, "assumption": "guess", "classes": [{"share": 1, "cap": null}]}`, Population{Assumption: "guess", Classes: []Class{{Share: 1}}})
	// Shares within 1e-6 of 1.
	good(wrap(`{"name": "a", "share": 0.3333333}, {"name": "b", "share": 0.6666667}`),
		Population{Name: "p", Classes: []Class{{Name: "a", Share: 0.3333333}, {Name: "b", Share: 0.6666667}}})

	bad(`[1]`, "", "want a JSON object")
	bad(`{"name": "p", "classes": [}`, "", "JSON syntax error at byte")
	bad(`null`, "", "not null")
	bad(`{"name": "p"}`, "classes", "no classes")
	bad(`{"name": "p", "classes": {}}`, "classes", "want a JSON array")
	bad(`{"nmae": "p", "classes": []}`, "nmae", "unknown field")
	bad(`{"name": 5, "classes": []}`, "name", "want a string")
	bad(wrap(`{"name": "a", "share": 1, "flor": "5m"}`), "classes[0].flor", "unknown field; want one of cap, centricity")
	bad(wrap(`{"name": "a", "share": "1"}`), "classes[0].share", "want a number")
	bad(wrap(`{"name": "a", "share": 1, "floor": "5x"}`), "classes[0].floor", `"5x": unknown unit "x"`)
	bad(wrap(`{"name": "a", "share": 1, "floor": -5}`), "classes[0].floor", "not in [0, 2147483647]")
	bad(wrap(`{"name": "a", "share": 1, "floor": true}`), "classes[0].floor", "want seconds or a duration")
	bad(wrap(`{"name": "a", "share": 1, "memoryless": "yes"}`), "classes[0].memoryless", "want true or false")
	bad(wrap(`{"name": "a", "share": 0.5}`), "classes", "shares sum to 0.5; want 1")
	bad(wrap(`{"name": "a", "share": 1.5}, {"name": "b", "share": -0.5}`), "classes[0].share", "not in [0, 1]")
	bad(wrap(`{"name": "a", "share": 0.5}, {"name": "a", "share": 0.5}`), "classes[1].name", `"a" names two classes`)
	bad(wrap(`{"name": "a", "share": 1, "centricity": "both"}`), "classes[0].centricity", "want child or parent")
	bad(wrap(`{"name": "a", "share": 1, "stale": "always"}`), "classes[0].stale", "want none, rfc8767 or optimistic")
	bad(wrap(`{"name": "a", "share": 1, "floor": "1h", "cap": "5m"}`), "classes[0].floor", "above the cap")
	bad(wrap(`{"name": "a", "share": 1, "deleg_floor": "1h", "deleg_cap": "5m"}`), "classes[0].deleg_floor", "above the delegation cap")
	bad(wrap(`{"name": "a", "share": 1, "prefetch": 1}`), "classes[0].prefetch", "not in [0, 1)")
	bad(wrap(`{"name": "a", "share": 1, "prefetch": 0.1, "query_rate": 1}`), "classes[0].prefetch", "busy classes only")
	bad(wrap(`{"name": "a", "share": 1, "prefetch": 0.1, "memoryless": true}`), "classes[0].prefetch", "memoryless")
	bad(wrap(`{"name": "a", "share": 1, "memoryless": true, "stale": "optimistic", "query_rate": 1}`), "classes[0].stale", "memoryless")
	bad(wrap(`{"name": "a", "share": 1, "max_stale": "1d"}`), "classes[0].max_stale", "without a serve-stale mode")
	bad(wrap(`{"name": "a", "share": 1, "query_rate": -1}`), "classes[0].query_rate", "not in [0, 1e+06]")
	bad(wrap(`{"name": "a", "share": 1, "stubs": [{"mode": "fixed"}]}`), "classes[0].stubs[0].lifetime", "above 0")
	bad(wrap(`{"name": "a", "share": 1, "stubs": [{"mode": "sticky", "lifetime": 5}]}`), "classes[0].stubs[0].mode", "want countdown, fixed or floor")
	bad(wrap(`{"name": "a", "share": 1, "stubs": [{"mode": "fixed", "lifetime": 5, "x": 1}]}`), "classes[0].stubs[0].x", "unknown field")
	bad(wrap(`{"name": "a", "share": 1, "stubs": [{}, {}, {}, {}, {}]}`), "classes[0].stubs", "at most 4")
	bad(wrap(strings.Repeat(`{"share": 0},`, MaxClasses)+`{"share": 1}`), "classes", "at most 64")
	bad(wrap(`{"name": "`+strings.Repeat("x", 201)+`", "share": 1}`), "classes[0].name", "longer than 200 bytes")
	bad(`{"name": "`+strings.Repeat("x", MaxPopulationSize)+`"}`, "", "larger than 65536 bytes")
}

func TestPopulationJSONRoundTrip(t *testing.T) {
	for _, name := range PresetNames() {
		p, _ := Preset(name)
		b, err := json.Marshal(p)
		require.NoError(t, err)
		q, err := ParsePopulation(b)
		require.NoError(t, err, "%s", b)
		assert.Equal(t, p, q, "%s", b)
	}
	p := &Population{Name: "x", Classes: []Class{{Name: "a", Share: 1, Floor: 90 * time.Second, QueryRate: 1.0 / 3,
		Stale: StaleRFC8767, MaxStale: day + time.Millisecond, Stubs: []Stub{{StubFloor, time.Minute}}}}}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Equal(t, `{"name":"x","classes":[{"name":"a","share":1,"floor":"1m30s","query_rate":0.3333333333333333,"stale":"rfc8767","max_stale":"1d0.001s","stubs":[{"mode":"floor","lifetime":"1m"}]}]}`, string(b))
	q, err := ParsePopulation(b)
	require.NoError(t, err)
	assert.Equal(t, p, q)
	_, err = json.Marshal(&Population{Classes: []Class{{Share: 1, QueryRate: math.Inf(1)}}})
	assert.Error(t, err, "an infinite rate has no JSON form")
}

func TestChangeValidate(t *testing.T) {
	good := []Change{
		{TTL: 300 * sec},
		{Kind: KindRecord, TTL: 0},
		{TTL: 3600 * sec, LoweredTTL: 60 * sec, LeadTime: 3600 * sec, PublishDelay: 10 * sec},
		{Kind: KindNegative, SOATTL: 3600 * sec, SOAMinimum: 300 * sec, LoweredTTL: 60 * sec},
		{Kind: KindDelegation, ParentNSTTL: DefaultParentNSTTL, ChildNSTTL: 3600 * sec, PublishDelay: DefaultPublishDelay, ChildNSUnseen: 1},
	}
	for _, c := range good {
		assert.NoError(t, c.Validate(), "%+v", c)
	}
	bad := []struct {
		c     Change
		field string
	}{
		{Change{Kind: "cname"}, "kind"},
		{Change{TTL: -sec}, "ttl"},
		{Change{TTL: MaxTTL + sec}, "ttl"},
		{Change{TTL: 300 * sec, LoweredTTL: 300 * sec}, "lowered_ttl"},
		{Change{TTL: 300 * sec, LeadTime: sec}, "lead_time"},
		{Change{TTL: 300 * sec, SOATTL: sec}, "soa_ttl"},
		{Change{TTL: 300 * sec, SOAMinimum: sec}, "soa_minimum"},
		{Change{TTL: 300 * sec, ParentNSTTL: sec}, "parent_ns_ttl"},
		{Change{TTL: 300 * sec, ChildNSTTL: sec}, "child_ns_ttl"},
		{Change{TTL: 300 * sec, ChildNSUnseen: 0.5}, "child_ns_unseen"},
		{Change{Kind: KindNegative, TTL: 300 * sec}, "ttl"},
		{Change{Kind: KindDelegation, TTL: 300 * sec}, "ttl"},
		{Change{Kind: KindDelegation, ChildNSTTL: 60 * sec, ChildNSUnseen: 2}, "child_ns_unseen"},
		{Change{Kind: KindDelegation, ChildNSTTL: 60 * sec, LoweredTTL: 60 * sec}, "lowered_ttl"},
		{Change{Kind: KindNegative, SOATTL: 60 * sec, SOAMinimum: 600 * sec, LoweredTTL: 60 * sec}, "lowered_ttl"},
	}
	for _, c := range bad {
		err := c.c.Validate()
		var fe *FieldError
		if assert.ErrorAs(t, err, &fe, "%+v", c.c) {
			assert.Equal(t, c.field, fe.Field, "%v", err)
			assert.True(t, errors.Is(err, ErrChange))
		}
		_, err = New(&Population{Name: "x", Classes: []Class{{Share: 1}}}, c.c)
		assert.ErrorIs(t, err, ErrChange)
	}
}

func TestChangeJSON(t *testing.T) {
	c := Change{Kind: KindDelegation, ParentNSTTL: 2 * day, ChildNSTTL: time.Hour, LoweredTTL: 300 * sec, LeadTime: time.Hour,
		PublishDelay: 5 * time.Minute, ChildNSUnseen: 0.25}
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Equal(t, `{"kind":"delegation","lowered_ttl":"5m","lead_time":"1h","publish_delay":"5m","parent_ns_ttl":"2d","child_ns_ttl":"1h","child_ns_unseen":0.25}`, string(b))
	var back Change
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)
	require.NoError(t, json.Unmarshal([]byte(`{"ttl": 300}`), &back))
	assert.Equal(t, Change{TTL: 300 * sec}, back)
	err = json.Unmarshal([]byte(`{"ttl": "5y"}`), &back)
	var fe *FieldError
	if assert.ErrorAs(t, err, &fe) {
		assert.Equal(t, "ttl", fe.Field)
		assert.ErrorIs(t, err, ErrChange)
	}
}
