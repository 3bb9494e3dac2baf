//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/posturekit/posturekit/internal/command"
)

// Error codes of the {error: {code, message}} envelope.
const (
	codeUsage          = "usage"           // bad input, as the CLI's exit status 2 with a usage message
	codeUnknownCommand = "unknown_command" // no such command in this build
	codeError          = "error"           // an operational failure
	codePanic          = "panic"           // a bug, recovered
)

// Keys of the input object that are not flags.
const (
	keyArgs  = "args"
	keyInput = "input"
)

func main() {
	ns := js.Global().Get("Object").New()
	names := commandNames()
	list := make([]any, len(names)) // js.ValueOf takes []any, not []string
	for i, n := range names {
		list[i] = n
	}
	ns.Set("commands", js.ValueOf(list))
	ns.Set("version", version())
	ns.Set("run", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var name, input js.Value
		if len(args) > 0 {
			name = args[0]
		}
		if len(args) > 1 {
			input = args[1]
		}
		return run(name, input)
	}))
	ns.Set("ready", js.Global().Get("Promise").Call("resolve", ns))
	js.Global().Set("posturekit", ns)
	select {}
}

// version is the module version the build was stamped with, and the VCS
// revision when there is one.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && !strings.Contains(v, s.Value[:min(12, len(s.Value))]) {
			v += " " + s.Value
		}
	}
	return v
}

// run is posturekit.run: it never throws, and a panic becomes an error.
func run(name, input js.Value) (result any) {
	defer func() {
		if p := recover(); p != nil {
			result = errorResult(codePanic, fmt.Sprintf("internal error: %v", p))
		}
	}()
	if name.Type() != js.TypeString {
		return errorResult(codeUsage, fmt.Sprintf("run: the command must be a string such as \"mtasts build\", got %s", name.Type()))
	}
	c := command.Lookup(strings.Join(strings.Fields(name.String()), " "))
	if c == nil {
		return errorResult(codeUnknownCommand, fmt.Sprintf("unknown command %q; this build has %s", name.String(), strings.Join(commandNames(), ", ")))
	}
	in, err := readInput(c, input)
	if err != nil {
		return errorFor(err)
	}
	out, err := c.Run(context.Background(), in)
	if err != nil {
		return errorFor(err)
	}
	if out.Stream != nil {
		// Only commands of the command line stream (//go:build !js).
		return errorResult(codeError, c.Name()+": the result is streamed, which only the command line can show")
	}
	// The same bytes the CLI prints with --json, parsed.
	b, err := json.Marshal(out.Value)
	if err != nil {
		return errorResult(codeError, err.Error())
	}
	return js.ValueOf(map[string]any{
		"data":   js.Global().Get("JSON").Call("parse", string(b)),
		"text":   out.Text,
		"failed": out.Failed,
	})
}

func commandNames() []string {
	var names []string
	for _, c := range command.All() {
		names = append(names, c.Name())
	}
	return names
}

func errorFor(err error) js.Value {
	if command.IsUsage(err) {
		return errorResult(codeUsage, err.Error())
	}
	return errorResult(codeError, err.Error())
}

func errorResult(code, msg string) js.Value {
	return js.ValueOf(map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

// readInput turns the JS input object into the command's input: flags
// under their names with "-" written "_", positional arguments under
// "args", and the text of files and standard input under "input".
func readInput(c *command.Command, v js.Value) (*command.Input, error) {
	if v.IsUndefined() || v.IsNull() {
		return command.NewInput(c, nil, nil, openText(c, js.Undefined()))
	}
	if v.Type() != js.TypeObject || isArray(v) {
		return nil, command.Usagef("%s: the input must be an object of flags, args and input, got %s", c.Name(), typeName(v))
	}
	var args []string
	flags := map[string]any{}
	text := js.Undefined()
	keys, err := ownKeys(v)
	if err != nil {
		return nil, command.Usagef("%s: reading the input object: %v", c.Name(), err)
	}
	for _, key := range keys {
		val, err := get(v, key)
		if err != nil {
			return nil, command.Usagef("%s: reading input.%s: %v", c.Name(), key, err)
		}
		switch key {
		case keyArgs:
			var err error
			if args, err = stringList(val); err != nil {
				return nil, command.Usagef("%s: args: %v", c.Name(), err)
			}
			continue
		case keyInput:
			text = val
			continue
		}
		name := strings.ReplaceAll(key, "_", "-")
		i := slices.IndexFunc(c.Flags, func(f command.Flag) bool { return f.Name == name })
		if i < 0 || strings.Contains(key, "-") {
			return nil, command.Usagef("%s: unknown flag %s (--%s)%s", c.Name(), key, name, flagHint(c))
		}
		if val.IsUndefined() || val.IsNull() || isArray(val) && length(val) == 0 {
			continue // as if not given, as on the command line: the default
		}
		fv, err := flagValue(c.Flags[i].Kind, val)
		if err != nil {
			return nil, command.Usagef("%s: flag --%s (%s): %v", c.Name(), name, key, err)
		}
		flags[name] = fv
	}
	if text.Type() != js.TypeUndefined && text.Type() != js.TypeNull && text.Type() != js.TypeString && (text.Type() != js.TypeObject || isArray(text)) {
		return nil, command.Usagef("%s: input must be a string (the text of the file or standard input) or an object of names to texts, got %s", c.Name(), typeName(text))
	}
	return command.NewInput(c, args, flags, openText(c, text))
}

func flagHint(c *command.Command) string {
	if len(c.Flags) == 0 {
		return "; it takes no flags"
	}
	var keys []string
	for _, f := range c.Flags {
		keys = append(keys, strings.ReplaceAll(f.Name, "-", "_"))
	}
	return "; want one of " + strings.Join(keys, ", ")
}

// openText returns the Open function of the input: a string is the text
// of every named input (a file argument, "-" for standard input); an
// object maps names to texts.
func openText(c *command.Command, text js.Value) func(string) (io.ReadCloser, error) {
	return func(name string) (io.ReadCloser, error) {
		switch text.Type() {
		case js.TypeString:
			return io.NopCloser(strings.NewReader(text.String())), nil
		case js.TypeObject:
			t, err := get(text, name)
			if err != nil {
				return nil, command.Usagef("%s: reading input[%q]: %v", c.Name(), name, err)
			}
			if t.Type() == js.TypeString {
				return io.NopCloser(strings.NewReader(t.String())), nil
			}
			if t.IsUndefined() {
				return nil, command.Usagef("%s: input has no text named %q", c.Name(), name)
			}
			return nil, command.Usagef("%s: input[%q] must be a string, got %s", c.Name(), name, typeName(t))
		}
		if name == "-" {
			return nil, command.Usagef("%s: no standard input: give its text as input", c.Name())
		}
		return nil, command.Usagef("%s: %s: no such file here: give its text as input", c.Name(), name)
	}
}

// flagValue converts a JS value to a flag value of the given kind,
// accepting what the command line would: strings as typed, and numbers
// and booleans for convenience.
func flagValue(k command.Kind, v js.Value) (any, error) {
	switch k {
	case command.Strings:
		return stringList(v)
	case command.Bool:
		switch v.Type() {
		case js.TypeBoolean:
			return v.Bool(), nil
		case js.TypeString, js.TypeNumber:
			s, _ := scalar(v)
			// As pflag reads --flag=VALUE.
			b, err := strconv.ParseBool(s)
			if err != nil {
				return nil, fmt.Errorf("want true or false, got %q", s)
			}
			return b, nil
		}
		return nil, fmt.Errorf("want true or false, got %s", typeName(v))
	case command.Int:
		switch v.Type() {
		case js.TypeNumber:
			// Whole numbers JavaScript holds exactly.
			const maxSafe = 1<<53 - 1
			f := v.Float()
			if f != math.Trunc(f) || math.Abs(f) > maxSafe {
				return nil, fmt.Errorf("want a whole number, got %v", f)
			}
			return int(f), nil
		case js.TypeString:
			// As pflag reads an int flag (int is 64 bits here too).
			n, err := strconv.ParseInt(v.String(), 0, 64)
			if err != nil {
				return nil, fmt.Errorf("want a whole number, got %q", v.String())
			}
			return int(n), nil
		}
		return nil, fmt.Errorf("want a whole number, got %s", typeName(v))
	}
	s, ok := scalar(v)
	if !ok {
		return nil, fmt.Errorf("want a string, got %s", typeName(v))
	}
	return s, nil
}

// scalar returns a string, number or boolean as the command line would
// have it typed.
func scalar(v js.Value) (string, bool) {
	switch v.Type() {
	case js.TypeString:
		return v.String(), true
	case js.TypeNumber:
		return js.Global().Call("String", v).String(), true
	case js.TypeBoolean:
		return strconv.FormatBool(v.Bool()), true
	}
	return "", false
}

// stringList reads an array of scalars, or one scalar.
func stringList(v js.Value) ([]string, error) {
	if s, ok := scalar(v); ok {
		return []string{s}, nil
	}
	if !isArray(v) {
		return nil, fmt.Errorf("want an array of strings, got %s", typeName(v))
	}
	n := length(v)
	out := make([]string, 0, n)
	for i := range n {
		item, err := get(v, i)
		if err != nil {
			return nil, fmt.Errorf("item %d: %v", i, err)
		}
		s, ok := scalar(item)
		if !ok {
			return nil, fmt.Errorf("item %d: want a string, got %s", i, typeName(item))
		}
		out = append(out, s)
	}
	return out, nil
}

// The input is the caller's: a getter or a Proxy trap may throw. js.Value's
// Get, Index and Length let a JavaScript exception unwind through the Go
// stack, while Call turns it into a panic with a js.Error; so every read of
// the input goes through Reflect, called.

var reflectJS = js.Global().Get("Reflect")

// get reads one property of an object.
func get(obj js.Value, key any) (v js.Value, err error) {
	defer catch(&err)
	return reflectJS.Call("get", obj, key), nil
}

// ownKeys returns an object's own enumerable string keys, as Object.keys.
func ownKeys(obj js.Value) (keys []string, err error) {
	defer catch(&err)
	k := js.Global().Get("Object").Call("keys", obj)
	n := length(k)
	for i := range n {
		keys = append(keys, reflectJS.Call("get", k, i).String())
	}
	return keys, nil
}

// length is the length of an array, 0 when it cannot be read.
func length(a js.Value) int {
	l, err := get(a, "length")
	if err != nil || l.Type() != js.TypeNumber {
		return 0
	}
	return l.Int()
}

// catch turns the panic of a JavaScript exception into an error.
func catch(err *error) {
	if p := recover(); p != nil {
		jerr, ok := p.(js.Error)
		if !ok {
			panic(p)
		}
		*err = fmt.Errorf("%s", jsErrorText(jerr))
	}
}

// jsErrorText is the message of a thrown value.
func jsErrorText(e js.Error) (s string) {
	defer func() {
		if recover() != nil {
			s = "a JavaScript exception"
		}
	}()
	return js.Global().Call("String", e.Value).String()
}

func isArray(v js.Value) bool {
	return v.Type() == js.TypeObject && js.Global().Get("Array").Call("isArray", v).Bool()
}

func typeName(v js.Value) string {
	if isArray(v) {
		return "an array"
	}
	return v.Type().String()
}
