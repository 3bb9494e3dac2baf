// Package vectors reads the test vectors that every face runs: the Go tests
// of the command table, the command line and the WebAssembly build all
// check the same inputs against the same expected results, so the faces
// cannot drift apart.
//
// The vectors live in testdata/ at the root of the repository. For MTA-STS,
// each testdata/mtasts/NAME.policy has in NAME.json the parts of
// "posturekit mtasts validate --json NAME.policy" that are pinned down:
// valid, and each finding's code, severity and line (messages, fixes and
// RFC references may be reworded).
package vectors

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Finding is the pinned part of a finding.
type Finding struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Line     int    `json:"line,omitempty"`
}

// Result is the pinned part of a validate result.
type Result struct {
	Valid    bool      `json:"valid"`
	Findings []Finding `json:"findings"`
}

// Vector is one input and its expected result.
type Vector struct {
	Name     string // file name of the input
	Input    string // path of the input
	Expected string // path of the expected JSON
}

// MTASTS returns the MTA-STS policy vectors; it fails the test when there
// are none.
func MTASTS(t testing.TB) []Vector {
	t.Helper()
	dir := filepath.Join(root(t), "testdata", "mtasts")
	inputs, err := filepath.Glob(filepath.Join(dir, "*.policy"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("vectors: no *.policy in %s (%v)", dir, err)
	}
	vs := make([]Vector, len(inputs))
	for i, in := range inputs {
		vs[i] = Vector{Name: filepath.Base(in), Input: in, Expected: strings.TrimSuffix(in, ".policy") + ".json"}
	}
	return vs
}

// root finds the repository root: the nearest directory upwards holding
// go.mod.
func root(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("vectors: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Summarize reduces the JSON a face printed to its pinned part, and returns
// it with its canonical encoding (indented, with a final newline), which is
// what the .json files hold.
func Summarize(out []byte) (Result, []byte, error) {
	var r Result
	if err := json.Unmarshal(out, &r); err != nil {
		return r, nil, fmt.Errorf("vectors: output is not a validate result: %v\n%s", err, out)
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	return r, append(b, '\n'), err
}

// Check compares what a face printed for v with the expected JSON. With
// update set, it writes the expected JSON instead.
func (v Vector) Check(t testing.TB, out []byte, update bool) Result {
	t.Helper()
	got, canon, err := Summarize(out)
	if err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.WriteFile(v.Expected, canon, 0o644); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want, err := os.ReadFile(v.Expected)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/command -run TestGolden -update to create it)", err)
	}
	if string(canon) != string(want) {
		t.Errorf("%s: result differs from %s\ngot:\n%s\nwant:\n%s", v.Name, v.Expected, canon, want)
	}
	return got
}
