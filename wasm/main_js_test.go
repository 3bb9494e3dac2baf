//go:build js && wasm

package main

import (
	"context"
	"strings"
	"syscall/js"
	"testing"

	"github.com/posturekit/posturekit/internal/command"
)

// These tests run in Node.js:
//
//	GOOS=js GOARCH=wasm go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./wasm

func init() {
	// A command that fails the way a bug would, in this test binary only.
	command.Register(&command.Command{
		Path:  []string{"test", "panic"},
		Short: "panics",
		Args:  command.Args{Min: 0, Max: 1},
		Run: func(_ context.Context, in *command.Input) (*command.Output, error) {
			if len(in.Args) > 0 {
				panic(in.Args[0])
			}
			// A panic of the standard library: a negative count.
			return &command.Output{Text: strings.Repeat("x", -1-len(in.Args))}, nil
		},
	})
}

func envelope(t *testing.T, v any) (code, msg string, data js.Value) {
	t.Helper()
	r, ok := v.(js.Value)
	if !ok {
		t.Fatalf("run returned %T", v)
	}
	if e := r.Get("error"); !e.IsUndefined() {
		return e.Get("code").String(), e.Get("message").String(), js.Undefined()
	}
	return "", "", r.Get("data")
}

func TestPanicRecovered(t *testing.T) {
	for _, args := range [][]any{nil, {"<script>boom</script>"}} {
		code, msg, _ := envelope(t, run(js.ValueOf("test panic"), js.ValueOf(map[string]any{"args": args})))
		if code != codePanic || !strings.Contains(msg, "internal error") {
			t.Errorf("args %v: code %q, message %q", args, code, msg)
		}
		if len(args) > 0 && !strings.Contains(msg, "<script>boom</script>") {
			t.Errorf("the panic's value is not in %q", msg)
		}
	}
	// The next call works.
	code, msg, data := envelope(t, run(js.ValueOf("record validate"), js.ValueOf(map[string]any{"args": []any{"spf", "v=spf1 -all"}})))
	if code != "" || !data.Get("valid").Bool() {
		t.Errorf("after a panic: %q %q", code, msg)
	}
}

func TestFlagValue(t *testing.T) {
	good := []struct {
		kind command.Kind
		in   any
		want any
	}{
		{command.String, "x", "x"},
		{command.String, 300, "300"},
		{command.String, 0.5, "0.5"},
		{command.String, true, "true"},
		{command.Bool, true, true},
		{command.Bool, "false", false},
		{command.Bool, "1", true},
		{command.Bool, 0, false},
		{command.Int, 86400, 86400},
		{command.Int, "-5", -5},
		{command.Int, "0x10", 16},
		{command.Int, "0o17", 15},
		{command.Int, 1e12, 1000000000000},
		{command.Int, "99999999999", 99999999999},
		{command.Strings, "one", []string{"one"}},
		{command.Strings, []any{"a", 2, false}, []string{"a", "2", "false"}},
	}
	for _, g := range good {
		got, err := flagValue(g.kind, js.ValueOf(g.in))
		if err != nil {
			t.Errorf("%v %v: %v", g.kind, g.in, err)
			continue
		}
		if s, ok := g.want.([]string); ok {
			if strings.Join(got.([]string), "|") != strings.Join(s, "|") {
				t.Errorf("%v %v: %v, want %v", g.kind, g.in, got, g.want)
			}
		} else if got != g.want {
			t.Errorf("%v %v: %#v, want %#v", g.kind, g.in, got, g.want)
		}
	}
	bad := []struct {
		kind command.Kind
		in   any
	}{
		{command.String, []any{"a"}},
		{command.String, map[string]any{}},
		{command.Bool, "yes"},
		{command.Bool, 2},
		{command.Bool, []any{true}},
		{command.Int, 1.5},
		{command.Int, 1e300},
		{command.Int, 1 << 60},
		{command.Int, "12abc"},
		{command.Int, "99999999999999999999"},
		{command.Int, false},
		{command.Strings, []any{"a", nil}},
		{command.Strings, map[string]any{"a": "b"}},
	}
	for _, b := range bad {
		if got, err := flagValue(b.kind, js.ValueOf(b.in)); err == nil {
			t.Errorf("%v %v: %v, want an error", b.kind, b.in, got)
		}
	}
}
