//go:build !js && cgo

package command

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chai2010/webp"
	"github.com/posturekit/posturekit/imageopt"
)

// grainy returns a PNG that compresses like a photograph.
func grainy(t testing.TB, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := uint8((x*7919 ^ y*104729) % 29)
			m.SetNRGBA(x, y, color.NRGBA{uint8(x*200/w) + g, uint8(y*200/h) + g, 90 + g, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func runWebPCommand(t *testing.T, args []string, flags map[string]any) (*Output, error) {
	t.Helper()
	c := Lookup("webp")
	if c == nil {
		t.Fatal(`no command "webp"`)
	}
	in, err := NewInput(c, args, flags, nil)
	if err != nil {
		return nil, err
	}
	return c.Run(context.Background(), in)
}

func TestWebPCommand(t *testing.T) {
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "a.png"), grainy(t, 64, 48), 0o644)
	os.MkdirAll(filepath.Join(site, "img"), 0o755)
	os.WriteFile(filepath.Join(site, "img", "b.png"), grainy(t, 32, 32), 0o644)

	out, err := runWebPCommand(t, []string{site}, map[string]any{"jobs": 2})
	if err != nil {
		t.Fatal(err)
	}
	if out.Failed {
		t.Errorf("Failed with no failed file")
	}
	for _, w := range []string{"file", "original", "webp", "saving", "action", "a.png", "converted", "2 converted"} {
		if !strings.Contains(out.Text, w) {
			t.Errorf("text does not show %q:\n%s", w, out.Text)
		}
	}
	// The JSON contract.
	b, err := json.Marshal(out.Value)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files   []map[string]any `json:"files"`
		Summary map[string]any   `json:"summary"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Files) != 2 || doc.Summary == nil {
		t.Fatalf("JSON %s", b)
	}
	for _, key := range []string{"source", "output", "action", "bytes_in", "bytes_out"} {
		if _, ok := doc.Files[0][key]; !ok {
			t.Errorf("files[0] has no %q: %s", key, b)
		}
	}
	if doc.Files[0]["action"] != "converted" {
		t.Errorf("action %v", doc.Files[0]["action"])
	}

	// A file that fails: the run goes on, and the command fails (exit 1).
	os.WriteFile(filepath.Join(site, "broken.jpg"), []byte("not a JPEG"), 0o644)
	out, err = runWebPCommand(t, []string{site}, map[string]any{"out": filepath.Join(t.TempDir(), "out")})
	if err != nil {
		t.Fatal(err)
	}
	rep := out.Value.(*imageopt.Report)
	if !out.Failed || rep.Summary.Failed != 1 || rep.Summary.Converted != 2 {
		t.Errorf("with a broken file: Failed %v, %+v", out.Failed, rep.Summary)
	}
	b, _ = json.Marshal(out.Value)
	if !bytes.Contains(b, []byte(`"action":"failed"`)) || !bytes.Contains(b, []byte(`"error":"imageopt: not a JPEG`)) {
		t.Errorf("JSON of a failed file: %s", b)
	}
}

func TestWebPCommandUsage(t *testing.T) {
	site := t.TempDir()
	for _, c := range []struct {
		args  []string
		flags map[string]any
		want  string
	}{
		{[]string{site}, map[string]any{"quality": 0}, "--quality"},
		{[]string{site}, map[string]any{"quality": 101}, "--quality"},
		{[]string{site}, map[string]any{"jobs": -1}, "--jobs"},
		{[]string{site}, map[string]any{"mode": "best"}, "mode"},
		{[]string{site}, map[string]any{"max-width": -3}, "width"},
		{[]string{site}, map[string]any{"min-saving": 100}, "saving"},
		{[]string{site}, map[string]any{"include": []string{"[z"}}, "pattern"},
		{[]string{filepath.Join(site, "missing")}, nil, "no such file"},
		{[]string{site}, map[string]any{"html": true, "out": site}, "--html"},
		{nil, nil, "argument"},
	} {
		_, err := runWebPCommand(t, c.args, c.flags)
		if !IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want a usage error about %s", c.args, c.flags, err, c.want)
		}
	}
}

// TestWebPInterrupt runs the real command line over a tree, interrupts it
// (SIGINT, as Ctrl-C does) once it has written its first WebP, and checks
// that it stopped cleanly: status 1, no temporary or half-written file,
// and a next run that finishes the job.
func TestWebPInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build posturekit with")
	}
	bin := filepath.Join(t.TempDir(), "posturekit")
	if out, err := exec.Command(goBin, "build", "-o", bin, "github.com/posturekit/posturekit/cmd/posturekit").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	site := t.TempDir()
	src := grainy(t, 800, 600)
	const n = 16
	for i := range n {
		os.WriteFile(filepath.Join(site, "img"+string(rune('a'+i))+".png"), src, 0o644)
	}
	cmd := exec.Command(bin, "webp", "--jobs", "2", site)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m, _ := filepath.Glob(filepath.Join(site, "*.webp")); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no WebP written in 60 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, want status 1\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "interrupted") {
		t.Errorf("the report does not say it was interrupted:\n%s", stdout.String())
	}
	entries, _ := os.ReadDir(site)
	written := 0
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.Contains(name, "tmp"):
			t.Errorf("temporary file left: %s", name)
		case strings.HasSuffix(name, ".webp"):
			written++
			b, _ := os.ReadFile(filepath.Join(site, name))
			if m, err := webp.DecodeRGBA(b); err != nil || m.Rect.Dx() != 800 {
				t.Errorf("%s is not a whole WebP: %v", name, err)
			}
		}
	}
	if written == 0 || written == n {
		t.Errorf("%d of %d written: the run was not interrupted midway", written, n)
	}
	// The next run converts the rest and skips what is done.
	out, err := exec.Command(bin, "webp", "--json", site).Output()
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	var rep imageopt.Report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Skipped != written || rep.Summary.Converted != n-written {
		t.Errorf("second run: %+v, want %d skipped", rep.Summary, written)
	}
}
