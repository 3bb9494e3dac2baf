package imageopt

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"

	xwebp "golang.org/x/image/webp"
)

// Action is what happened to one input.
type Action string

// Actions.
const (
	// Converted: a WebP was written (or, from [Convert], returned).
	Converted Action = "converted"
	// Kept: the original is the better file (the WebP was not smaller by
	// the minimum saving, or the input cannot be made a correct WebP);
	// no WebP was written, and Reason says why.
	Kept Action = "kept"
	// Skipped: the input and the options are unchanged since the run that
	// the manifest records, and so is its output: nothing was encoded.
	Skipped Action = "skipped"
	// Failed: the input could not be read or converted; Error says why.
	// Nothing was written for it.
	Failed Action = "failed"
)

// Result is the outcome of converting one image with [Convert].
type Result struct {
	// Format is the input's format.
	Format Format `json:"format"`
	// Action is [Converted] or [Kept].
	Action Action `json:"action"`
	// Reason says why the original was kept.
	Reason string `json:"reason,omitempty"`
	// WebP is the encoded file; nil when the original was kept.
	WebP []byte `json:"-"`
	// BytesIn and BytesOut are the sizes of the input and of the WebP
	// (0 when none was made).
	BytesIn  int `json:"bytes_in"`
	BytesOut int `json:"bytes_out"`
	// Width and Height are those of the WebP: after orientation and
	// resizing.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Frames is the number of frames of an animation; 1 for a still.
	Frames int `json:"frames"`
	// Lossless reports a lossless encoding.
	Lossless bool `json:"lossless"`
	// Orientation is the EXIF orientation that was applied, 1 to 8 (1:
	// the image was stored upright).
	Orientation int `json:"orientation"`
	// ICC says what happened to an embedded colour profile: "" (none),
	// "kept", "converted to sRGB: " and how, or "dropped: " and why.
	ICC string `json:"icc,omitempty"`
}

// Convert re-encodes one JPEG, PNG, GIF or WebP image held in memory as
// WebP, following opt (nil for the defaults). It never modifies src.
//
// The image's declared size is checked against the pixel limit before any
// pixel is decoded. EXIF orientation is applied, metadata stripped (unless
// opt.KeepMetadata), a non-sRGB ICC profile kept, and the WebP returned
// only when it is smaller than src by opt.MinSaving; otherwise the result
// says [Kept] and why. An animated GIF becomes an animated WebP.
//
// Errors wrap [ErrUnsupported], [ErrTooLarge], [ErrTooManyPixels],
// [ErrCorrupt] or [ErrNeedsCgo].
func Convert(src []byte, opt *Options) (*Result, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	if len(src) > MaxInputBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(src), MaxInputBytes)
	}
	if len(src) == 0 {
		return nil, fmt.Errorf("%w: empty file", ErrUnsupported)
	}
	f := sniff(src)
	if f == "" {
		return nil, ErrUnsupported
	}
	if err := Available(); err != nil {
		return nil, err
	}
	cfg, frames, err := checkConfig(f, src, opt.maxPixels())
	if err != nil {
		return nil, err
	}
	res := &Result{Format: f, BytesIn: len(src), Width: cfg.Width, Height: cfg.Height, Frames: frames, Orientation: 1}
	if frames > 1 {
		return convertGIFAnimation(src, res, opt)
	}
	meta := readMetadata(f, src)
	if meta.animated {
		return keep(res, fmt.Sprintf("animated %s: only animated GIFs are converted, and never flattened to one frame", strings.ToUpper(string(f)))), nil
	}
	res.Orientation, _ = exifOrientation(meta.exif)

	// The upright size, then the size after fitting.
	w, h := cfg.Width, cfg.Height
	if swapsAxes(res.Orientation) {
		w, h = h, w
	}
	fw, fh := fit(w, h, opt)
	if fw > MaxWebPDimension || fh > MaxWebPDimension {
		return keep(res, fmt.Sprintf("%d x %d is larger than WebP allows (%d pixels a side); give a maximum width and height", fw, fh, MaxWebPDimension)), nil
	}
	m, err := decode(f, src)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if b := m.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("%w: decoded %d x %d, the header says %d x %d", ErrCorrupt, b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	if fw != w || fh != h {
		if swapsAxes(res.Orientation) {
			m = resize(m, fh, fw)
		} else {
			m = resize(m, fw, fh)
		}
	}
	r := orient(toRaster(m), res.Orientation)
	res.Width, res.Height = r.w, r.h
	if meta.icc != nil {
		if lut, ok := grayToSRGB(meta.icc); ok {
			applyLUT(r, &lut)
			meta.icc, res.ICC = nil, "converted to sRGB: grey tone curve applied"
		}
	}

	lossless, out, err := encodeBest(r, f == PNG || f == GIF || f == WebP && isLosslessWebP(src), opt)
	if err != nil {
		return nil, err
	}
	res.Lossless = lossless
	icc, exif, xmp, note := chooseMetadata(meta, res.Orientation, opt)
	if note != "" {
		res.ICC = note
	}
	if out, err = setMetadata(out, icc, exif, xmp); err != nil {
		return nil, err
	}
	return decide(res, out, opt), nil
}

// keep returns res saying the original is kept, and why.
func keep(res *Result, reason string) *Result {
	res.Action, res.Reason, res.WebP, res.BytesOut = Kept, reason, nil, 0
	return res
}

// decide applies the minimum saving to an encoded WebP.
func decide(res *Result, out []byte, opt *Options) *Result {
	saving := 100 * (1 - float64(len(out))/float64(res.BytesIn))
	if least := opt.minSaving(); saving < least {
		what := "larger"
		switch {
		case len(out) < res.BytesIn:
			what = fmt.Sprintf("only %.1f%% smaller (minimum %g%%)", saving, least)
		case len(out) == res.BytesIn:
			what = "the same size"
		}
		return keep(res, fmt.Sprintf("WebP not worth it: %d B against %d B, %s", len(out), res.BytesIn, what))
	}
	res.Action, res.WebP, res.BytesOut = Converted, out, len(out)
	return res
}

// checkConfig reads the image's declared size and refuses it over the
// pixel limit before anything is decoded. For a GIF it also counts the
// frames, and limits the pixels of all frames together.
func checkConfig(f Format, src []byte, maxPixels int) (image.Config, int, error) {
	var cfg image.Config
	var err error
	frames := 1
	switch f {
	case JPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(src))
	case PNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(src))
	case WebP:
		cfg, err = xwebp.DecodeConfig(bytes.NewReader(src))
	case GIF:
		var l gifLayout
		if l, err = scanGIF(src); err == nil {
			if l.frames == 0 {
				return cfg, 0, fmt.Errorf("%w: GIF without an image", ErrCorrupt)
			}
			if l.pixels > int64(maxPixels) {
				return cfg, 0, fmt.Errorf("%w: %d frames of %d x %d, %d pixels in all, limit %d", ErrTooManyPixels, l.frames, l.width, l.height, l.pixels, maxPixels)
			}
			frames = l.frames
			cfg, err = gif.DecodeConfig(bytes.NewReader(src))
		}
	}
	if err != nil {
		return cfg, 0, fmt.Errorf("%w: %s header: %v", ErrCorrupt, strings.ToUpper(string(f)), err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return cfg, 0, fmt.Errorf("%w: %d x %d pixels", ErrCorrupt, cfg.Width, cfg.Height)
	}
	if n := int64(cfg.Width) * int64(cfg.Height); n > int64(maxPixels) {
		return cfg, 0, fmt.Errorf("%w: %d x %d = %d pixels, limit %d", ErrTooManyPixels, cfg.Width, cfg.Height, n, maxPixels)
	}
	return cfg, frames, nil
}

// decode decodes a still image.
func decode(f Format, src []byte) (image.Image, error) {
	r := bytes.NewReader(src)
	switch f {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case GIF:
		return gif.Decode(r)
	case WebP:
		return decodeWebP(src)
	}
	return nil, errors.New("unknown format")
}

// isLosslessWebP reports whether a WebP file holds a lossless (VP8L)
// image.
func isLosslessWebP(b []byte) bool {
	for _, c := range riffChunks(b) {
		if c.fourcc == "VP8L" {
			return true
		}
	}
	return false
}

// encodeBest encodes r lossy, lossless, or both keeping the smaller, as
// the mode says. In Auto, a graphic (maybeGraphic: a PNG, GIF or lossless
// WebP input, with real transparency or at most 256 colours) is tried
// both ways.
func encodeBest(r *raster, maybeGraphic bool, opt *Options) (lossless bool, out []byte, err error) {
	q := opt.quality()
	switch opt.mode() {
	case Lossy:
		out, err = encodeRaster(r, false, q)
		return false, out, err
	case Lossless:
		out, err = encodeRaster(r, true, q)
		return true, out, err
	}
	if !maybeGraphic || !isGraphic(r) {
		out, err = encodeRaster(r, false, q)
		return false, out, err
	}
	lossy, err := encodeRaster(r, false, q)
	if err != nil {
		return false, nil, err
	}
	ll, err := encodeRaster(r, true, q)
	if err != nil {
		return false, nil, err
	}
	if len(ll) <= len(lossy) {
		return true, ll, nil
	}
	return false, lossy, nil
}

// The most colours a graphic has; with more, an image is a photograph.
// Nearly every grey image has at most 256 levels, so for grey the bound is
// that of line art and scanned drawings.
const (
	graphicColors = 256
	graphicGrays  = 16
)

// isGraphic reports whether r looks like a graphic rather than a photo:
// real transparency, or few colours.
func isGraphic(r *raster) bool {
	if r.hasAlpha {
		return true
	}
	limit := graphicColors
	if r.bpp == 1 {
		limit = graphicGrays
	}
	return countColors(r, limit) <= limit
}

// chooseMetadata decides what goes into the WebP besides the pixels, and
// describes what became of the ICC profile.
//
// The ICC profile: browsers colour-manage WebP with an ICCP chunk as they
// do JPEG and PNG, so an RGB profile is copied as it is, and the WebP looks
// as the original did. Converting the pixels to sRGB instead would need a
// colour management engine that Go lacks. A profile that describes sRGB
// is dropped unless metadata is kept: untagged images are sRGB already. A
// grey or CMYK profile cannot describe the RGB pixels of a WebP, and is
// dropped (a grey one has been applied to the pixels by then, see
// [grayToSRGB]).
func chooseMetadata(meta metadata, orientation int, opt *Options) (icc, exif, xmp []byte, note string) {
	keepAll := opt != nil && opt.KeepMetadata
	if meta.icc != nil {
		info := parseICC(meta.icc)
		switch {
		case !info.valid:
			note = "dropped: not a valid ICC profile"
		case info.colorSpace != "RGB ":
			note = fmt.Sprintf("dropped: a %s profile does not fit RGB pixels", strings.TrimSpace(info.colorSpace))
		case !keepAll && isSRGB(info):
			note = "dropped: sRGB, the default"
		default:
			icc, note = meta.icc, "kept"
		}
	}
	if keepAll {
		exif, xmp = meta.exif, meta.xmp
		if orientation != 1 && exif != nil {
			exif = uprightEXIF(exif)
		}
	}
	return icc, exif, xmp, note
}

// isSRGB reports whether a profile says it is sRGB (the IEC 61966-2.1
// profile, as cameras and editors name it).
func isSRGB(info iccInfo) bool {
	return strings.Contains(info.description, "sRGB")
}
