package imageopt

import (
	"image"
	"image/color"
)

// raster is an image as the encoder takes it: 8-bit samples, top-left at
// Pix[0], with 1 (gray), 3 (RGB) or 4 (RGBA with straight, not
// premultiplied, alpha) bytes per pixel.
type raster struct {
	pix           []byte
	w, h, stride  int
	bpp           int
	hasAlpha      bool // some alpha below 255 (bpp 4 only)
	sharesDecoded bool // pix is the decoder's buffer (no copy was made)
}

// toRaster converts a decoded image into a raster without copying when
// its layout already fits (gray, opaque RGBA, NRGBA): the zero-copy path
// that avoids the naive encoder's pixel-by-pixel At() conversion. Alpha is
// always straight in the result: premultiplied sources are divided out,
// which is the chai2010/webp#20 trap (WebPEncodeRGBA wants straight alpha).
func toRaster(m image.Image) *raster {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := m.(type) {
	case *image.Gray:
		return &raster{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], w: w, h: h, stride: m.Stride, bpp: 1, sharesDecoded: true}
	case *image.NRGBA:
		r := &raster{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], w: w, h: h, stride: m.Stride, bpp: 4, sharesDecoded: true}
		r.hasAlpha = !r.opaque()
		return r
	case *image.RGBA:
		r := &raster{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], w: w, h: h, stride: m.Stride, bpp: 4, sharesDecoded: true}
		if !r.opaque() {
			// Premultiplied: divide in place (the buffer is ours).
			r.hasAlpha = true
			unpremultiply(r)
		}
		return r
	case *image.YCbCr:
		return ycbcrToRGB(m)
	case *image.Paletted:
		return palettedToRaster(m)
	case *image.Gray16:
		r := newRaster(w, h, 1)
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := r.pix[y*r.stride : y*r.stride+w]
			for x := range dst {
				dst[x] = src[2*x]
			}
		}
		return r
	case *image.NRGBA64:
		r := newRaster(w, h, 4)
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := r.pix[y*r.stride : y*r.stride+4*w]
			for i := range dst {
				dst[i] = src[2*i]
			}
		}
		r.hasAlpha = !r.opaque()
		return r
	case *image.CMYK:
		r := newRaster(w, h, 3)
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := r.pix[y*r.stride : y*r.stride+3*w]
			for x := 0; x < w; x++ {
				dst[3*x], dst[3*x+1], dst[3*x+2] = color.CMYKToRGB(src[4*x], src[4*x+1], src[4*x+2], src[4*x+3])
			}
		}
		return r
	}
	// Anything else (RGBA64, NYCbCrA, ...): the slow, general path.
	r := newRaster(w, h, 4)
	for y := 0; y < h; y++ {
		dst := r.pix[y*r.stride:]
		for x := 0; x < w; x++ {
			c := color.NRGBAModel.Convert(m.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = c.R, c.G, c.B, c.A
		}
	}
	r.hasAlpha = !r.opaque()
	return r
}

func newRaster(w, h, bpp int) *raster {
	return &raster{pix: make([]byte, w*h*bpp), w: w, h: h, stride: w * bpp, bpp: bpp}
}

// opaque reports whether every alpha sample is 255.
func (r *raster) opaque() bool {
	if r.bpp != 4 {
		return true
	}
	for y := 0; y < r.h; y++ {
		row := r.pix[y*r.stride : y*r.stride+4*r.w]
		for i := 3; i < len(row); i += 4 {
			if row[i] != 0xff {
				return false
			}
		}
	}
	return true
}

// unpremultiply turns premultiplied RGBA into straight RGBA in place.
func unpremultiply(r *raster) {
	for y := 0; y < r.h; y++ {
		row := r.pix[y*r.stride : y*r.stride+4*r.w]
		for i := 0; i < len(row); i += 4 {
			switch a := uint32(row[i+3]); a {
			case 0xff:
			case 0:
				row[i], row[i+1], row[i+2] = 0, 0, 0
			default:
				row[i] = uint8(min((uint32(row[i])*0xff+a/2)/a, 0xff))
				row[i+1] = uint8(min((uint32(row[i+1])*0xff+a/2)/a, 0xff))
				row[i+2] = uint8(min((uint32(row[i+2])*0xff+a/2)/a, 0xff))
			}
		}
	}
}

// palettedToRaster expands a paletted image through a table of straight
// RGBA entries: RGB when every entry used is opaque.
func palettedToRaster(m *image.Paletted) *raster {
	var lut [256][4]byte
	opaque := true
	for i, c := range m.Palette {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		lut[i] = [4]byte{n.R, n.G, n.B, n.A}
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	for y := 0; y < h && opaque; y++ {
		for _, p := range m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:w] {
			if int(p) >= len(m.Palette) || lut[p][3] != 0xff {
				opaque = false
				break
			}
		}
	}
	if opaque {
		r := newRaster(w, h, 3)
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:w]
			dst := r.pix[y*r.stride:]
			for x, p := range src {
				e := &lut[p]
				dst[3*x], dst[3*x+1], dst[3*x+2] = e[0], e[1], e[2]
			}
		}
		return r
	}
	r := newRaster(w, h, 4)
	r.hasAlpha = true
	for y := 0; y < h; y++ {
		src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:w]
		dst := r.pix[y*r.stride:]
		for x, p := range src {
			copy(dst[4*x:4*x+4], lut[p][:]) // out-of-palette indexes are transparent black
		}
	}
	return r
}

// ycbcrToRGB converts a decoded JPEG (full-range YCbCr, JFIF) to RGB the
// way libjpeg-turbo does by default, so that libwebp is handed the pixels
// that cwebp would hand it: subsampled chroma is upsampled with libjpeg's
// "fancy" triangle filter (jdsample.c; image/jpeg would repeat each
// chroma sample instead), and converted with libjpeg's rounding
// (jdcolor.c). Ratios libjpeg has no fancy filter for (4:1:1, 4:1:0) are
// repeated.
func ycbcrToRGB(m *image.YCbCr) *raster {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	r := newRaster(w, h, 3)
	hs, vs := 1, 1 // chroma subsampling, horizontal and vertical
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hs = 2
	case image.YCbCrSubsampleRatio420:
		hs, vs = 2, 2
	case image.YCbCrSubsampleRatio440:
		vs = 2
	case image.YCbCrSubsampleRatio411:
		hs = 4
	case image.YCbCrSubsampleRatio410:
		hs, vs = 4, 2
	}
	// The chroma plane as libjpeg sees it: (w+hs-1)/hs x (h+vs-1)/vs
	// samples, starting at the image's top-left.
	cw, ch := (w+hs-1)/hs, (h+vs-1)/vs
	crow := func(plane []byte, cy int) []byte {
		cy = min(max(cy, 0), ch-1)
		return plane[m.COffset(b.Min.X, b.Min.Y+cy*vs):][:cw]
	}
	fancyH := hs == 2 && cw > 2
	fancyV := vs == 2 && hs <= 2 && ch > 1 && (hs == 1 || fancyH)
	cb, cr := make([]byte, w), make([]byte, w)
	cbs, crs := make([]int32, cw), make([]int32, cw)
	for y := 0; y < h; y++ {
		yrow := m.Y[m.YOffset(b.Min.X, b.Min.Y+y):][:w]
		cy := y / vs
		if fancyV {
			// Three quarters of the nearer chroma row and one quarter of
			// the next nearest (the row itself at the image's edges).
			far := cy + 1
			if y%2 == 0 {
				far = cy - 1
			}
			columnSums(cbs, crow(m.Cb, cy), crow(m.Cb, far))
			columnSums(crs, crow(m.Cr, cy), crow(m.Cr, far))
			if hs == 2 {
				fancy2D(cb, cbs)
				fancy2D(cr, crs)
			} else {
				// h1v2: bias 1 above the sample row, 2 below
				// (libjpeg-turbo's h1v2_fancy_upsample).
				bias := int32(1 + y%2)
				for i := range cb {
					cb[i] = uint8((cbs[i] + bias) >> 2)
					cr[i] = uint8((crs[i] + bias) >> 2)
				}
			}
		} else {
			cbRow, crRow := crow(m.Cb, cy), crow(m.Cr, cy)
			switch {
			case hs == 1:
				copy(cb, cbRow)
				copy(cr, crRow)
			case fancyH:
				fancy1D(cb, cbRow)
				fancy1D(cr, crRow)
			default:
				for x := range cb {
					cb[x], cr[x] = cbRow[x/hs], crRow[x/hs]
				}
			}
		}
		dst := r.pix[y*r.stride : y*r.stride+3*w]
		for x, yy := range yrow {
			dst[3*x], dst[3*x+1], dst[3*x+2] = yccToRGB(yy, cb[x], cr[x])
		}
	}
	return r
}

// columnSums sets s[i] to 3*near[i] + far[i].
func columnSums(s []int32, near, far []byte) {
	for i := range s {
		s[i] = 3*int32(near[i]) + int32(far[i])
	}
}

// fancy2D upsamples one row of column sums horizontally by two, as
// libjpeg-turbo's h2v2_fancy_upsample does (len(s) > 2).
func fancy2D(out []byte, s []int32) {
	n := len(s)
	for i := 0; i < n; i++ {
		var left, right int32
		if i == 0 {
			left = (s[0]*4 + 8) >> 4
		} else {
			left = (s[i]*3 + s[i-1] + 8) >> 4
		}
		if i == n-1 {
			right = (s[i]*4 + 7) >> 4
		} else {
			right = (s[i]*3 + s[i+1] + 7) >> 4
		}
		if 2*i < len(out) {
			out[2*i] = uint8(left)
		}
		if 2*i+1 < len(out) {
			out[2*i+1] = uint8(right)
		}
	}
}

// fancy1D upsamples one chroma row horizontally by two, as libjpeg-turbo's
// h2v1_fancy_upsample does (len(in) > 2).
func fancy1D(out []byte, in []byte) {
	n := len(in)
	for i := 0; i < n; i++ {
		v := int32(in[i]) * 3
		var left, right int32
		if i == 0 {
			left = int32(in[0])
		} else {
			left = (v + int32(in[i-1]) + 1) >> 2
		}
		if i == n-1 {
			right = int32(in[i])
		} else {
			right = (v + int32(in[i+1]) + 2) >> 2
		}
		if 2*i < len(out) {
			out[2*i] = uint8(left)
		}
		if 2*i+1 < len(out) {
			out[2*i+1] = uint8(right)
		}
	}
}

// yccToRGB converts one full-range YCbCr pixel to RGB with libjpeg's
// fixed-point arithmetic (jdcolor.c, ycc_rgb_convert: 16 fraction bits,
// rounded, then clamped).
func yccToRGB(y, cb, cr uint8) (uint8, uint8, uint8) {
	const half = 1 << 15
	cb1 := int32(cb) - 128
	cr1 := int32(cr) - 128
	yy := int32(y)
	r := yy + (91881*cr1+half)>>16
	g := yy + (-22554*cb1-46802*cr1+half)>>16
	b := yy + (116130*cb1+half)>>16
	return clamp8(r), clamp8(g), clamp8(b)
}

func clamp8(v int32) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}

// countColors returns the number of distinct colours, counting no further
// than limit+1.
func countColors(r *raster, limit int) int {
	seen := make(map[uint32]struct{}, limit+1)
	for y := 0; y < r.h; y++ {
		row := r.pix[y*r.stride : y*r.stride+r.bpp*r.w]
		last, haveLast := uint32(0), false
		for i := 0; i < len(row); i += r.bpp {
			var c uint32
			switch r.bpp {
			case 1:
				c = uint32(row[i])
			case 3:
				c = uint32(row[i])<<16 | uint32(row[i+1])<<8 | uint32(row[i+2])
			default:
				c = uint32(row[i])<<24 | uint32(row[i+1])<<16 | uint32(row[i+2])<<8 | uint32(row[i+3])
			}
			if haveLast && c == last { // runs of one colour are common in graphics
				continue
			}
			last, haveLast = c, true
			seen[c] = struct{}{}
			if len(seen) > limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
