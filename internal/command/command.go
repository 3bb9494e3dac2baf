// Package command is the one table of posturekit's commands. Each command is
// a name, its flags and arguments, and a function from parsed input to a
// JSON-able result. The command line (cmd/posturekit) and the WebAssembly
// build (wasm/) both dispatch this table, so the terminal and the browser
// cannot drift apart: they differ only in how input arrives and output
// leaves.
//
// Commands that need the network or cgo register from files built only for
// the command line (//go:build !js), so the browser build links the pure
// generators alone.
package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// Kind is the type of a flag's value.
type Kind int

// Flag kinds.
const (
	String  Kind = iota // one string
	Bool                // true when given
	Int                 // a whole number
	Strings             // a string that may be given many times
)

// Flag describes one flag of a command.
type Flag struct {
	Name    string // long name, without dashes
	Kind    Kind
	Usage   string
	Default any // string, bool, int or []string by Kind; nil for the zero value
}

// Args describes the positional arguments.
type Args struct {
	Usage    string // as shown in help, e.g. "FILE|-"
	Min, Max int    // bounds on their number; Max < 0 means no bound
}

// Command is one entry of the table.
type Command struct {
	// Path is the command's name, e.g. ["mtasts", "validate"].
	Path  []string
	Short string // one line for lists
	Long  string // the help text
	Args  Args
	Flags []Flag
	// Run does the work. It returns a usage error (see [Usagef]) for bad
	// input that the flags could not catch, any other error for an
	// operational failure.
	Run func(ctx context.Context, in *Input) (*Output, error)
}

// Name returns the space-joined path.
func (c *Command) Name() string { return strings.Join(c.Path, " ") }

// Output is what a command produces.
type Output struct {
	// Value is marshalled for --json and by the browser build. Its JSON
	// field names are those of the Go types it holds.
	Value any
	// Text is the rendering for people.
	Text string
	// Failed is true when the result holds findings of severity error; the
	// command line then exits with status 1.
	Failed bool
	// Stream, when not nil, writes the result as the work proceeds,
	// instead of Value and Text (a bulk audit prints one line per domain
	// as each finishes). The command line calls it with its standard
	// output and whether --json was given; failed is then as Failed.
	// Commands that set it run only on the command line (//go:build !js).
	Stream func(w io.Writer, asJSON bool) (failed bool, err error)
}

// Input is a command's parsed input.
type Input struct {
	Args  []string
	flags map[string]any
	// Open returns the named input: a file on the command line ("-" is
	// standard input), or text the page supplied in the browser.
	Open func(name string) (io.ReadCloser, error)
	// Color is true when Text may hold ANSI colour codes: the command line
	// sets it when standard output is a terminal and NO_COLOR is not set.
	Color bool
}

// NewInput returns an input with the given arguments and flag values
// (keyed by flag name, values of the flag's kind), checked against c.
func NewInput(c *Command, args []string, flags map[string]any, open func(string) (io.ReadCloser, error)) (*Input, error) {
	if len(args) < c.Args.Min || c.Args.Max >= 0 && len(args) > c.Args.Max {
		return nil, Usagef("%s: wants %s, got %d argument(s)", c.Name(), argCount(c.Args), len(args))
	}
	in := &Input{Args: args, flags: map[string]any{}, Open: open}
	for _, f := range c.Flags {
		v, ok := flags[f.Name]
		if !ok || v == nil {
			v = f.Default
		}
		if v == nil {
			v = zero(f.Kind)
		}
		if !kindOK(f.Kind, v) {
			return nil, Usagef("%s: flag --%s: want %s, got %T", c.Name(), f.Name, kindName(f.Kind), v)
		}
		in.flags[f.Name] = v
	}
	for name := range flags {
		if !slices.ContainsFunc(c.Flags, func(f Flag) bool { return f.Name == name }) {
			return nil, Usagef("%s: unknown flag --%s", c.Name(), name)
		}
	}
	return in, nil
}

func argCount(a Args) string {
	switch {
	case a.Max == 0:
		return "no arguments"
	case a.Min == a.Max:
		return fmt.Sprintf("%d argument(s) (%s)", a.Min, a.Usage)
	case a.Max < 0:
		return fmt.Sprintf("at least %d argument(s) (%s)", a.Min, a.Usage)
	}
	return fmt.Sprintf("%d to %d arguments (%s)", a.Min, a.Max, a.Usage)
}

func zero(k Kind) any {
	switch k {
	case Bool:
		return false
	case Int:
		return 0
	case Strings:
		return []string(nil)
	}
	return ""
}

func kindOK(k Kind, v any) bool {
	switch k {
	case Bool:
		_, ok := v.(bool)
		return ok
	case Int:
		_, ok := v.(int)
		return ok
	case Strings:
		_, ok := v.([]string)
		return ok
	}
	_, ok := v.(string)
	return ok
}

func kindName(k Kind) string {
	return [...]string{"a string", "true or false", "a whole number", "a list of strings"}[k]
}

// String returns a string flag's value.
func (in *Input) String(name string) string { s, _ := in.flags[name].(string); return s }

// Bool returns a bool flag's value.
func (in *Input) Bool(name string) bool { b, _ := in.flags[name].(bool); return b }

// Int returns an int flag's value.
func (in *Input) Int(name string) int { n, _ := in.flags[name].(int); return n }

// Strings returns a repeatable flag's values.
func (in *Input) Strings(name string) []string { s, _ := in.flags[name].([]string); return s }

// ReadAll reads the named input whole, at most limit bytes.
func (in *Input) ReadAll(name string, limit int64) ([]byte, error) {
	if in.Open == nil {
		return nil, fmt.Errorf("no input named %q", name)
	}
	r, err := in.Open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, limit)
	}
	return b, nil
}

// UsageError is bad input from the user: the command line exits with 2 and
// shows the message.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a [*UsageError].
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// IsUsage reports whether err is a usage error.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

var (
	mu    sync.Mutex
	table []*Command
)

// Register adds a command to the table. It panics on a duplicate name:
// that is a programming error found by any test.
func Register(c *Command) {
	mu.Lock()
	defer mu.Unlock()
	for _, o := range table {
		if o.Name() == c.Name() {
			panic("command: duplicate command " + c.Name())
		}
	}
	table = append(table, c)
}

// All returns the table, sorted by name.
func All() []*Command {
	mu.Lock()
	defer mu.Unlock()
	out := slices.Clone(table)
	slices.SortFunc(out, func(a, b *Command) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}

// Lookup returns the command with the given space-joined name.
func Lookup(name string) *Command {
	for _, c := range All() {
		if c.Name() == name {
			return c
		}
	}
	return nil
}
