//go:build !js

package headers

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var updateGrade = flag.Bool("update-grade", false, "rewrite testdata/grade/*.expected.json from the Observatory oracle")

// observatoryOracle returns how to run the Observatory oracle
// (../shared/oracles/run.sh observatory, whose first call installs
// @mdn/mdn-http-observatory 1.4.8 with npm), or skips the test (fails it
// when CI is set) when node, npm or the script are missing.
func observatoryOracle(t *testing.T) (runSh, gradeMJS string) {
	t.Helper()
	runSh = oracleRunSh(t, "the MDN HTTP Observatory")
	// The first call installs the packages and copies grade.mjs into the
	// oracle's home; later calls run that copy directly, in parallel
	// (run.sh copies its files again on every call).
	out, err := exec.Command(runSh, "observatory", "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("%s observatory --help: %v\n%s", runSh, err, out)
	}
	home := os.Getenv("ORACLE_HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			t.Fatal(err)
		}
		home = filepath.Join(h, ".cache", "posturekit-oracles")
	}
	return runSh, filepath.Join(home, "grade.mjs")
}

// runObservatory grades one corpus set with the oracle.
func runObservatory(gradeMJS string, c gradeCase) (*oracleReport, error) {
	args := []string{gradeMJS, "--json", "--headers", c.setPath}
	if c.htmlPath != "" {
		args = append(args, "--html", c.htmlPath)
	}
	args = append(args, c.args...)
	cmd := exec.Command("node", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node %v: %v\n%s", args, err, stderr.Bytes())
	}
	var raw struct {
		Scan  oracleReport          `json:"scan"`
		Tests map[string]oracleTest `json:"tests"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		return nil, fmt.Errorf("oracle output: %v\n%s", err, out)
	}
	raw.Scan.Tests = raw.Tests
	return &raw.Scan, nil
}

// TestGradeOracle runs the Observatory oracle live on every set of the
// corpus and compares its score and grade (and each test's result) with
// posturekit's observatory-v4 grade, and with the stored expected output.
// With -update-grade it rewrites the expected output instead of comparing
// with it.
func TestGradeOracle(t *testing.T) {
	_, gradeMJS := observatoryOracle(t)
	cases := loadGradeCorpus(t)
	reports := make([]*oracleReport, len(cases))
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(2, runtime.NumCPU()))
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			reports[i], errs[i] = runObservatory(gradeMJS, c)
		}()
	}
	wg.Wait()
	agreeScore, agreeTests, tests := 0, 0, 0
	for i, c := range cases {
		if errs[i] != nil {
			t.Errorf("%s: %v", c.name, errs[i])
			continue
		}
		o := reports[i]
		if *updateGrade {
			b, err := json.MarshalIndent(o, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(c.expectedPath(), append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		} else if b, err := os.ReadFile(c.expectedPath()); err == nil {
			var stored oracleReport
			if err := json.Unmarshal(b, &stored); err != nil {
				t.Fatalf("%s: %v", c.expectedPath(), err)
			}
			if a, _ := json.Marshal(stored); !bytes.Equal(a, mustJSON(t, o)) {
				t.Errorf("%s: the oracle's answer changed since %s was written", c.name, c.expectedPath())
			}
		}
		r := Grade(c.in, ObservatoryV4)
		sd, td := compareOracle(r, o)
		for _, d := range sd {
			t.Errorf("%s: %s", c.name, d)
		}
		for _, d := range td {
			t.Errorf("%s: %s", c.name, d)
		}
		if len(sd) == 0 {
			agreeScore++
		}
		tests += len(o.Tests)
		agreeTests += len(o.Tests) - len(td)
	}
	t.Logf("observatory-v4 against the live oracle: score and grade agree on %d of %d sets; test results on %d of %d", agreeScore, len(cases), agreeTests, tests)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
