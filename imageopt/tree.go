package imageopt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// TreeOptions control [ConvertTree].
type TreeOptions struct {
	// Options are those of each conversion.
	Options
	// OutDir, when set, receives the WebP files in the same layout as the
	// sources (mirror mode); then WebP inputs are converted too, except
	// those with a JPEG, PNG or GIF of the same name beside them (made
	// from it). When empty, name.webp is written beside each name.jpg,
	// name.png or name.gif.
	OutDir string
	// Include, when not empty, limits the inputs to those matching one of
	// these patterns; Exclude leaves out inputs and folders matching one
	// of its patterns. Patterns work as in .gitignore: "*.png" matches at
	// any depth, "static/img/*" from the root given, "**" any folders.
	Include, Exclude []string
	// Jobs is the number of images converted at once; 0 means one per
	// CPU.
	Jobs int
	// Manifest is the path of the manifest (see [ManifestName]); "" means
	// the default place, "-" means none (everything is encoded).
	Manifest string
	// Force encodes every input, even those the manifest says are
	// unchanged; the manifest is then rewritten.
	Force bool
	// Progress, when set, is called after each file, from one goroutine
	// at a time, with the count done, the total, and the file's result.
	Progress func(done, total int, f *FileResult)
	// HTML, when set, rewrites the .html and .htm files under the folders
	// given once the images are done: each <img> whose image has a WebP
	// is wrapped in a <picture> with a WebP <source> (see [RewriteHTML]).
	// Only when WebP files are written beside their sources.
	HTML bool
}

// FileResult is what happened to one input of a tree.
type FileResult struct {
	// Source is the input's path, as found from the paths given.
	Source string `json:"source"`
	// Output is the WebP's path; empty when none is (or was already)
	// there.
	Output string `json:"output"`
	// Action is converted, kept, skipped or failed.
	Action Action `json:"action"`
	// BytesIn is the input's size; BytesOut the WebP's (0 when none).
	BytesIn  int64 `json:"bytes_in"`
	BytesOut int64 `json:"bytes_out"`
	// Error says why the input failed.
	Error string `json:"error,omitempty"`
	// Format is the input's format, when it was recognised.
	Format Format `json:"format,omitempty"`
	// Reason says why the original was kept.
	Reason string `json:"reason,omitempty"`
	// Lossless reports a lossless WebP; Frames is more than 1 for an
	// animation.
	Lossless bool `json:"lossless,omitempty"`
	Frames   int  `json:"frames,omitempty"`
	// ICC says what became of a colour profile (see [Result.ICC]).
	ICC string `json:"icc,omitempty"`
	// Err is the error behind Error, for errors.Is.
	Err error `json:"-"`
}

// Summary adds up a tree's results.
type Summary struct {
	Files     int `json:"files"`
	Converted int `json:"converted"`
	Kept      int `json:"kept"`
	Skipped   int `json:"skipped"`
	Failed    int `json:"failed"`
	// Encoded counts the inputs decoded and encoded in this run
	// (converted or kept): 0 for a second run over an unchanged tree.
	Encoded int `json:"encoded"`
	// BytesIn adds up the sizes of the inputs that were read; BytesOut
	// those of the WebP files there are now (converted and skipped).
	BytesIn  int64 `json:"bytes_in"`
	BytesOut int64 `json:"bytes_out"`
	// BytesServed is what a site serves with the WebP files used where
	// they exist and the originals elsewhere; SavingPercent compares it
	// with BytesIn.
	BytesServed   int64   `json:"bytes_served"`
	SavingPercent float64 `json:"saving_percent"`
	// Jobs is the number of images converted at once.
	Jobs int `json:"jobs"`
	// Seconds is the run's wall time.
	Seconds float64 `json:"seconds"`
	// Interrupted reports that the run was stopped before every input was
	// processed; those left are failed with [ErrInterrupted].
	Interrupted bool `json:"interrupted,omitempty"`
	// Manifest is the manifest's path; empty when none was used.
	Manifest string `json:"manifest,omitempty"`
	// HTMLFiles and HTMLImages count the HTML files rewritten and the
	// <img> elements given a WebP <source> (with TreeOptions.HTML);
	// HTMLErrors lists the files that could not be rewritten.
	HTMLFiles  int      `json:"html_files,omitempty"`
	HTMLImages int      `json:"html_images,omitempty"`
	HTMLErrors []string `json:"html_errors,omitempty"`
}

// Report is the result of [ConvertTree].
type Report struct {
	Files   []*FileResult `json:"files"`
	Summary Summary       `json:"summary"`
}

// job is one input to process.
type job struct {
	source, output string
	key            string // manifest key
	outKey         string
	res            *FileResult
}

// ConvertTree converts every JPEG, PNG and GIF (and, with an output
// folder, WebP) file found under paths (folders are walked; files are
// taken as they are) into WebP, opt.Jobs at a time.
//
// Each output is written atomically (a temporary file renamed into place)
// and sources are never modified. A manifest of content hashes makes a
// second run over an unchanged tree with unchanged options encode nothing.
// When ctx is cancelled, images being encoded are finished and written,
// no new one is started, the manifest is saved, and the report comes back
// with the rest failed as interrupted, together with ctx's error.
//
// The error is non-nil only for a problem with the whole run (bad
// options, a path that does not exist, cancellation); a file that fails
// is a [FileResult] with Action [Failed].
func ConvertTree(ctx context.Context, paths []string, opt *TreeOptions) (*Report, error) {
	start := time.Now()
	if opt == nil {
		opt = &TreeOptions{}
	}
	if err := opt.Check(); err != nil {
		return nil, err
	}
	for _, p := range append(slices.Clone(opt.Include), opt.Exclude...) {
		if !validPattern(p) {
			return nil, fmt.Errorf("imageopt: bad pattern %q", p)
		}
	}
	if len(paths) == 0 {
		return nil, errors.New("imageopt: no path given")
	}
	if opt.HTML && opt.OutDir != "" {
		return nil, errors.New("imageopt: rewriting HTML needs the WebP files beside their sources (no output folder)")
	}
	jobs, err := findInputs(paths, opt)
	if err != nil {
		return nil, err
	}
	mpath := manifestPath(paths, opt)
	var man *manifest
	if mpath != "" {
		man = loadManifest(mpath)
		mdir := filepath.Dir(mpath)
		for _, j := range jobs {
			j.key = relKey(mdir, j.source)
			if j.output != "" {
				j.outKey = relKey(mdir, j.output)
			}
		}
	}
	checkCollisions(jobs)

	n := opt.Jobs
	if n <= 0 {
		n = runtime.NumCPU()
	}
	rep := &Report{Summary: Summary{Jobs: n, Manifest: mpath}}
	var manMu sync.Mutex
	todo := make(chan *job)
	done := make(chan *job)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range todo {
				if ctx.Err() != nil {
					fail(j.res, ErrInterrupted)
				} else {
					process(j, opt, man, &manMu)
				}
				done <- j
			}
		}()
	}
	go func() {
		for _, j := range jobs {
			if j.res.Action == "" {
				todo <- j
			} else {
				done <- j
			}
		}
		close(todo)
		wg.Wait()
		close(done)
	}()
	count := 0
	for j := range done {
		count++
		if opt.Progress != nil {
			opt.Progress(count, len(jobs), j.res)
		}
	}
	for _, j := range jobs {
		rep.Files = append(rep.Files, j.res)
	}
	rep.Summary.add(rep.Files)
	rep.Summary.Interrupted = ctx.Err() != nil
	if opt.HTML && ctx.Err() == nil {
		if err := rewriteTreeHTML(paths, opt, rep); err != nil {
			return nil, err
		}
	}
	var saveErr error
	if man != nil {
		saveErr = man.save(mpath)
	}
	rep.Summary.Seconds = time.Since(start).Seconds()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if saveErr != nil {
		return rep, fmt.Errorf("imageopt: saving the manifest: %w", saveErr)
	}
	return rep, nil
}

// add fills the summary from the results.
func (s *Summary) add(files []*FileResult) {
	s.Files = len(files)
	for _, f := range files {
		switch f.Action {
		case Converted:
			s.Converted++
		case Kept:
			s.Kept++
		case Skipped:
			s.Skipped++
		case Failed:
			s.Failed++
		}
		if f.Action == Failed {
			continue
		}
		s.BytesIn += f.BytesIn
		s.BytesOut += f.BytesOut
		if f.Output != "" && f.BytesOut > 0 {
			s.BytesServed += f.BytesOut
		} else {
			s.BytesServed += f.BytesIn
		}
	}
	s.Encoded = s.Converted + s.Kept
	if s.BytesIn > 0 {
		s.SavingPercent = 100 * (1 - float64(s.BytesServed)/float64(s.BytesIn))
	}
}

func fail(r *FileResult, err error) {
	r.Action, r.Err, r.Error = Failed, err, err.Error()
	r.Output, r.BytesOut = "", 0
}

// supported reports whether a file name has an input extension.
func supported(name string, webp bool) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".jpe", ".png", ".gif":
		return true
	case ".webp":
		return webp
	}
	return false
}

// findInputs walks the paths and returns a job per input, in a stable
// order, with its output path.
func findInputs(paths []string, opt *TreeOptions) ([]*job, error) {
	var jobs []*job
	var outAbs string
	if opt.OutDir != "" {
		a, err := filepath.Abs(opt.OutDir)
		if err != nil {
			return nil, err
		}
		outAbs = a
	}
	seen := map[string]bool{}
	add := func(source, rel string) {
		abs, err := filepath.Abs(source)
		if err == nil && seen[abs] {
			return
		}
		seen[abs] = true
		j := &job{source: source, res: &FileResult{Source: source}}
		base := strings.TrimSuffix(rel, filepath.Ext(rel)) + ".webp"
		if opt.OutDir == "" {
			j.output = strings.TrimSuffix(source, filepath.Ext(source)) + ".webp"
		} else {
			j.output = filepath.Join(opt.OutDir, filepath.FromSlash(base))
		}
		jobs = append(jobs, j)
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("imageopt: %w", err)
		}
		if !fi.IsDir() {
			add(p, filepath.Base(p))
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			rel, _ := filepath.Rel(p, path)
			rel = filepath.ToSlash(rel)
			if err != nil {
				if path == p {
					return err
				}
				j := &job{source: path, res: &FileResult{Source: path}}
				fail(j.res, err)
				jobs = append(jobs, j)
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path == p {
					return nil
				}
				if outAbs != "" {
					if a, err := filepath.Abs(path); err == nil && a == outAbs {
						return fs.SkipDir // do not convert what this run writes
					}
				}
				if excluded(rel, opt.Exclude) {
					return fs.SkipDir
				}
				return nil
			}
			if !supported(d.Name(), opt.OutDir != "") || strings.HasSuffix(d.Name(), tempSuffix) {
				return nil
			}
			if strings.EqualFold(filepath.Ext(path), ".webp") && hasSourceSibling(path) {
				return nil // made from name.jpg (or .png, .gif) beside it
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			if excluded(rel, opt.Exclude) || len(opt.Include) > 0 && !excluded(rel, opt.Include) {
				return nil
			}
			add(path, rel)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("imageopt: %w", err)
		}
	}
	return jobs, nil
}

// hasSourceSibling reports whether a WebP file has a JPEG, PNG or GIF of
// the same name beside it, from which it was most likely made.
func hasSourceSibling(webpPath string) bool {
	stem := strings.TrimSuffix(webpPath, filepath.Ext(webpPath))
	for _, ext := range []string{".jpg", ".jpeg", ".jpe", ".png", ".gif", ".JPG", ".JPEG", ".PNG", ".GIF"} {
		if _, err := os.Stat(stem + ext); err == nil {
			return true
		}
	}
	return false
}

// excluded reports whether rel matches one of the patterns.
func excluded(rel string, patterns []string) bool {
	for _, p := range patterns {
		if matchPattern(p, rel) {
			return true
		}
	}
	return false
}

// checkCollisions fails the jobs whose output is another job's output or
// an input itself.
func checkCollisions(jobs []*job) {
	sources := map[string]string{}
	for _, j := range jobs {
		if a, err := filepath.Abs(j.source); err == nil {
			sources[a] = j.source
		}
	}
	outputs := map[string]string{}
	for _, j := range jobs {
		if j.res.Action != "" {
			continue
		}
		a, err := filepath.Abs(j.output)
		if err != nil {
			continue
		}
		if _, ok := sources[a]; ok {
			fail(j.res, fmt.Errorf("%w: %s (give an output folder with --out)", ErrOverwriteSource, j.output))
			continue
		}
		if other, ok := outputs[a]; ok {
			fail(j.res, fmt.Errorf("%w: %s is also made from %s", ErrOutputCollision, j.output, other))
			continue
		}
		outputs[a] = j.source
	}
}

// manifestPath returns where the manifest lives, or "" for none.
func manifestPath(paths []string, opt *TreeOptions) string {
	switch {
	case opt.Manifest == "-":
		return ""
	case opt.Manifest != "":
		return opt.Manifest
	case opt.OutDir != "":
		return filepath.Join(opt.OutDir, ManifestName)
	}
	// The deepest folder holding every path.
	var common string
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return ""
		}
		if fi, err := os.Stat(a); err == nil && !fi.IsDir() {
			a = filepath.Dir(a)
		}
		if i == 0 {
			common = a
			continue
		}
		for common != a && !strings.HasPrefix(a, common+string(filepath.Separator)) {
			parent := filepath.Dir(common)
			if parent == common {
				break
			}
			common = parent
		}
	}
	return filepath.Join(common, ManifestName)
}

// relKey is path relative to dir, slash-separated (with ".." when the
// manifest is in an output folder beside the sources); the absolute path
// when there is no relative one.
func relKey(dir, path string) string {
	a, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	ad, err := filepath.Abs(dir)
	if err != nil {
		return filepath.ToSlash(a)
	}
	r, err := filepath.Rel(ad, a)
	if err != nil {
		return filepath.ToSlash(a)
	}
	return filepath.ToSlash(r)
}

// process converts one input and writes its output.
func process(j *job, opt *TreeOptions, man *manifest, mu *sync.Mutex) {
	r := j.res
	fi, err := os.Stat(j.source)
	if err != nil {
		fail(r, err)
		return
	}
	if fi.Size() > MaxInputBytes {
		fail(r, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, fi.Size(), MaxInputBytes))
		return
	}
	key := opt.key()
	var prev *manifestEntry
	if man != nil {
		mu.Lock()
		prev = man.Entries[j.key]
		mu.Unlock()
	}
	if prev != nil && !opt.Force && prev.Options == key && prev.BytesIn == fi.Size() {
		// Hash the file as it streams by, without holding it: most
		// files of a re-run are unchanged.
		hash, err := fileHash(j.source)
		if err != nil {
			fail(r, err)
			return
		}
		if prev.SourceSHA256 == hash && upToDate(prev, j) {
			r.Action, r.Reason, r.Format, r.BytesIn = Skipped, prev.Reason, prev.Format, prev.BytesIn
			if prev.Action == Converted {
				r.Output, r.BytesOut = j.output, prev.BytesOut
			}
			return
		}
	}
	src, err := os.ReadFile(j.source)
	if err != nil {
		fail(r, err)
		return
	}
	r.BytesIn = int64(len(src))
	r.Format = sniff(src)
	sum := sha256.Sum256(src)
	hash := hex.EncodeToString(sum[:])

	res, err := Convert(src, &opt.Options)
	if err != nil {
		fail(r, err)
		return
	}
	r.Action, r.Reason, r.Lossless, r.ICC = res.Action, res.Reason, res.Lossless, res.ICC
	if res.Frames > 1 {
		r.Frames = res.Frames
	}
	entry := &manifestEntry{SourceSHA256: hash, Options: key, Action: res.Action, Format: res.Format, Reason: res.Reason, BytesIn: r.BytesIn}
	if res.Action == Converted {
		if opt.OutDir != "" {
			if err := os.MkdirAll(filepath.Dir(j.output), 0o755); err != nil {
				fail(r, err)
				return
			}
		}
		if err := writeAtomic(j.output, res.WebP); err != nil {
			fail(r, fmt.Errorf("writing %s: %w", j.output, err))
			return
		}
		r.Output, r.BytesOut = j.output, int64(len(res.WebP))
		osum := sha256.Sum256(res.WebP)
		entry.Output, entry.OutputSHA256, entry.BytesOut = j.outKey, hex.EncodeToString(osum[:]), r.BytesOut
	} else if prev != nil && prev.Action == Converted && prev.Output == j.outKey {
		// A WebP that an earlier run wrote, and that is no longer
		// wanted: remove it, unless someone changed it since.
		if sameHash(j.output, prev.OutputSHA256) {
			os.Remove(j.output)
		}
	}
	if man != nil {
		mu.Lock()
		man.Entries[j.key] = entry
		man.changed = true
		mu.Unlock()
	}
}

// upToDate reports whether what the entry recorded is still on disk: the
// output it wrote, unchanged.
func upToDate(e *manifestEntry, j *job) bool {
	switch e.Action {
	case Kept:
		return true
	case Converted:
		return e.Output == j.outKey && sameHash(j.output, e.OutputSHA256)
	}
	return false
}

// sameHash reports whether the file at path has the given SHA-256.
func sameHash(path, want string) bool {
	h, err := fileHash(path)
	return err == nil && h == want
}

// hashBuffers are the read buffers of fileHash.
var hashBuffers = sync.Pool{New: func() any { return new([256 << 10]byte) }}

// fileHash returns the hex SHA-256 of a file's content.
func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf := hashBuffers.Get().(*[256 << 10]byte)
	defer hashBuffers.Put(buf)
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, buf[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
