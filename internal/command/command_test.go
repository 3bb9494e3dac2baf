package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// testCommand returns a command with one flag of each kind.
func testCommand(name string, args Args) *Command {
	return &Command{
		Path:  []string{"test", name},
		Short: "a command for tests",
		Long:  "A command for tests.",
		Args:  args,
		Flags: []Flag{
			{Name: "s", Kind: String, Usage: "a string"},
			{Name: "s-def", Kind: String, Default: "dflt", Usage: "a string with a default"},
			{Name: "b", Kind: Bool, Usage: "a bool"},
			{Name: "n", Kind: Int, Default: 7, Usage: "an int"},
			{Name: "list", Kind: Strings, Usage: "strings"},
		},
		Run: func(context.Context, *Input) (*Output, error) { return &Output{}, nil },
	}
}

// withTable gives a test its own copy of the table and restores the real one
// after it.
func withTable(t *testing.T) {
	t.Helper()
	mu.Lock()
	saved := slices.Clone(table)
	mu.Unlock()
	t.Cleanup(func() {
		mu.Lock()
		table = saved
		mu.Unlock()
	})
}

func TestNewInputArgs(t *testing.T) {
	for _, tc := range []struct {
		args Args
		n    int
		ok   bool
	}{
		{Args{Min: 0, Max: 0}, 0, true},
		{Args{Min: 0, Max: 0}, 1, false},
		{Args{Usage: "FILE", Min: 1, Max: 1}, 0, false},
		{Args{Usage: "FILE", Min: 1, Max: 1}, 1, true},
		{Args{Usage: "FILE", Min: 1, Max: 1}, 2, false},
		{Args{Usage: "FILE...", Min: 1, Max: -1}, 0, false},
		{Args{Usage: "FILE...", Min: 1, Max: -1}, 5, true},
		{Args{Usage: "[A] [B]", Min: 0, Max: 2}, 2, true},
		{Args{Usage: "[A] [B]", Min: 0, Max: 2}, 3, false},
	} {
		c := testCommand("args", tc.args)
		args := make([]string, tc.n)
		_, err := NewInput(c, args, nil, nil)
		if tc.ok != (err == nil) {
			t.Errorf("Args %+v with %d argument(s): err %v, want ok %v", tc.args, tc.n, err, tc.ok)
		}
		if err != nil && !IsUsage(err) {
			t.Errorf("Args %+v with %d argument(s): %v is not a usage error", tc.args, tc.n, err)
		}
		if err != nil && !strings.Contains(err.Error(), "test args") {
			t.Errorf("error %q does not name the command", err)
		}
	}
}

func TestNewInputFlags(t *testing.T) {
	c := testCommand("flags", Args{})

	in, err := NewInput(c, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.String("s") != "" || in.String("s-def") != "dflt" || in.Bool("b") || in.Int("n") != 7 || in.Strings("list") != nil {
		t.Errorf("defaults: got %v", in.flags)
	}

	in, err = NewInput(c, nil, map[string]any{"s": "x", "s-def": nil, "b": true, "n": 0, "list": []string{"a", "b"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.String("s") != "x" || in.String("s-def") != "dflt" || !in.Bool("b") || in.Int("n") != 0 || !reflect.DeepEqual(in.Strings("list"), []string{"a", "b"}) {
		t.Errorf("values: got %v", in.flags)
	}
	if in.String("nope") != "" || in.Int("s") != 0 {
		t.Errorf("an unknown name or a wrong kind must read as the zero value")
	}

	for _, flags := range []map[string]any{
		{"nope": "x"},
		{"s": 1},
		{"b": "true"},
		{"n": "7"},
		{"n": int64(7)},
		{"list": "a"},
	} {
		_, err := NewInput(c, nil, flags, nil)
		if err == nil || !IsUsage(err) {
			t.Errorf("flags %v: err %v, want a usage error", flags, err)
		}
	}
}

func TestReadAll(t *testing.T) {
	c := testCommand("read", Args{Usage: "FILE", Min: 1, Max: 1})
	open := func(name string) (io.ReadCloser, error) {
		if name == "missing" {
			return nil, errors.New("missing: no such file")
		}
		return io.NopCloser(strings.NewReader(name)), nil
	}
	in, err := NewInput(c, []string{"12345"}, nil, open)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := in.ReadAll("12345", 5); err != nil || string(b) != "12345" {
		t.Errorf("ReadAll at the limit: %q, %v", b, err)
	}
	if _, err := in.ReadAll("12345", 4); err == nil {
		t.Error("ReadAll over the limit: no error")
	}
	if _, err := in.ReadAll("missing", 4); err == nil {
		t.Error("ReadAll of a missing input: no error")
	}
	in.Open = nil
	if _, err := in.ReadAll("12345", 5); err == nil {
		t.Error("ReadAll without Open: no error")
	}
}

func TestUsageError(t *testing.T) {
	err := Usagef("bad %s", "input")
	if err.Error() != "bad input" || !IsUsage(err) {
		t.Errorf("Usagef: %v, IsUsage %v", err, IsUsage(err))
	}
	if !IsUsage(fmt.Errorf("wrapped: %w", err)) {
		t.Error("IsUsage of a wrapped usage error is false")
	}
	if IsUsage(errors.New("other")) || IsUsage(nil) {
		t.Error("IsUsage of another error is true")
	}
}

func TestRegisterDuplicatePanics(t *testing.T) {
	withTable(t)
	Register(testCommand("dup", Args{}))
	n := len(All())
	for _, c := range []*Command{testCommand("dup", Args{}), {Path: []string{"mtasts", "validate"}}} {
		func() {
			defer func() {
				r := recover()
				if r == nil {
					t.Errorf("Register of a second %q did not panic", c.Name())
				} else if !strings.Contains(fmt.Sprint(r), c.Name()) {
					t.Errorf("panic %q does not name %q", r, c.Name())
				}
			}()
			Register(c)
		}()
	}
	if len(All()) != n {
		t.Errorf("a duplicate was added to the table")
	}
}

func TestLookupAndAll(t *testing.T) {
	withTable(t)
	Register(testCommand("zz", Args{}))
	Register(testCommand("aa", Args{}))
	all := All()
	if !slices.IsSortedFunc(all, func(a, b *Command) int { return strings.Compare(a.Name(), b.Name()) }) {
		t.Errorf("All is not sorted by name")
	}
	for _, name := range []string{"mtasts validate", "mtasts build", "test aa", "test zz"} {
		c := Lookup(name)
		if c == nil || c.Name() != name {
			t.Errorf("Lookup(%q) = %v", name, c)
		}
	}
	for _, name := range []string{"", "mtasts", "test", "mtasts  validate", "MTASTS VALIDATE", "nope"} {
		if c := Lookup(name); c != nil {
			t.Errorf("Lookup(%q) = %q, want nil", name, c.Name())
		}
	}
	// The caller owns the slice All returns.
	all[0] = nil
	if All()[0] == nil {
		t.Error("All returned the table itself")
	}
}
