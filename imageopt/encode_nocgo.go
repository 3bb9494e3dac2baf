//go:build !cgo

package imageopt

import "image"

// libwebpVersion: no libwebp in a build without cgo.
const libwebpVersion = "none"

// Available returns nil when WebP encoding works in this build, and
// [ErrNeedsCgo] when the program was built without cgo, as this one was.
func Available() error { return ErrNeedsCgo }

func encodeRaster(*raster, bool, int) ([]byte, error) { return nil, ErrNeedsCgo }

func decodeWebP([]byte) (image.Image, error) { return nil, ErrNeedsCgo }

func setMetadata(out, icc, exif, xmp []byte) ([]byte, error) { return nil, ErrNeedsCgo }
