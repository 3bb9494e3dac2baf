// Command posturekit builds, validates and checks the records, policies and
// headers that harden a website or a mail domain.
//
// Every subcommand takes --json and exits with 0 when all is well, 1 when a
// finding has severity error, and 2 on a usage or operational failure (the
// message goes to standard error). Run "posturekit help" for the list.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/posturekit/posturekit/internal/command"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitFailure  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code := exitOK
	root := newRoot(stdin, stdout, stderr, &code)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(stderr, "posturekit: %v\n", err)
		return exitFailure
	}
	return code
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer, code *int) *cobra.Command {
	root := &cobra.Command{
		Use:   "posturekit",
		Short: "harden websites and mail domains: MTA-STS, DNS security records, HTTP headers",
		Long: `posturekit builds, validates and checks what a website or mail domain
publishes to be secure: MTA-STS policies and records, DNS security records
and HTTP security headers.

Exit status: 0 when all is well, 1 when a finding has severity error,
2 on a usage or operational failure.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &command.UsageError{Msg: fmt.Sprintf("%s: %v (see %s --help)", strings.TrimPrefix(c.CommandPath(), "posturekit "), err, c.CommandPath())}
	})
	groups := map[string]*cobra.Command{}
	for _, c := range command.All() {
		parent := root
		for i, name := range c.Path[:len(c.Path)-1] {
			key := fmt.Sprint(c.Path[:i+1])
			g, ok := groups[key]
			if !ok {
				g = &cobra.Command{
					Use:   name,
					Short: groupShort[name],
					// A group is runnable so that an unknown subcommand
					// ("posturekit mtasts bogus") is a usage error, not help
					// with exit status 0 (cobra checks arguments only of
					// runnable commands below the root).
					Args: cobra.NoArgs,
					RunE: func(cc *cobra.Command, _ []string) error { return cc.Help() },
				}
				groups[key] = g
				parent.AddCommand(g)
			}
			parent = g
		}
		leaf := newLeaf(c, stdin, stdout, code)
		parent.AddCommand(leaf)
		// A command may also be the group of longer ones ("ttl" and
		// "ttl plan"); All is sorted, so the shorter comes first.
		groups[fmt.Sprint(c.Path)] = leaf
	}
	root.AddCommand(newServe(stdout)) // the offline page (serve.go)
	// A command that is also a group ("ttl" and "ttl plan") takes no
	// arguments: a stray word is an unknown subcommand, as cobra says it.
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.RunE != nil && sub.HasSubCommands() {
				sub.Args = cobra.NoArgs
			}
			walk(sub)
		}
	}
	walk(root)
	return root
}

var groupShort = map[string]string{
	"mtasts":  "MTA-STS (RFC 8461): build, validate and check policies and records",
	"record":  "DNS security records: validate SPF, DMARC, CAA, TLS-RPT, DKIM, MTA-STS, security.txt",
	"ttl":     "DNS change propagation: how a change reaches clients over time, and migration plans",
	"headers": "HTTP security headers: build, validate, grade and render for every host",
}

// newLeaf turns one table entry into a cobra command.
func newLeaf(c *command.Command, stdin io.Reader, stdout io.Writer, code *int) *cobra.Command {
	use := c.Path[len(c.Path)-1]
	if c.Args.Usage != "" {
		use += " " + c.Args.Usage
	}
	cc := &cobra.Command{Use: use, Short: c.Short, Long: c.Long}
	fs := cc.Flags()
	jsonOut := fs.Bool("json", false, "print the result as JSON")
	for _, f := range c.Flags {
		switch f.Kind {
		case command.String:
			def, _ := f.Default.(string)
			fs.String(f.Name, def, f.Usage)
		case command.Bool:
			def, _ := f.Default.(bool)
			fs.Bool(f.Name, def, f.Usage)
		case command.Int:
			def, _ := f.Default.(int)
			fs.Int(f.Name, def, f.Usage)
		case command.Strings:
			def, _ := f.Default.([]string)
			fs.StringArray(f.Name, def, f.Usage)
		}
	}
	cc.RunE = func(cc *cobra.Command, args []string) error {
		values := map[string]any{}
		for _, f := range c.Flags {
			var v any
			var err error
			switch f.Kind {
			case command.String:
				v, err = fs.GetString(f.Name)
			case command.Bool:
				v, err = fs.GetBool(f.Name)
			case command.Int:
				v, err = fs.GetInt(f.Name)
			case command.Strings:
				v, err = fs.GetStringArray(f.Name)
			}
			if err != nil {
				return err
			}
			values[f.Name] = v
		}
		in, err := command.NewInput(c, args, values, openFile(stdin))
		if err != nil {
			return err
		}
		in.Color = colorOK(stdout)
		out, err := c.Run(cc.Context(), in)
		if err != nil {
			return err
		}
		if out.Stream != nil {
			failed, err := out.Stream(stdout, *jsonOut)
			if err != nil {
				return err
			}
			if failed {
				*code = exitFindings
			}
			return nil
		}
		if *jsonOut {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(out.Value); err != nil {
				return err
			}
		} else {
			io.WriteString(stdout, out.Text)
		}
		if out.Failed {
			*code = exitFindings
		}
		return nil
	}
	return cc
}

// colorOK reports whether text for w may carry ANSI colours: w is a
// terminal and NO_COLOR (https://no-color.org) is not set to a non-empty
// value.
func colorOK(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && os.Getenv("NO_COLOR") == "" && term.IsTerminal(int(f.Fd()))
}

// openFile opens a named input: "-" is standard input.
func openFile(stdin io.Reader) func(string) (io.ReadCloser, error) {
	return func(name string) (io.ReadCloser, error) {
		if name == "-" {
			return io.NopCloser(stdin), nil
		}
		f, err := os.Open(name)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %v", name, pe.Err)
			}
			return nil, err
		}
		return f, nil
	}
}
