package command_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/internal/command"
)

// gradeFiles serves named inputs from memory, as the browser build does.
func gradeFiles(files map[string]string) func(string) (io.ReadCloser, error) {
	return func(name string) (io.ReadCloser, error) {
		s, ok := files[name]
		if !ok {
			return nil, errors.New(name + ": no such file")
		}
		return io.NopCloser(strings.NewReader(s)), nil
	}
}

func runGrade(t *testing.T, args []string, flags map[string]any, files map[string]string) (*command.Output, error) {
	t.Helper()
	c := command.Lookup("headers grade")
	if c == nil {
		t.Fatal(`no command "headers grade"`)
	}
	in, err := command.NewInput(c, args, flags, gradeFiles(files))
	if err != nil {
		return nil, err
	}
	return c.Run(context.Background(), in)
}

const gradeCloudFront = `{"Strict-Transport-Security": "max-age=31536000", "Referrer-Policy": "strict-origin-when-cross-origin",
 "X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN", "X-XSS-Protection": "1; mode=block"}`

func TestHeadersGrade(t *testing.T) {
	out, err := runGrade(t, []string{"set.json"}, map[string]any{"profile": "observatory-v4"}, map[string]string{"set.json": gradeCloudFront})
	if err != nil {
		t.Fatal(err)
	}
	if out.Failed {
		t.Error("a grade is never a failure")
	}
	b, err := json.Marshal(out.Value)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Profile string `json:"profile"`
		Score   int    `json:"score"`
		Grade   string `json:"grade"`
		Tests   []struct {
			Name     string `json:"name"`
			Result   string `json:"result"`
			Modifier *int   `json:"modifier"`
			Pass     *bool  `json:"pass"`
			Fix      *string
		} `json:"tests"`
		Presence struct {
			Grade   string   `json:"grade"`
			Missing []string `json:"missing"`
		} `json:"presence"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Profile != "observatory-v4" || got.Score != 75 || got.Grade != "B" || len(got.Tests) != 10 {
		t.Errorf("got profile %s score %d grade %s with %d tests, want observatory-v4 75 B with 10", got.Profile, got.Score, got.Grade, len(got.Tests))
	}
	for _, tr := range got.Tests {
		if tr.Name == "" || tr.Result == "" || tr.Modifier == nil || tr.Pass == nil || tr.Fix == nil {
			t.Errorf("test %+v lacks a field", tr)
		}
	}
	if got.Tests[0].Name != "content-security-policy" || got.Tests[0].Result != "csp-not-implemented" || *got.Tests[0].Modifier != -25 || *got.Tests[0].Pass {
		t.Errorf("first test %+v", got.Tests[0])
	}
	if got.Presence.Grade != "B" || strings.Join(got.Presence.Missing, ",") != "Content-Security-Policy,Permissions-Policy" {
		t.Errorf("presence %+v", got.Presence)
	}
	for _, want := range []string{"grade B, score 75", "FAIL   -25  content-security-policy", "csp-not-implemented", "fixes:", "Content-Security-Policy: default-src 'none'", "presence grade (securityheaders.com): B"} {
		if !strings.Contains(out.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, out.Text)
		}
	}
}

func TestHeadersGradeOptions(t *testing.T) {
	files := map[string]string{
		"-":         "Content-Security-Policy: default-src 'none'\nStrict-Transport-Security: max-age=63072000\nX-Frame-Options: DENY\nX-Content-Type-Options: nosniff\n",
		"page.html": `<script src="http://cdn.example.net/a.js"></script>`,
	}
	out, err := runGrade(t, []string{"-"}, nil, files)
	if err != nil {
		t.Fatal(err)
	}
	def := out.Value.(*command.HeadersGradeResult)
	if def.Profile != "observatory-v6" || def.Score != 115 || len(def.Tests) != 12 {
		t.Errorf("default profile: %s %d with %d tests", def.Profile, def.Score, len(def.Tests))
	}
	out, err = runGrade(t, []string{"-"}, map[string]any{"html": "page.html", "no-redirect": true, "host": "Example.COM."}, files)
	if err != nil {
		t.Fatal(err)
	}
	r := out.Value.(*command.HeadersGradeResult)
	if sri := r.Test("subresource-integrity"); sri.Modifier != -50 {
		t.Errorf("SRI %s %d", sri.Result, sri.Modifier)
	}
	if red := r.Test("redirection"); red.Result != "redirection-missing" {
		t.Errorf("redirection %s", red.Result)
	}
	out, err = runGrade(t, []string{"-"}, map[string]any{"no-https": true}, files)
	if err != nil {
		t.Fatal(err)
	}
	if hsts := out.Value.(*command.HeadersGradeResult).Test("strict-transport-security"); hsts.Result != "hsts-not-implemented-no-https" {
		t.Errorf("HSTS %s", hsts.Result)
	}
}

func TestHeadersGradeErrors(t *testing.T) {
	files := map[string]string{"bad": "no colon here\n", "ok": "X-Frame-Options: DENY\n"}
	if _, err := runGrade(t, []string{"ok"}, map[string]any{"profile": "observatory-v5"}, files); !command.IsUsage(err) {
		t.Errorf("unknown profile: %v, want a usage error", err)
	}
	if _, err := runGrade(t, []string{"bad"}, nil, files); !command.IsUsage(err) {
		t.Errorf("bad set: %v, want a usage error", err)
	}
	if _, err := runGrade(t, []string{"missing"}, nil, files); err == nil {
		t.Error("a missing file graded")
	}
	if _, err := runGrade(t, []string{"ok"}, map[string]any{"html": "missing"}, files); err == nil {
		t.Error("a missing --html file graded")
	}
	if _, err := runGrade(t, nil, nil, files); !command.IsUsage(err) {
		t.Errorf("no argument: %v, want a usage error", err)
	}
}
