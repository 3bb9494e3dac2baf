package imageopt

import "errors"

// Errors of reading an input. Match them with errors.Is; the message of the
// error returned says which file and why.
var (
	// ErrUnsupported: the input is not a JPEG, PNG, GIF or WebP file (or is
	// empty). Nothing was written; leave the file as it is.
	ErrUnsupported = errors.New("imageopt: not a JPEG, PNG, GIF or WebP image")
	// ErrTooManyPixels: the image declares more pixels than
	// [Options.MaxPixels] allows (a decompression bomb, or simply a huge
	// image). It was refused before any pixel was decoded; raise the limit
	// if the image is genuine.
	ErrTooManyPixels = errors.New("imageopt: image has too many pixels")
	// ErrTooLarge: the file is larger than [MaxInputBytes].
	ErrTooLarge = errors.New("imageopt: file too large")
	// ErrCorrupt: the file starts like a supported image but cannot be
	// decoded (truncated, damaged). Nothing was written.
	ErrCorrupt = errors.New("imageopt: corrupt image")
	// ErrNeedsCgo: this program was built without cgo (CGO_ENABLED=0), and
	// WebP encoding needs libwebp through cgo. Rebuild with CGO_ENABLED=1
	// and a C compiler.
	ErrNeedsCgo = errors.New("imageopt: WebP encoding needs cgo: this program was built with CGO_ENABLED=0; rebuild with CGO_ENABLED=1 and a C compiler")
)

// Errors of the tree mode.
var (
	// ErrOutputCollision: two inputs would write the same WebP file (for
	// example logo.png and logo.jpg in one folder). The later one fails;
	// exclude one of them or rename it.
	ErrOutputCollision = errors.New("imageopt: two inputs map to the same output")
	// ErrOverwriteSource: the output path is an input (a WebP file
	// converted beside itself). Use an output folder.
	ErrOverwriteSource = errors.New("imageopt: output would overwrite the source")
	// ErrInterrupted: the run was stopped (its context cancelled) before
	// this file was processed. Run again to finish; finished outputs are
	// complete and are not encoded again.
	ErrInterrupted = errors.New("imageopt: interrupted before this file was processed")
)
