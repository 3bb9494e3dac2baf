//go:build cgo

package imageopt

import (
	"context"
	"crypto/sha256"
	"errors"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/imageopt/internal/ssim"
)

// SSIM floors for the corpus at the default quality (75), luma, against
// the source as Go decodes it. The lowest file is hubble_deep_field.jpg,
// a dense star field (cwebp and sharp score the same on it).
const (
	ssimFloorFile = 0.87
	ssimFloorMean = 0.96
)

// copyTree copies the files of src into dst.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hashTree returns the SHA-256 of every file under dir (by relative path).
func hashTree(t testing.TB, dir string) map[string][32]byte {
	t.Helper()
	h := map[string][32]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			h[rel] = sha256.Sum256(b)
		}
		return nil
	})
	return h
}

// noTempFiles fails when a temporary file was left under dir.
func noTempFiles(t testing.TB, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), tempSuffix) {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

func byName(rep *Report) map[string]*FileResult {
	m := map[string]*FileResult{}
	for _, f := range rep.Files {
		m[filepath.Base(f.Source)] = f
	}
	return m
}

// TestTreeCorpus is the end-to-end test on real photographs and graphics,
// and inputs that must fail.
func TestTreeCorpus(t *testing.T) {
	site := t.TempDir()
	copyTree(t, corpus(t), site)
	before := hashTree(t, site)

	rep, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	n := 0
	for _, f := range rep.Files {
		name := filepath.Base(f.Source)
		bad := filepath.Base(filepath.Dir(f.Source)) == "bad"
		webpPath := strings.TrimSuffix(f.Source, filepath.Ext(f.Source)) + ".webp"
		_, statErr := os.Stat(webpPath)
		switch {
		case bad:
			if f.Action != Failed || f.Error == "" || f.Output != "" {
				t.Errorf("%s: %s %q, want failed with a message", name, f.Action, f.Error)
			}
			if statErr == nil {
				t.Errorf("%s: failed but left %s", name, webpPath)
			}
			t.Logf("%-24s failed: %s", name, f.Error)
		case f.Action == Kept:
			if f.Reason == "" || statErr == nil {
				t.Errorf("%s: kept, reason %q, WebP exists %v", name, f.Reason, statErr == nil)
			}
			t.Logf("%-24s kept: %s", name, f.Reason)
		case f.Action == Converted:
			if f.Output != webpPath || statErr != nil || f.BytesOut <= 0 || f.BytesOut >= f.BytesIn {
				t.Errorf("%s: output %q (%v), %d -> %d bytes", name, f.Output, statErr, f.BytesIn, f.BytesOut)
				continue
			}
			src, err := os.ReadFile(f.Source)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := decode(sniff(src), src)
			if err != nil {
				t.Fatal(err)
			}
			// A grey profile's tone curve is part of what the original
			// looks like (page.png).
			if lut, ok := grayToSRGB(readMetadata(sniff(src), src).icc); ok {
				if g, isGray := ref.(*image.Gray); isGray {
					for i, v := range g.Pix {
						g.Pix[i] = lut[v]
					}
				}
			}
			got := dwebp(t, webpPath)
			s, err := ssim.Luma(ref, got)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			sum += s
			n++
			if s < ssimFloorFile {
				t.Errorf("%s: SSIM %.4f below %.2f", name, s, ssimFloorFile)
			}
			t.Logf("%-24s %7d -> %6d B (%4.1f%%) SSIM %.4f lossless %v icc %q", name, f.BytesIn, f.BytesOut, 100*float64(f.BytesOut)/float64(f.BytesIn), s, f.Lossless, f.ICC)
		default:
			t.Errorf("%s: action %q (%s)", name, f.Action, f.Error)
		}
	}
	if n < 15 {
		t.Errorf("only %d files converted", n)
	}
	if mean := sum / float64(n); mean < ssimFloorMean {
		t.Errorf("mean SSIM %.4f below %.2f", mean, ssimFloorMean)
	} else {
		t.Logf("mean SSIM %.4f over %d files", mean, n)
	}
	if rep.Summary.Failed != 4 || rep.Summary.Encoded != rep.Summary.Converted+rep.Summary.Kept {
		t.Errorf("summary %+v", rep.Summary)
	}
	noTempFiles(t, site)

	// Sources are byte-identical.
	after := hashTree(t, site)
	for rel, h := range before {
		if after[rel] != h {
			t.Errorf("%s changed", rel)
		}
	}

	// A second run over the unchanged tree encodes nothing.
	outputs := hashTree(t, site)
	rep2, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Summary.Encoded != 0 || rep2.Summary.Skipped != rep.Summary.Converted+rep.Summary.Kept {
		t.Errorf("second run: %+v", rep2.Summary)
	}
	if rep2.Summary.BytesOut != rep.Summary.BytesOut || rep2.Summary.BytesServed != rep.Summary.BytesServed {
		t.Errorf("second run reports %d/%d bytes, first %d/%d", rep2.Summary.BytesOut, rep2.Summary.BytesServed, rep.Summary.BytesOut, rep.Summary.BytesServed)
	}
	for rel, h := range hashTree(t, site) {
		if !strings.HasSuffix(rel, ManifestName) && outputs[rel] != h {
			t.Errorf("second run changed %s", rel)
		}
	}
	t.Logf("first run %.3fs, second %.3fs (%.1f%%)", rep.Summary.Seconds, rep2.Summary.Seconds, 100*rep2.Summary.Seconds/rep.Summary.Seconds)

	// A changed source is encoded again, and only it.
	chelsea := filepath.Join(site, "good", "chelsea.png")
	b, _ := os.ReadFile(filepath.Join(site, "good", "coffee.png"))
	if err := os.WriteFile(chelsea, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// A deleted output is made again.
	os.Remove(filepath.Join(site, "good", "camera.webp"))
	rep3, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep3.Summary.Encoded != 2 || byName(rep3)["chelsea.png"].Action != Converted || byName(rep3)["camera.png"].Action != Converted {
		t.Errorf("after changing one source and deleting one output: %+v", rep3.Summary)
	}
	// Other options encode everything again.
	rep4, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{Options: Options{Quality: 60}, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep4.Summary.Skipped != 0 || rep4.Summary.Encoded != rep.Summary.Encoded {
		t.Errorf("with another quality: %+v", rep4.Summary)
	}
}

// TestTreeMirror writes into an output folder that lies inside the tree:
// the layout is mirrored, the output folder is not read as input, and
// WebP inputs are converted too.
func TestTreeMirror(t *testing.T) {
	site := t.TempDir()
	mk := func(rel string, b []byte) {
		p := filepath.Join(site, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("a.png", encodePNG(t, quadrants(64, 64)))
	mk("img/b.JPG", encodeJPEG(t, quadrants(64, 48)))
	mk("img/deep/c.gif", animatedGIF(t, 1))
	mk("img/d.webp", mustConvert(t, encodePNG(t, quadrants(32, 32)), &Options{Mode: Lossless, MinSaving: always()}).WebP)
	mk("notes.txt", []byte("not an image"))
	mk("a.webp", []byte("made from a.png by an earlier run beside it: not an input"))
	out := filepath.Join(site, "out")
	opt := &TreeOptions{OutDir: out, Options: Options{MinSaving: always()}}
	rep, err := ConvertTree(context.Background(), []string{site}, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.png": "out/a.webp", "b.JPG": "out/img/b.webp", "c.gif": "out/img/deep/c.webp", "d.webp": "out/img/d.webp"}
	if len(rep.Files) != len(want) {
		t.Fatalf("%d files, want %d", len(rep.Files), len(want))
	}
	for name, f := range byName(rep) {
		if f.Action != Converted || f.Output != filepath.Join(site, filepath.FromSlash(want[name])) {
			t.Errorf("%s: %s to %q (%s)", name, f.Action, f.Output, f.Error)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ManifestName)); err != nil {
		t.Errorf("no manifest in the output folder: %v", err)
	}
	// Run again: the output folder's own WebP files are not inputs.
	rep, err = ConvertTree(context.Background(), []string{site}, opt)
	if err != nil || len(rep.Files) != len(want) || rep.Summary.Skipped != len(want) {
		t.Errorf("second run: %v, %+v", err, rep.Summary)
	}
	noTempFiles(t, site)
}

func TestTreeIncludeExclude(t *testing.T) {
	site := t.TempDir()
	for _, rel := range []string{"a.png", "img/b.png", "img/c.jpg", "raw/d.png", "img/raw/e.png", "img/thumbs/f.png"} {
		p := filepath.Join(site, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, encodePNG(t, quadrants(16, 16)), 0o644)
	}
	for _, c := range []struct {
		include, exclude []string
		want             string
	}{
		{nil, nil, "a.png b.png c.jpg d.png e.png f.png"},
		{[]string{"*.jpg"}, nil, "c.jpg"},
		{nil, []string{"raw"}, "a.png b.png c.jpg f.png"},
		{nil, []string{"/raw"}, "a.png b.png c.jpg e.png f.png"},
		{[]string{"img/**"}, []string{"thumbs"}, "b.png c.jpg e.png"},
		{[]string{"img/*.png"}, nil, "b.png"},
	} {
		rep, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{Include: c.include, Exclude: c.exclude, Manifest: "-", Options: Options{MinSaving: always()}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Files {
			got = append(got, filepath.Base(f.Source))
		}
		slices.Sort(got)
		if strings.Join(got, " ") != c.want {
			t.Errorf("include %q exclude %q: %v, want %s", c.include, c.exclude, got, c.want)
		}
	}
	if _, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{Include: []string{"[z"}}); err == nil {
		t.Errorf("bad pattern accepted")
	}
	if _, err := ConvertTree(context.Background(), []string{filepath.Join(site, "nope")}, nil); err == nil {
		t.Errorf("missing path accepted")
	}
}

func TestTreeCollisions(t *testing.T) {
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "logo.png"), encodePNG(t, quadrants(16, 16)), 0o644)
	os.WriteFile(filepath.Join(site, "logo.jpg"), encodeJPEG(t, quadrants(16, 16)), 0o644)
	w := mustConvert(t, encodePNG(t, quadrants(16, 16)), &Options{MinSaving: always()}).WebP
	os.WriteFile(filepath.Join(site, "x.webp"), w, 0o644)
	rep, err := ConvertTree(context.Background(), []string{site, filepath.Join(site, "x.webp")}, &TreeOptions{Options: Options{MinSaving: always()}})
	if err != nil {
		t.Fatal(err)
	}
	f := byName(rep)
	if f["logo.jpg"].Action != Converted || !errors.Is(f["logo.png"].Err, ErrOutputCollision) {
		t.Errorf("logo.jpg %s, logo.png %v", f["logo.jpg"].Action, f["logo.png"].Err)
	}
	if !errors.Is(f["x.webp"].Err, ErrOverwriteSource) {
		t.Errorf("x.webp beside itself: %v", f["x.webp"].Err)
	}
	if b, _ := os.ReadFile(filepath.Join(site, "x.webp")); string(b) != string(w) {
		t.Errorf("x.webp was overwritten")
	}
}

// TestTreeInterrupted cancels a run after its first file: the files being
// encoded are finished and complete, nothing is left half written, the
// rest are reported, and the next run finishes the job.
func TestTreeInterrupted(t *testing.T) {
	site := t.TempDir()
	for i := range 12 {
		p := filepath.Join(site, "img"+string(rune('a'+i))+".png")
		os.WriteFile(p, encodePNG(t, quadrants(300+i, 200)), 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	opt := &TreeOptions{Jobs: 2, Options: Options{MinSaving: always(), Mode: Lossy}}
	opt.Progress = func(done, total int, f *FileResult) {
		if done == 1 {
			cancel()
		}
	}
	rep, err := ConvertTree(ctx, []string{site}, opt)
	if !errors.Is(err, context.Canceled) || rep == nil || !rep.Summary.Interrupted {
		t.Fatalf("got %v, %+v", err, rep)
	}
	interrupted := 0
	for _, f := range rep.Files {
		switch {
		case errors.Is(f.Err, ErrInterrupted):
			interrupted++
		case f.Action == Converted:
			if m := dwebp(t, f.Output); m.Rect.Dy() != 200 {
				t.Errorf("%s: %v", f.Output, m.Rect)
			}
		default:
			t.Errorf("%s: %s %s", f.Source, f.Action, f.Error)
		}
	}
	if interrupted == 0 || interrupted == len(rep.Files) {
		t.Errorf("%d of %d interrupted", interrupted, len(rep.Files))
	}
	noTempFiles(t, site)
	opt.Progress = nil
	rep, err = ConvertTree(context.Background(), []string{site}, opt)
	if err != nil || rep.Summary.Converted != interrupted || rep.Summary.Skipped != len(rep.Files)-interrupted {
		t.Errorf("the run after: %v %+v", err, rep.Summary)
	}
}

// TestTreeStaleOutput: when a source that was converted is now kept, the
// WebP an earlier run wrote is removed, but a WebP this package did not
// write is left alone.
func TestTreeStaleOutput(t *testing.T) {
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "a.png"), encodePNG(t, quadrants(64, 64)), 0o644)
	os.WriteFile(filepath.Join(site, "b.png"), encodePNG(t, quadrants(64, 64)), 0o644)
	if _, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{Options: Options{MinSaving: always()}}); err != nil {
		t.Fatal(err)
	}
	// Someone replaces b.webp by hand.
	os.WriteFile(filepath.Join(site, "b.webp"), []byte("hand made"), 0o644)
	rep, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{Options: Options{MinSaving: new(float64(99.9))}})
	if err != nil || rep.Summary.Kept != 2 {
		t.Fatalf("%v %+v", err, rep.Summary)
	}
	if _, err := os.Stat(filepath.Join(site, "a.webp")); err == nil {
		t.Errorf("stale a.webp left")
	}
	if b, _ := os.ReadFile(filepath.Join(site, "b.webp")); string(b) != "hand made" {
		t.Errorf("b.webp, not written by this package, was touched")
	}
}

func TestWriteAtomicNeverPartial(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.webp")
	if err := writeAtomic(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	// Into a folder that does not exist: an error, nothing left.
	if err := writeAtomic(filepath.Join(dir, "nope", "y.webp"), []byte("two")); err == nil {
		t.Errorf("no error")
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}
	noTempFiles(t, dir)
}

// TestTreeDeletedSource: when a source is deleted, the next run removes
// the WebP made from it.
func TestTreeDeletedSource(t *testing.T) {
	site := t.TempDir()
	out := filepath.Join(t.TempDir(), "out")
	os.WriteFile(filepath.Join(site, "a.png"), encodePNG(t, quadrants(64, 64)), 0o644)
	os.WriteFile(filepath.Join(site, "b.png"), encodePNG(t, quadrants(64, 64)), 0o644)
	for _, dir := range []string{"", out} {
		opt := &TreeOptions{OutDir: dir, Options: Options{MinSaving: always()}}
		rep, err := ConvertTree(context.Background(), []string{site}, opt)
		if err != nil || rep.Summary.Converted != 2 {
			t.Fatalf("%v %+v", err, rep.Summary)
		}
		b := byName(rep)["b.png"]
		os.Remove(b.Source)
		if _, err := ConvertTree(context.Background(), []string{site}, opt); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(b.Output); err == nil {
			t.Errorf("out %q: %s left after its source was deleted", dir, b.Output)
		}
		os.WriteFile(filepath.Join(site, "b.png"), encodePNG(t, quadrants(64, 64)), 0o644)
	}
}

func TestTreeHTML(t *testing.T) {
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "img"), 0o755)
	os.MkdirAll(filepath.Join(site, "blog"), 0o755)
	os.WriteFile(filepath.Join(site, "img", "a.png"), encodePNG(t, quadrants(64, 64)), 0o644)
	os.WriteFile(filepath.Join(site, "blog", "b.jpg"), encodeJPEG(t, quadrants(64, 64)), 0o644)
	os.WriteFile(filepath.Join(site, "blog", "tiny.gif"), animatedGIF(t, 2), 0o644)
	page := `<!doctype html><p><img src="/img/a.png"><img src="b.jpg" alt=b><img src="tiny.gif"><img src="https://x.example/c.jpg"></p>`
	os.WriteFile(filepath.Join(site, "blog", "index.html"), []byte(page), 0o644)
	opt := &TreeOptions{HTML: true, Options: Options{MinSaving: new(0.0)}}
	rep, err := ConvertTree(context.Background(), []string{site}, opt)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(site, "blog", "index.html"))
	want := `<!doctype html><p><picture><source type="image/webp" srcset="/img/a.webp"><img src="/img/a.png"></picture>` +
		`<picture><source type="image/webp" srcset="b.webp"><img src="b.jpg" alt=b></picture>` +
		`<img src="tiny.gif"><img src="https://x.example/c.jpg"></p>`
	if byName(rep)["tiny.gif"].Action != Kept {
		t.Fatalf("tiny.gif: %s", byName(rep)["tiny.gif"].Action)
	}
	if string(got) != want || rep.Summary.HTMLImages != 2 || rep.Summary.HTMLFiles != 1 {
		t.Errorf("got %s\nwant %s\n%+v", got, want, rep.Summary)
	}
	// A second run: images skipped, the page already rewritten.
	rep, err = ConvertTree(context.Background(), []string{site}, opt)
	again, _ := os.ReadFile(filepath.Join(site, "blog", "index.html"))
	if err != nil || string(again) != want || rep.Summary.HTMLImages != 0 {
		t.Errorf("second run: %v %s", err, again)
	}
	if _, err := ConvertTree(context.Background(), []string{site}, &TreeOptions{HTML: true, OutDir: t.TempDir()}); err == nil {
		t.Errorf("HTML with an output folder accepted")
	}
}
