//go:build !js

package command

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/posturekit/posturekit/imageopt"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// The WebP command reads and writes files and needs cgo (libwebp), so it
// is left out of the browser build. In a build without cgo it is listed,
// and says that it needs cgo when run (imageopt.ErrNeedsCgo).

func init() {
	Register(&Command{
		Path:  []string{"webp"},
		Short: "convert a site's JPEG, PNG and GIF images to WebP, skipping what is unchanged",
		Long: `Convert every JPEG, PNG and GIF image under the given folders (and the files
given) to WebP, for a site build: one command over the site's output folder.

Each image is decoded (refused before decoding when it declares more pixels
than --max-pixels), turned upright by its EXIF orientation, and encoded with
libwebp: lossy at --quality, or, for graphics (few colours or transparency),
lossy or lossless, whichever is smaller. Metadata (EXIF, XMP, GPS) is
stripped unless --keep-metadata; a colour profile other than sRGB is kept,
so that browsers show the colours of the original. An animated GIF becomes
an animated WebP. When the WebP is not at least --min-saving percent smaller
than the original, the original is kept and no WebP is written.

name.webp is written beside name.jpg, or with --out under DIR in the same
layout. Every file is written atomically, sources are never modified, and a
manifest of content hashes (.posturekit-webp.json in the output folder, or
in the folder holding the paths given) makes a second run skip what has not
changed. Ctrl-C finishes the images being encoded and stops.

With --html, the .html files under the folders given are then rewritten so
that each <img> whose image has a WebP is wrapped in a <picture> with a WebP
<source>; the <img> stays as the fallback.

Exit status: 0 when no file failed, 1 when any file failed (the others are
still converted), 2 for a usage error.`,
		Args: Args{Usage: "PATH...", Min: 1, Max: -1},
		Flags: []Flag{
			{Name: "quality", Kind: Int, Default: imageopt.DefaultQuality, Usage: "lossy quality, 1 to 100 (60: smaller files, a little softer)"},
			{Name: "out", Kind: String, Usage: "write the WebP files under `DIR`, mirroring the folders (default: beside each source)"},
			{Name: "jobs", Kind: Int, Usage: "images converted at once (default: one per CPU)"},
			{Name: "max-width", Kind: Int, Usage: "shrink wider images to this width in pixels (never enlarge)"},
			{Name: "max-height", Kind: Int, Usage: "shrink taller images to this height in pixels (never enlarge)"},
			{Name: "min-saving", Kind: Int, Default: int(imageopt.DefaultMinSaving), Usage: "keep the original unless the WebP is at least this many `PERCENT` smaller (negative: always write the WebP)"},
			{Name: "keep-metadata", Kind: Bool, Usage: "copy EXIF, XMP and the colour profile into the WebP (default: strip all but a non-sRGB profile)"},
			{Name: "mode", Kind: String, Default: string(imageopt.Auto), Usage: "auto (lossless when smaller, for graphics), lossy or lossless"},
			{Name: "include", Kind: Strings, Usage: "only convert files matching this `PATTERN` (*.png, static/**/*.jpg); may be repeated"},
			{Name: "exclude", Kind: Strings, Usage: "leave out files and folders matching this `PATTERN`; may be repeated"},
			{Name: "manifest", Kind: String, Usage: "manifest `FILE` (default: .posturekit-webp.json in the output folder; - for none)"},
			{Name: "force", Kind: Bool, Usage: "encode every image, even those the manifest says are unchanged"},
			{Name: "max-pixels", Kind: Int, Default: imageopt.DefaultMaxPixels, Usage: "refuse images with more pixels than this (decompression bombs)"},
			{Name: "html", Kind: Bool, Usage: "then wrap each <img> of the .html files in a <picture> with a WebP <source> (WebP files beside their sources only)"},
		},
		Run: runWebP,
	})
}

func runWebP(ctx context.Context, in *Input) (*Output, error) {
	if err := imageopt.Available(); err != nil {
		return nil, fmt.Errorf("webp: %w", err)
	}
	minSaving := float64(in.Int("min-saving"))
	opt := &imageopt.TreeOptions{
		Options: imageopt.Options{
			Quality:      in.Int("quality"),
			Mode:         imageopt.Mode(in.String("mode")),
			MaxWidth:     in.Int("max-width"),
			MaxHeight:    in.Int("max-height"),
			MinSaving:    &minSaving,
			KeepMetadata: in.Bool("keep-metadata"),
			MaxPixels:    in.Int("max-pixels"),
		},
		OutDir:   in.String("out"),
		Include:  in.Strings("include"),
		Exclude:  in.Strings("exclude"),
		Jobs:     in.Int("jobs"),
		Manifest: in.String("manifest"),
		Force:    in.Bool("force"),
		HTML:     in.Bool("html"),
	}
	switch {
	case opt.Quality < 1 || opt.Quality > 100:
		return nil, Usagef("webp: --quality %d: want 1 to 100", opt.Quality)
	case opt.Jobs < 0:
		return nil, Usagef("webp: --jobs %d: want 0 (one per CPU) or more", opt.Jobs)
	case opt.MaxPixels <= 0:
		return nil, Usagef("webp: --max-pixels %d: want a positive number", opt.MaxPixels)
	case opt.HTML && opt.OutDir != "":
		return nil, Usagef("webp: --html rewrites pages for WebP files beside their sources: leave out --out")
	}
	if err := opt.Check(); err != nil {
		return nil, Usagef("webp: %v", strings.TrimPrefix(err.Error(), "imageopt: "))
	}
	for _, p := range in.Args {
		if _, err := os.Stat(p); err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, Usagef("webp: %s: %v", p, err)
		}
	}
	bar := newProgress()
	opt.Progress = bar.update
	rep, err := imageopt.ConvertTree(ctx, in.Args, opt)
	bar.finish()
	if rep == nil {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, Usagef("webp: %v", strings.TrimPrefix(err.Error(), "imageopt: "))
		}
		return nil, err
	}
	var b strings.Builder
	rep.WriteTable(&b)
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(&b, "warning: %v\n", err)
	}
	return &Output{Value: rep, Text: b.String(), Failed: rep.Summary.Failed > 0}, nil
}

// progress is the progress bar on standard error, shown only when it is a
// terminal (so never in logs, pipes or CI).
type progress struct {
	bar *progressbar.ProgressBar
	on  bool
}

func newProgress() *progress {
	return &progress{on: term.IsTerminal(int(os.Stderr.Fd()))}
}

func (p *progress) update(done, total int, f *imageopt.FileResult) {
	if !p.on {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription("webp"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100_000_000), // 0.1 s
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
	}
	p.bar.Set(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
