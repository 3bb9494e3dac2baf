//go:build cgo

package imageopt

import (
	"fmt"
	"image"

	"github.com/chai2010/webp"
)

// libwebpVersion is the libwebp that github.com/chai2010/webp v1.4.0
// bundles; it is part of the manifest's options key.
const libwebpVersion = "1.4.0"

// Available returns nil when WebP encoding works in this build, and
// [ErrNeedsCgo] when the program was built without cgo.
func Available() error { return nil }

// encodeRaster encodes r with libwebp, handing it the raster's own pixel
// buffer: no conversion or copy on the Go side. Lossy encoding uses
// libwebp's simple API (WebPEncodeRGB/RGBA: the default preset, method 4),
// as cwebp does by default. Lossless uses WebPEncodeLosslessRGB/RGBA
// (quality 100 effort, non-exact: the colour under fully transparent
// pixels is free).
//
// The RGBA raster holds straight alpha, which is what libwebp wants; it is
// passed in an *image.RGBA only because that is the type chai2010/webp
// hands through without converting. Passing an *image.NRGBA instead would
// make chai2010/webp premultiply it, darkening every semi-transparent
// pixel (chai2010/webp#20).
func encodeRaster(r *raster, lossless bool, quality int) ([]byte, error) {
	var out []byte
	var err error
	rect := image.Rect(0, 0, r.w, r.h)
	switch r.bpp {
	case 1:
		m := &image.Gray{Pix: r.pix, Stride: r.stride, Rect: rect}
		if lossless {
			out, err = webp.EncodeLosslessGray(m)
		} else {
			out, err = webp.EncodeGray(m, float32(quality))
		}
	case 3:
		m := &webp.RGBImage{XPix: r.pix, XStride: r.stride, XRect: rect}
		if lossless {
			out, err = webp.EncodeLosslessRGB(m)
		} else {
			out, err = webp.EncodeRGB(m, float32(quality))
		}
	default:
		m := &image.RGBA{Pix: r.pix, Stride: r.stride, Rect: rect}
		if lossless {
			out, err = webp.EncodeLosslessRGBA(m)
		} else {
			out, err = webp.EncodeRGBA(m, float32(quality))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("imageopt: libwebp: %v", err)
	}
	return out, nil
}

// decodeWebP decodes a still WebP with libwebp. libwebp returns straight
// alpha, which chai2010/webp labels *image.RGBA (premultiplied); it is
// relabelled *image.NRGBA here, without a copy, so that resizing and
// compositing treat it right.
func decodeWebP(b []byte) (image.Image, error) {
	m, err := webp.DecodeRGBA(b)
	if err != nil {
		return nil, err
	}
	return &image.NRGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}, nil
}

// setMetadata adds the ICC profile, EXIF and XMP chunks to a WebP file
// (libwebp's mux, which also writes the VP8X header they need).
func setMetadata(out, icc, exif, xmp []byte) ([]byte, error) {
	var err error
	for _, c := range []struct {
		data   []byte
		format string
	}{{icc, "ICCP"}, {exif, "EXIF"}, {xmp, "XMP"}} {
		if len(c.data) == 0 {
			continue
		}
		if out, err = webp.SetMetadata(out, c.data, c.format); err != nil {
			return nil, fmt.Errorf("imageopt: adding %s metadata: %v", c.format, err)
		}
	}
	return out, nil
}
