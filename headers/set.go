package headers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Field is one response header field.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Set is an ordered list of header fields, as a server sends them. A name
// may appear more than once (browsers then see the values joined, or, for
// some headers, only one of them: the checks say which).
type Set struct {
	Fields []Field `json:"fields"`
}

// ErrSet: a header set could not be read; the message says where.
var ErrSet = errors.New("headers: bad header set")

// Add appends a field.
func (s *Set) Add(name, value string) { s.Fields = append(s.Fields, Field{name, value}) }

// Get returns the value of the first field with the name (compared
// case-insensitively) and whether there was one.
func (s *Set) Get(name string) (string, bool) {
	for _, f := range s.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value, true
		}
	}
	return "", false
}

// Values returns the values of every field with the name, in order.
func (s *Set) Values(name string) []string {
	var out []string
	for _, f := range s.Fields {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

// Del removes every field with the name.
func (s *Set) Del(name string) {
	out := s.Fields[:0]
	for _, f := range s.Fields {
		if !strings.EqualFold(f.Name, name) {
			out = append(out, f)
		}
	}
	s.Fields = out
}

// Set replaces the fields with the name by one field, kept at the place of
// the first, or appended when there was none.
func (s *Set) Set(name, value string) {
	out := s.Fields[:0]
	placed := false
	for _, f := range s.Fields {
		if !strings.EqualFold(f.Name, name) {
			out = append(out, f)
		} else if !placed {
			out = append(out, Field{name, value})
			placed = true
		}
	}
	s.Fields = out
	if !placed {
		s.Add(name, value)
	}
}

// String returns the set as "Name: value" lines, each ended with "\n".
func (s *Set) String() string {
	var b strings.Builder
	for _, f := range s.Fields {
		b.WriteString(f.Name)
		b.WriteString(": ")
		b.WriteString(f.Value)
		b.WriteByte('\n')
	}
	return b.String()
}

// MarshalJSON writes the set as a JSON object of names to values, the form
// the MDN HTTP Observatory's tools read; a repeated name becomes an array
// of its values.
func (s Set) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	done := map[string]bool{}
	first := true
	for _, f := range s.Fields {
		key := strings.ToLower(f.Name)
		if done[key] {
			continue
		}
		done[key] = true
		if !first {
			b.WriteByte(',')
		}
		first = false
		name, _ := json.Marshal(f.Name)
		b.Write(name)
		b.WriteByte(':')
		vals := s.Values(f.Name)
		var v []byte
		if len(vals) == 1 {
			v, _ = json.Marshal(vals[0])
		} else {
			v, _ = json.Marshal(vals)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ParseSet reads a header set from "Name: value" lines (an HTTP/1.1
// status line, as curl -i prints it, blank lines and comment lines
// starting with '#' are skipped) or from a JSON object whose values are strings or
// arrays of strings. Names and values are checked with the rules of RFC
// 9110, Section 5 (as golang.org/x/net/http/httpguts checks them); errors
// name the line.
func ParseSet(text string) (*Set, error) {
	trimmed := strings.TrimSpace(text)
	if strings.HasPrefix(trimmed, "{") {
		return parseJSON(trimmed)
	}
	s := &Set{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		// Blank lines, an HTTP status line (as curl -i prints it) and
		// comment lines starting with '#' are skipped.
		if strings.TrimSpace(line) == "" || i == 0 && strings.HasPrefix(line, "HTTP/") || line[0] == '#' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			return nil, fmt.Errorf("%w: line %d: continuation lines (obs-fold) are not allowed (RFC 9112, Section 5.2)", ErrSet, i+1)
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%w: line %d: %q has no ':' after the header name", ErrSet, i+1, clip(line))
		}
		value = strings.Trim(value, " \t")
		if err := checkField(name, value); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrSet, i+1, err)
		}
		s.Add(name, value)
	}
	return s, nil
}

func parseJSON(text string) (*Set, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("%w: want a JSON object of header names to values", ErrSet)
	}
	s := &Set{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSet, err)
		}
		name := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%w: header %q: %v", ErrSet, name, err)
		}
		var one string
		var many []string
		switch {
		case json.Unmarshal(raw, &one) == nil:
			many = []string{one}
		case json.Unmarshal(raw, &many) == nil:
		default:
			return nil, fmt.Errorf("%w: header %q: the value must be a string or an array of strings", ErrSet, name)
		}
		for _, v := range many {
			// RFC 9110, Section 5.5: a field value has no leading or
			// trailing whitespace.
			v = strings.Trim(v, " \t")
			if err := checkField(name, v); err != nil {
				return nil, fmt.Errorf("%w: header %q: %v", ErrSet, name, err)
			}
			s.Add(name, v)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSet, err)
	}
	return s, nil
}

// checkField applies RFC 9110, Section 5.1 (field-name is a token) and
// Section 5.5 (field-value has no CR, LF or NUL).
func checkField(name, value string) error {
	if !isHTTPToken(name) {
		return fmt.Errorf("%q is not a valid header name (letters, digits and !#$%%&'*+-.^_`|~ only)", clip(name))
	}
	if !validFieldValue(value) {
		return fmt.Errorf("the value of %s holds a control character", name)
	}
	return nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
