package ttlcalc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// MaxPopulationSize bounds the JSON text [ParsePopulation] reads.
const MaxPopulationSize = 64 << 10

// ParsePopulation reads a population from JSON and validates it:
//
//	{"name": "my-mix", "assumption": "...", "classes": [
//	  {"name": "isp", "share": 0.9, "cap": "1d", "neg_cap": 3600},
//	  {"name": "jvm", "share": 0.1, "stubs": [{"mode": "fixed", "lifetime": "30s"}]}]}
//
// The field names are the JSON tags of [Population], [Class] and [Stub].
// A duration is a number of seconds or a string [ParseDuration] reads.
// Unknown fields are errors. Errors are [*FieldError] values whose Field
// names the field ("classes[1].cap"), wrapping [ErrPopulation].
func ParsePopulation(data []byte) (*Population, error) {
	if len(data) > MaxPopulationSize {
		return nil, popErr("", "larger than %d bytes", MaxPopulationSize)
	}
	p := &Population{}
	if err := p.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// UnmarshalJSON reads the JSON form of [ParsePopulation], without
// validating the values.
func (p *Population) UnmarshalJSON(data []byte) error {
	d := decoder{wrap: ErrPopulation}
	*p = Population{}
	return d.object(data, "", map[string]func(json.RawMessage, string) error{
		"name":       d.str(&p.Name),
		"assumption": d.str(&p.Assumption),
		"classes": func(raw json.RawMessage, path string) error {
			return d.array(raw, path, MaxClasses, func(raw json.RawMessage, path string) error {
				var c Class
				if err := d.class(raw, path, &c); err != nil {
					return err
				}
				p.Classes = append(p.Classes, c)
				return nil
			})
		},
	})
}

// UnmarshalJSON reads one class, as in a population.
func (c *Class) UnmarshalJSON(data []byte) error {
	d := decoder{wrap: ErrPopulation}
	return d.class(data, "", c)
}

// UnmarshalJSON reads a change: the JSON tags of [Change] as fields,
// durations as seconds or as strings [ParseDuration] reads. It does not
// validate the values; errors wrap [ErrChange].
func (c *Change) UnmarshalJSON(data []byte) error {
	d := decoder{wrap: ErrChange}
	*c = Change{}
	return d.object(data, "", map[string]func(json.RawMessage, string) error{
		"kind":            d.str((*string)(&c.Kind)),
		"ttl":             d.dur(&c.TTL),
		"lowered_ttl":     d.dur(&c.LoweredTTL),
		"lead_time":       d.dur(&c.LeadTime),
		"publish_delay":   d.dur(&c.PublishDelay),
		"parent_ns_ttl":   d.dur(&c.ParentNSTTL),
		"child_ns_ttl":    d.dur(&c.ChildNSTTL),
		"child_ns_unseen": d.num(&c.ChildNSUnseen),
		"soa_ttl":         d.dur(&c.SOATTL),
		"soa_minimum":     d.dur(&c.SOAMinimum),
	})
}

// decoder reads JSON objects field by field, so that an error can name its
// field.
type decoder struct{ wrap error }

func (d decoder) fail(path, format string, args ...any) error {
	return &FieldError{Field: path, Msg: fmt.Sprintf(format, args...), Err: d.wrap}
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func (d decoder) object(data []byte, path string, fields map[string]func(json.RawMessage, string) error) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return d.fail(path, "JSON syntax error at byte %d: %v", se.Offset, err)
		}
		return d.fail(path, "want a JSON object")
	}
	if m == nil {
		return d.fail(path, "want a JSON object, not null")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		f, ok := fields[k]
		if !ok {
			known := make([]string, 0, len(fields))
			for n := range fields {
				known = append(known, n)
			}
			slices.Sort(known)
			return d.fail(join(path, k), "unknown field; want one of %s", strings.Join(known, ", "))
		}
		if err := f(m[k], join(path, k)); err != nil {
			return err
		}
	}
	return nil
}

func (d decoder) array(raw json.RawMessage, path string, limit int, each func(json.RawMessage, string) error) error {
	var a []json.RawMessage
	if err := json.Unmarshal(raw, &a); err != nil {
		return d.fail(path, "want a JSON array")
	}
	if len(a) > limit {
		return d.fail(path, "%d elements; at most %d", len(a), limit)
	}
	for i, e := range a {
		if err := each(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

func (d decoder) str(dst *string) func(json.RawMessage, string) error {
	return scalar(d, dst, "want a string")
}

func (d decoder) num(dst *float64) func(json.RawMessage, string) error {
	return scalar(d, dst, "want a number")
}

func (d decoder) boolean(dst *bool) func(json.RawMessage, string) error {
	return scalar(d, dst, "want true or false")
}

// scalar reads a JSON string, number or boolean into dst; null gives the
// zero value, anything else fails with want at the field's path.
func scalar[T any](d decoder, dst *T, want string) func(json.RawMessage, string) error {
	return func(raw json.RawMessage, path string) error {
		if isNull(raw) {
			var zero T
			*dst = zero
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return d.fail(path, "%s", want)
		}
		return nil
	}
}

// dur reads a duration: seconds as a number, or a string for ParseDuration.
func (d decoder) dur(dst *time.Duration) func(json.RawMessage, string) error {
	return func(raw json.RawMessage, path string) error {
		if isNull(raw) {
			*dst = 0
			return nil
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			v, err := ParseDuration(s)
			if err != nil {
				return d.fail(path, "%s", strings.TrimPrefix(err.Error(), ErrDuration.Error()+" "))
			}
			*dst = v
			return nil
		}
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil {
			return d.fail(path, "want seconds or a duration such as \"300s\" or \"1d\"")
		}
		if !(f >= 0 && f <= MaxTTL.Seconds()) {
			return d.fail(path, "%v seconds is not in [0, %d]", f, int64(MaxTTL/time.Second))
		}
		*dst = fromSeconds(f)
		return nil
	}
}

func (d decoder) class(raw json.RawMessage, path string, c *Class) error {
	*c = Class{}
	return d.object(raw, path, map[string]func(json.RawMessage, string) error{
		"name":        d.str(&c.Name),
		"share":       d.num(&c.Share),
		"cap":         d.dur(&c.Cap),
		"floor":       d.dur(&c.Floor),
		"fixed":       d.dur(&c.Fixed),
		"neg_cap":     d.dur(&c.NegCap),
		"deleg_cap":   d.dur(&c.DelegCap),
		"deleg_floor": d.dur(&c.DelegFloor),
		"centricity":  d.str((*string)(&c.Centricity)),
		"query_rate":  d.num(&c.QueryRate),
		"prefetch":    d.num(&c.Prefetch),
		"stale":       d.str((*string)(&c.Stale)),
		"max_stale":   d.dur(&c.MaxStale),
		"memoryless":  d.boolean(&c.Memoryless),
		"stubs": func(raw json.RawMessage, path string) error {
			return d.array(raw, path, MaxStubs, func(raw json.RawMessage, path string) error {
				var s Stub
				err := d.object(raw, path, map[string]func(json.RawMessage, string) error{
					"mode":     d.str((*string)(&s.Mode)),
					"lifetime": d.dur(&s.Lifetime),
				})
				c.Stubs = append(c.Stubs, s)
				return err
			})
		},
	})
}

// jsonFields writes an object from name/value pairs, leaving out zero
// values; durations become strings of FormatDuration.
func jsonFields(kv ...any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for i := 0; i+1 < len(kv); i += 2 {
		name, v := kv[i].(string), kv[i+1]
		switch x := v.(type) {
		case time.Duration:
			if x == 0 {
				continue
			}
			v = FormatDuration(x)
		case string:
			if x == "" {
				continue
			}
		case float64:
			if x == 0 {
				continue
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("ttlcalc: %s: %v has no JSON form", name, x)
			}
		case bool:
			if !x {
				continue
			}
		}
		e, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(name)
		b.Write(k)
		b.WriteByte(':')
		b.Write(e)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalJSON writes the population in the form ParsePopulation reads,
// leaving out zero values.
func (p Population) MarshalJSON() ([]byte, error) {
	classes := p.Classes
	if classes == nil {
		classes = []Class{}
	}
	cs, err := json.Marshal(classes)
	if err != nil {
		return nil, err
	}
	head, err := jsonFields("name", p.Name, "assumption", p.Assumption)
	if err != nil {
		return nil, err
	}
	return joinObject(head, "classes", cs), nil
}

// MarshalJSON writes the class as in a population, leaving out zero values.
func (c Class) MarshalJSON() ([]byte, error) {
	b, err := jsonFields(
		"name", c.Name, "share", c.Share, "cap", c.Cap, "floor", c.Floor, "fixed", c.Fixed,
		"neg_cap", c.NegCap, "deleg_cap", c.DelegCap, "deleg_floor", c.DelegFloor,
		"centricity", string(c.Centricity), "query_rate", c.QueryRate, "prefetch", c.Prefetch,
		"stale", string(c.Stale), "max_stale", c.MaxStale, "memoryless", c.Memoryless)
	if err != nil || len(c.Stubs) == 0 {
		return b, err
	}
	var stubs [][]byte
	for _, s := range c.Stubs {
		sb, err := jsonFields("mode", string(s.Mode), "lifetime", s.Lifetime)
		if err != nil {
			return nil, err
		}
		stubs = append(stubs, sb)
	}
	return joinObject(b, "stubs", append(append([]byte{'['}, bytes.Join(stubs, []byte{','})...), ']')), nil
}

// MarshalJSON writes the change as UnmarshalJSON reads it, leaving out
// zero values.
func (c Change) MarshalJSON() ([]byte, error) {
	return jsonFields("kind", string(c.kind()), "ttl", c.TTL, "lowered_ttl", c.LoweredTTL, "lead_time", c.LeadTime,
		"publish_delay", c.PublishDelay, "parent_ns_ttl", c.ParentNSTTL, "child_ns_ttl", c.ChildNSTTL,
		"child_ns_unseen", c.ChildNSUnseen, "soa_ttl", c.SOATTL, "soa_minimum", c.SOAMinimum)
}

// joinObject appends "name": value to a JSON object.
func joinObject(obj []byte, name string, value []byte) []byte {
	k, _ := json.Marshal(name)
	out := append([]byte{}, obj[:len(obj)-1]...)
	if len(obj) > 2 {
		out = append(out, ',')
	}
	out = append(out, k...)
	out = append(out, ':')
	out = append(out, value...)
	return append(out, '}')
}
