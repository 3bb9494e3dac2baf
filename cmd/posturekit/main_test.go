package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/internal/command"
	"github.com/posturekit/posturekit/internal/vectors"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/spf13/cobra"
)

// TestMain lets the test binary run as "posturekit" inside the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"posturekit": main})
}

// TestScripts runs the end-to-end scripts in testdata/script: each is a
// txtar archive of commands and the files they work on.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// Under -race, each run of posturekit would sleep 1s at exit
			// (the race runtime's default atexit_sleep_ms=1000).
			if g := env.Getenv("GORACE"); !strings.Contains(g, "atexit_sleep_ms") {
				env.Setenv("GORACE", strings.TrimSpace(g+" atexit_sleep_ms=10"))
			}
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits": cmdExits,
			"json":  cmdJSON,
		},
	})
}

// cmdExits runs a program and checks its exit status:
//
//	exits N program [args...]
//
// Its standard output and error are then matched by stdout and stderr, as
// after exec. (testscript's "! exec" accepts any failure; posturekit's exit
// status 1 and 2 mean different things.)
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: exit status %q is not a number", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// cmdJSON prints one value of a JSON file, so that stdout can match it or
// cp can save it:
//
//	json FILE PATH
//
// PATH is dot-separated object keys and array indices
// ("findings.0.code"); a string prints as itself, other values as JSON.
func cmdJSON(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! json")
	}
	if len(args) != 2 {
		ts.Fatalf("usage: json FILE PATH")
	}
	var v any
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &v); err != nil {
		ts.Fatalf("json: %s: %v", args[0], err)
	}
	for _, key := range strings.Split(args[1], ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[key]; !ok {
				ts.Fatalf("json: %s: no key %q", args[1], key)
			}
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(x) {
				ts.Fatalf("json: %s: no index %q in an array of %d", args[1], key, len(x))
			}
			v = x[i]
		default:
			ts.Fatalf("json: %s: %q is inside a %T", args[1], key, v)
		}
	}
	if s, ok := v.(string); ok {
		ts.Stdout().Write([]byte(s))
		return
	}
	b, err := json.Marshal(v)
	ts.Check(err)
	ts.Stdout().Write(append(b, '\n'))
}

// TestCommandsDocumented keeps every command of the table, as linked into
// the command line, documented: a later command cannot skip its help.
func TestCommandsDocumented(t *testing.T) {
	all := command.All()
	if len(all) == 0 {
		t.Fatal("the command table is empty")
	}
	for _, c := range all {
		name := c.Name()
		if len(c.Path) == 0 || name == "" {
			t.Errorf("a command has no name: %+v", c)
			continue
		}
		if strings.TrimSpace(c.Short) == "" || strings.Contains(c.Short, "\n") {
			t.Errorf("%s: Short must be one non-empty line, got %q", name, c.Short)
		}
		if strings.TrimSpace(c.Long) == "" {
			t.Errorf("%s: no Long help text", name)
		}
		if c.Args.Max != 0 && c.Args.Usage == "" {
			t.Errorf("%s: takes arguments but Args.Usage does not name them", name)
		}
		if c.Run == nil {
			t.Errorf("%s: no Run function", name)
		}
		if len(c.Path) > 1 && groupShort[c.Path[0]] == "" {
			t.Errorf("%s: group %q has no entry in groupShort", name, c.Path[0])
		}
		for _, f := range c.Flags {
			if f.Name == "" || strings.HasPrefix(f.Name, "-") {
				t.Errorf("%s: flag %q: give the name without dashes", name, f.Name)
			}
			if strings.TrimSpace(f.Usage) == "" {
				t.Errorf("%s: flag --%s has no Usage", name, f.Name)
			}
			if f.Name == "json" || f.Name == "help" {
				t.Errorf("%s: flag --%s is added by the command line itself", name, f.Name)
			}
		}
	}
}

// TestCLITree checks what cobra shows: every command has a one-line
// description, and every leaf offers --json.
func TestCLITree(t *testing.T) {
	code := 0
	root := newRoot(strings.NewReader(""), new(bytes.Buffer), new(bytes.Buffer), &code)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Short == "" {
			t.Errorf("%q has no Short", c.CommandPath())
		}
		if !c.HasSubCommands() && c.Name() != "help" && c.Flags().Lookup("json") == nil {
			t.Errorf("%q has no --json", c.CommandPath())
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}

// TestHelpEveryCommand asks each command of the table for --help: exit 0,
// its Long text and every flag shown, --json included.
func TestHelpEveryCommand(t *testing.T) {
	for _, c := range command.All() {
		var stdout, stderr bytes.Buffer
		args := append(append([]string{}, c.Path...), "--help")
		if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != exitOK || stderr.Len() > 0 {
			t.Errorf("posturekit %s --help: exit %d, stderr %q", c.Name(), code, stderr.String())
			continue
		}
		out := stdout.String()
		want := []string{"posturekit " + c.Name(), "--json", strings.SplitN(c.Long, "\n", 2)[0]}
		for _, f := range c.Flags {
			want = append(want, "--"+f.Name, strings.ReplaceAll(f.Usage, "`", "")) // pflag drops the backquotes around a value name
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("posturekit %s --help does not show %q", c.Name(), w)
			}
		}
	}
}

// TestExitCodes runs run directly, in process, for the exit status contract.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.policy")
	if err := os.WriteFile(good, []byte("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args   []string
		stdin  string
		want   int
		stderr string // substring of standard error, for failures
	}{
		{[]string{"mtasts", "validate", good}, "", exitOK, ""},
		{[]string{"mtasts", "validate", "-"}, "version: STSv1\nmode: enforce\nmax_age: 604800\n", exitFindings, ""},
		{[]string{"mtasts", "validate", "--record", "v=STSv1; id=1;"}, "", exitOK, ""},
		{[]string{"mtasts", "validate", "--record", "v=STSv1;"}, "", exitFindings, ""},
		{[]string{"mtasts", "build", "--mx", "mail.example.com"}, "", exitOK, ""},
		{[]string{"mtasts", "build", "--mx", "192.0.2.1"}, "", exitFindings, ""},
		{[]string{"mtasts", "validate"}, "", exitFailure, "argument"},
		{[]string{"mtasts", "validate", filepath.Join(dir, "missing")}, "", exitFailure, "no such file"},
		{[]string{"mtasts", "build", "--nope"}, "", exitFailure, "unknown flag: --nope"},
		{[]string{"mtasts", "build", "--mx", "a.example", "--mode", "strict"}, "", exitFailure, "--mode"},
		{[]string{"mtasts", "nope"}, "", exitFailure, `unknown command "nope"`},
		{[]string{"nope"}, "", exitFailure, `unknown command "nope"`},
		{[]string{"--help"}, "", exitOK, ""},
		{[]string{}, "", exitOK, ""},
	} {
		var stdout, stderr bytes.Buffer
		got := run(context.Background(), tc.args, strings.NewReader(tc.stdin), &stdout, &stderr)
		if got != tc.want {
			t.Errorf("posturekit %q: exit %d, want %d (stderr %q)", tc.args, got, tc.want, stderr.String())
		}
		if tc.want == exitFailure && !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("posturekit %q: stderr %q does not contain %q", tc.args, stderr.String(), tc.stderr)
		}
		if tc.want != exitFailure && stderr.Len() > 0 {
			t.Errorf("posturekit %q: unexpected stderr %q", tc.args, stderr.String())
		}
	}
}

// TestVectors runs the vectors shared by every face through the command
// line and compares them with the expected JSON. The Go test in
// internal/command regenerates the .json files (-update).
func TestVectors(t *testing.T) {
	for _, v := range vectors.MTASTS(t) {
		t.Run(v.Name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"mtasts", "validate", "--json", v.Input}, strings.NewReader(""), &stdout, &stderr)
			got := v.Check(t, stdout.Bytes(), false)
			if wantCode := map[bool]int{true: exitOK, false: exitFindings}[got.Valid]; code != wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", code, wantCode, stderr.String())
			}
		})
	}
}
