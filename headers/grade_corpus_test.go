package headers

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The grading corpus: testdata/grade/NAME.json is a header set in the
// form the Observatory oracle reads, NAME.html an optional page body,
// NAME.args optional oracle flags (one a line: --no-https, --no-redirect,
// --host NAME, --cors-H 'Name: value'), and NAME.expected.json what the
// oracle (MDN HTTP Observatory 1.4.8) said about it. Regenerate the
// expected files with
//
//	go test ./headers -run TestGradeOracle -update-grade

const gradeCorpusDir = "testdata/grade"

// gradeCase is one set of the corpus.
type gradeCase struct {
	name     string
	setPath  string
	htmlPath string // "" when there is no body
	args     []string
	in       GradeInput
}

// oracleReport is the part of the oracle's JSON the tests compare; the
// expected files hold it.
type oracleReport struct {
	AlgorithmVersion     int                   `json:"algorithmVersion"`
	Score                int                   `json:"score"`
	Grade                string                `json:"grade"`
	UncurvedScore        int                   `json:"uncurvedScore"`
	ScoreWithExtraCredit int                   `json:"scoreWithExtraCredit"`
	TestsPassed          int                   `json:"testsPassed"`
	Tests                map[string]oracleTest `json:"tests"`
}

type oracleTest struct {
	Result        string `json:"result"`
	Pass          bool   `json:"pass"`
	ScoreModifier int    `json:"scoreModifier"`
}

func loadGradeCorpus(t testing.TB) []gradeCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(gradeCorpusDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []gradeCase
	for _, p := range paths {
		if strings.HasSuffix(p, ".expected.json") {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		set, err := ParseSet(string(b))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		c := gradeCase{name: name, setPath: p, in: GradeInput{Headers: set}}
		stem := strings.TrimSuffix(p, ".json")
		if h, err := os.ReadFile(stem + ".html"); err == nil {
			c.htmlPath = stem + ".html"
			c.in.HTML = string(h)
		}
		if a, err := os.ReadFile(stem + ".args"); err == nil {
			for _, line := range strings.Split(strings.TrimSpace(string(a)), "\n") {
				flag, val, _ := strings.Cut(strings.TrimSpace(line), " ")
				c.args = append(c.args, flag)
				switch flag {
				case "--no-https":
					c.in.NoHTTPS = true
				case "--no-redirect":
					c.in.NoRedirect = true
				case "--host":
					c.args = append(c.args, val)
					c.in.Host = val
				case "--cors-H":
					c.args = append(c.args, val)
					if c.in.CORS == nil {
						c.in.CORS = &Set{}
					}
					n, v, _ := strings.Cut(val, ":")
					c.in.CORS.Add(n, strings.TrimSpace(v))
				default:
					t.Fatalf("%s.args: unknown flag %q", stem, flag)
				}
			}
		}
		cases = append(cases, c)
	}
	if len(cases) < 40 {
		t.Fatalf("the grading corpus has %d sets, want at least 40", len(cases))
	}
	return cases
}

func (c gradeCase) expectedPath() string {
	return strings.TrimSuffix(c.setPath, ".json") + ".expected.json"
}

// compareOracle compares posturekit's observatory-v4 report with the
// oracle's: it returns the differences in score and grade, and those in
// the tests' results, pass and modifiers, as messages.
func compareOracle(r *Report, o *oracleReport) (scoreDiffs, testDiffs []string) {
	if r.Score != o.Score || r.Grade != o.Grade {
		scoreDiffs = append(scoreDiffs, fmt.Sprintf("score %d grade %s, oracle %d %s", r.Score, r.Grade, o.Score, o.Grade))
	}
	if r.AlgorithmVersion != o.AlgorithmVersion || r.UncurvedScore != o.UncurvedScore ||
		r.ScoreWithExtraCredit != o.ScoreWithExtraCredit || r.TestsPassed != o.TestsPassed {
		scoreDiffs = append(scoreDiffs, fmt.Sprintf("version/uncurved/extra/passed %d/%d/%d/%d, oracle %d/%d/%d/%d",
			r.AlgorithmVersion, r.UncurvedScore, r.ScoreWithExtraCredit, r.TestsPassed,
			o.AlgorithmVersion, o.UncurvedScore, o.ScoreWithExtraCredit, o.TestsPassed))
	}
	var names []string
	for n := range o.Tests {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(r.Tests) != len(o.Tests) {
		testDiffs = append(testDiffs, fmt.Sprintf("%d tests, oracle %d", len(r.Tests), len(o.Tests)))
	}
	for _, n := range names {
		ot := o.Tests[n]
		rt := r.Test(n)
		if rt == nil {
			testDiffs = append(testDiffs, n+": missing")
			continue
		}
		if rt.Result != ot.Result || rt.Pass != ot.Pass || rt.Modifier != ot.ScoreModifier {
			testDiffs = append(testDiffs, fmt.Sprintf("%s: %s pass=%v %+d, oracle %s pass=%v %+d", n, rt.Result, rt.Pass, rt.Modifier, ot.Result, ot.Pass, ot.ScoreModifier))
		}
	}
	return scoreDiffs, testDiffs
}

// TestGradeCorpus grades every set of the corpus under observatory-v4 and
// compares with the oracle's stored answer: score and grade, and each
// test's result, verdict and modifier.
func TestGradeCorpus(t *testing.T) {
	cases := loadGradeCorpus(t)
	agreeScore, agreeTests, tests := 0, 0, 0
	for _, c := range cases {
		b, err := os.ReadFile(c.expectedPath())
		if err != nil {
			t.Errorf("%s: no expected output (run go test -run TestGradeOracle -update-grade with node and npm): %v", c.name, err)
			continue
		}
		var o oracleReport
		if err := json.Unmarshal(b, &o); err != nil {
			t.Fatalf("%s: %v", c.expectedPath(), err)
		}
		r := Grade(c.in, ObservatoryV4)
		sd, td := compareOracle(r, &o)
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
	t.Logf("observatory-v4 against the stored oracle output: score and grade agree on %d of %d sets; test results on %d of %d", agreeScore, len(cases), agreeTests, tests)
}
