package command_test

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"testing"

	"github.com/posturekit/posturekit/internal/command"
	"github.com/posturekit/posturekit/internal/vectors"
	"github.com/posturekit/posturekit/mtasts"
)

var update = flag.Bool("update", false, "rewrite the expected .json of the shared vectors in testdata/mtasts from the current output")

func openFile(name string) (io.ReadCloser, error) { return os.Open(name) }

// TestGolden runs every shared vector through the command table, as the
// faces do, and compares the result with its .json. Regenerate with
//
//	go test ./internal/command -run TestGolden -update
func TestGolden(t *testing.T) {
	c := command.Lookup("mtasts validate")
	if c == nil {
		t.Fatal(`no command "mtasts validate"`)
	}
	for _, v := range vectors.MTASTS(t) {
		t.Run(v.Name, func(t *testing.T) {
			in, err := command.NewInput(c, []string{v.Input}, nil, openFile)
			if err != nil {
				t.Fatal(err)
			}
			out, err := c.Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			res, ok := out.Value.(*command.ValidateResult)
			if !ok {
				t.Fatalf("result is %T, want *command.ValidateResult", out.Value)
			}
			if out.Failed == res.Valid {
				t.Errorf("Failed %v but Valid %v", out.Failed, res.Valid)
			}
			// Go through the JSON the faces print, not the Go values.
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			v.Check(t, b, *update)
		})
	}
}

// TestBuildRoundTrip builds a policy through the table and reads its text
// back with the strict parser.
func TestBuildRoundTrip(t *testing.T) {
	c := command.Lookup("mtasts build")
	if c == nil {
		t.Fatal(`no command "mtasts build"`)
	}
	in, err := command.NewInput(c, nil, map[string]any{
		"domain": "Example.COM.",
		"mx":     []string{"mail.example.com", "*.mx.example.net"},
		"id":     "20260102150405Z",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	res := out.Value.(*command.BuildResult)
	if out.Failed || !res.Valid || len(res.Findings) != 0 {
		t.Fatalf("build failed: %v", res.Findings)
	}
	if res.Domain != "example.com" || res.RecordName != "_mta-sts.example.com" ||
		res.PolicyURL != "https://mta-sts.example.com/.well-known/mta-sts.txt" {
		t.Errorf("domain %q, record name %q, policy URL %q", res.Domain, res.RecordName, res.PolicyURL)
	}
	if res.RecordText != "v=STSv1; id=20260102150405Z;" {
		t.Errorf("record text %q", res.RecordText)
	}
	want := "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.mx.example.net\r\nmax_age: 2419200\r\n"
	if res.PolicyText != want {
		t.Errorf("policy text %q, want %q", res.PolicyText, want)
	}
	p, err := mtasts.ParsePolicy(res.PolicyText)
	if err != nil {
		t.Fatal(err)
	}
	if p.String() != res.PolicyText || !p.Match("a.mx.example.net") || p.Match("mx.example.net") {
		t.Errorf("parsed policy %+v does not round-trip or match", p)
	}
}
