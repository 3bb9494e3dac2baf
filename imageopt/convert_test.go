//go:build cgo

package imageopt

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chai2010/webp"
	"github.com/posturekit/posturekit/imageopt/internal/ssim"
)

// decodeOut decodes a WebP made by Convert with libwebp, as straight RGBA.
func decodeOut(t testing.TB, b []byte) *image.NRGBA {
	t.Helper()
	m, err := webp.DecodeRGBA(b)
	if err != nil {
		t.Fatalf("decoding the WebP: %v", err)
	}
	return &image.NRGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
}

func always() *float64 { v := -1000.0; return &v }

func mustConvert(t testing.TB, src []byte, opt *Options) *Result {
	t.Helper()
	r, err := Convert(src, opt)
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return r
}

// bombPNG is a valid PNG signature and IHDR declaring w x h RGBA pixels,
// with a tiny IDAT: a decoder that trusts it allocates w*h*4 bytes.
func bombPNG(w, h uint32) []byte {
	ihdr := []byte{byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h), 8, 6, 0, 0, 0}
	b := []byte("\x89PNG\r\n\x1a\n")
	b = appendPNGChunk(b, "IHDR", ihdr)
	b = appendPNGChunk(b, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	return appendPNGChunk(b, "IEND", nil)
}

func TestConvertRefuses(t *testing.T) {
	jpg := encodeJPEG(t, quadrants(64, 64))
	for _, c := range []struct {
		name string
		src  []byte
		opt  *Options
		want error
	}{
		{"empty", nil, nil, ErrUnsupported},
		{"text", []byte("this is not an image\n"), nil, ErrUnsupported},
		{"SVG", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), nil, ErrUnsupported},
		{"truncated JPEG", jpg[:len(jpg)/2], nil, ErrCorrupt},
		{"JPEG header only", jpg[:20], nil, ErrCorrupt},
		{"PNG bomb", bombPNG(100000, 100000), nil, ErrTooManyPixels},
		{"PNG over a custom limit", bombPNG(1000, 1000), &Options{MaxPixels: 999_999}, ErrTooManyPixels},
		{"GIF frames over the limit", animatedGIF(t, 3), &Options{MaxPixels: 250}, ErrTooManyPixels},
		{"damaged PNG", bombPNG(10, 10), nil, ErrCorrupt},
		{"RIFF but not WebP data", []byte("RIFF\x04\x00\x00\x00WEBP"), nil, ErrCorrupt},
	} {
		_, err := Convert(c.src, c.opt)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	for _, opt := range []*Options{{Quality: 101}, {Quality: -1}, {Mode: "best"}, {MaxWidth: -1}, {MaxPixels: -5}, {MinSaving: new(float64(100))}} {
		if _, err := Convert(jpg, opt); err == nil {
			t.Errorf("options %+v accepted", opt)
		}
	}
}

func TestConvertTooWideForWebP(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, MaxWebPDimension+1, 2))
	src := encodePNG(t, m)
	r := mustConvert(t, src, nil)
	if r.Action != Kept || !strings.Contains(r.Reason, "larger than WebP allows") {
		t.Errorf("got %s %q", r.Action, r.Reason)
	}
	// Shrunk to fit, it converts.
	r = mustConvert(t, src, &Options{MaxWidth: 1000, MinSaving: always()})
	if r.Action != Converted || r.Width != 1000 || r.Height != 1 {
		t.Errorf("with --max-width: %s %dx%d %q", r.Action, r.Width, r.Height, r.Reason)
	}
}

// TestOrientation converts a JPEG stored with each EXIF orientation and
// checks the WebP is upright: the size is swapped for 5 to 8, and each
// corner shows the colour that a viewer applying the tag would show.
func TestOrientation(t *testing.T) {
	const r, g, b, w = "R", "G", "B", "W"
	// Corners of the upright image (top left, top right, bottom left,
	// bottom right) for a stored image whose corners are R G / B W.
	want := map[int][4]string{
		1: {r, g, b, w}, 2: {g, r, w, b}, 3: {w, b, g, r}, 4: {b, w, r, g},
		5: {r, b, g, w}, 6: {b, r, w, g}, 7: {w, g, b, r}, 8: {g, w, r, b},
	}
	names := map[string]color.NRGBA{r: {255, 0, 0, 255}, g: {0, 255, 0, 255}, b: {0, 0, 255, 255}, w: {255, 255, 255, 255}}
	for o := 1; o <= 8; o++ {
		src := encodeJPEG(t, quadrants(64, 32), exifSegment(o, o%2 == 0))
		res := mustConvert(t, src, &Options{MinSaving: always()})
		if res.Orientation != o {
			t.Errorf("orientation %d: result says %d", o, res.Orientation)
		}
		m := decodeOut(t, res.WebP)
		ww, wh := 64, 32
		if o >= 5 {
			ww, wh = 32, 64
		}
		if m.Rect.Dx() != ww || m.Rect.Dy() != wh || res.Width != ww || res.Height != wh {
			t.Errorf("orientation %d: %v (result %dx%d), want %dx%d", o, m.Rect.Size(), res.Width, res.Height, ww, wh)
			continue
		}
		corners := [4]image.Point{{4, 4}, {ww - 5, 4}, {4, wh - 5}, {ww - 5, wh - 5}}
		for i, p := range corners {
			if got := m.NRGBAAt(p.X, p.Y); !near(got, names[want[o][i]], 40) {
				t.Errorf("orientation %d: corner %d is %v, want %s", o, i, got, want[o][i])
			}
		}
		if exif, _ := webp.GetMetadata(res.WebP, "EXIF"); len(exif) != 0 {
			t.Errorf("orientation %d: EXIF kept by default", o)
		}
		// With metadata kept, the EXIF says upright: viewers must not
		// turn the image a second time.
		res = mustConvert(t, src, &Options{MinSaving: always(), KeepMetadata: true})
		exif, _ := webp.GetMetadata(res.WebP, "EXIF")
		if got, off := exifOrientation(exif); got != 1 || off < 0 {
			t.Errorf("orientation %d with metadata kept: WebP EXIF orientation %d at %d, want 1", o, got, off)
		}
	}
}

// TestStraightAlpha checks that semi-transparent pixels keep their colour:
// the chai2010/webp#20 trap, where NRGBA is premultiplied and then read as
// straight alpha, darkening every edge. It also shows the trap is there
// in the naive call.
func TestStraightAlpha(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			a := uint8(4 * x) // 0 (transparent) to 252
			m.SetNRGBA(x, y, color.NRGBA{255, uint8(128 + y), 32, a})
		}
	}
	src := encodePNG(t, m)
	check := func(name string, out *image.NRGBA, tol int, exactAlpha bool) {
		t.Helper()
		var sum, n int
		for y := 0; y < 64; y++ {
			for x := 16; x < 64; x++ { // alpha 64 and up
				want, got := m.NRGBAAt(x, y), out.NRGBAAt(x, y)
				if exactAlpha && got.A != want.A {
					t.Fatalf("%s: alpha at %d,%d is %d, want %d", name, x, y, got.A, want.A)
				}
				sum += absDiff(got.R, want.R) + absDiff(got.G, want.G) + absDiff(got.B, want.B)
				n += 3
			}
		}
		if mean := float64(sum) / float64(n); mean > float64(tol) {
			t.Errorf("%s: mean |ΔRGB| %.1f over semi-transparent pixels, want at most %d", name, mean, tol)
		}
	}
	for _, mode := range []Mode{Lossless, Lossy} {
		res := mustConvert(t, src, &Options{Mode: mode, MinSaving: always()})
		tol := 0
		if mode == Lossy {
			tol = 6
		}
		check(string(mode)+" (libwebp)", decodeOut(t, res.WebP), tol, true)
		if _, err := os.Stat("/usr/bin/dwebp"); err == nil || inCI() {
			check(string(mode)+" (dwebp)", dwebpBytes(t, res.WebP), tol, true)
		}
	}
	// The naive call: webp.Encode on the *image.NRGBA as decoded.
	var naive bytes.Buffer
	if err := webp.Encode(&naive, m, &webp.Options{Lossless: true}); err != nil {
		t.Fatal(err)
	}
	got := decodeOut(t, naive.Bytes()).NRGBAAt(32, 0) // alpha 128
	if got.R > 200 {
		t.Logf("chai2010/webp no longer darkens semi-transparent pixels (got %v): the workaround is harmless but the docs can say so", got)
	} else {
		t.Logf("naive chai2010/webp call: %v where the source is %v (the trap this package avoids)", got, m.NRGBAAt(32, 0))
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestICCProfileKept converts a photograph tagged with a non-sRGB profile
// (the corpus's rocket.jpg, Adobe RGB (1998)) and checks that the very
// same profile is in the WebP, so a browser maps its colours as it maps
// the JPEG's, and that the pixels are those of the source.
func TestICCProfileKept(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpus(t), "good", "rocket.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	in := jpegMetadata(src).icc
	if info := parseICC(in); !info.valid || isSRGB(info) || !strings.Contains(info.description, "Adobe RGB") {
		t.Fatalf("rocket.jpg's profile is %+v, want Adobe RGB", info)
	}
	res := mustConvert(t, src, nil)
	if res.Action != Converted || res.ICC != "kept" {
		t.Fatalf("got %s, ICC %q", res.Action, res.ICC)
	}
	out, err := webp.GetMetadata(res.WebP, "ICCP")
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("WebP ICC profile: %d bytes (%v), want the source's %d bytes", len(out), err, len(in))
	}
	m, err := decode(JPEG, src)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssim.Luma(m, decodeOut(t, res.WebP))
	if err != nil || s < 0.95 {
		t.Errorf("SSIM %v (%v): the pixels were changed, not only tagged", s, err)
	}
}

func TestICCChoices(t *testing.T) {
	wide := testICC("RGB ", "Display P3")
	srgb := testICC("RGB ", "sRGB IEC61966-2.1")
	gray := testICC("GRAY", "Dot Gain 20%")
	img := quadrants(64, 64)
	for _, c := range []struct {
		name    string
		src     []byte
		keep    bool
		want    []byte
		wantICC string
	}{
		{"JPEG Display P3", encodeJPEG(t, img, iccSegments(wide, 60000)...), false, wide, "kept"},
		{"JPEG in chunks", encodeJPEG(t, img, iccSegments(wide, 50)...), false, wide, "kept"},
		{"JPEG sRGB", encodeJPEG(t, img, iccSegments(srgb, 60000)...), false, nil, "dropped: sRGB, the default"},
		{"JPEG sRGB, metadata kept", encodeJPEG(t, img, iccSegments(srgb, 60000)...), true, srgb, "kept"},
		{"JPEG grey profile", encodeJPEG(t, img, iccSegments(gray, 60000)...), true, nil, "dropped: a GRAY profile does not fit RGB pixels"},
		{"PNG Display P3", encodePNG(t, img, pngChunk{"iCCP", append([]byte("P3\x00\x00"), deflate(wide)...)}), false, wide, "kept"},
		{"no profile", encodePNG(t, img), false, nil, ""},
	} {
		res := mustConvert(t, c.src, &Options{KeepMetadata: c.keep, MinSaving: always()})
		got, _ := webp.GetMetadata(res.WebP, "ICCP")
		if !bytes.Equal(got, c.want) || res.ICC != c.wantICC {
			t.Errorf("%s: ICC %d bytes, note %q; want %d bytes, %q", c.name, len(got), res.ICC, len(c.want), c.wantICC)
		}
	}
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlibWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestMetadataStrippedOrKept(t *testing.T) {
	exif := exifSegment(1, false)
	xmp := xmpSegment(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>`)
	src := encodeJPEG(t, quadrants(64, 64), exif, xmp)
	res := mustConvert(t, src, &Options{MinSaving: always()})
	for _, f := range []string{"EXIF", "XMP", "ICCP"} {
		if b, _ := webp.GetMetadata(res.WebP, f); len(b) != 0 {
			t.Errorf("%s kept by default", f)
		}
	}
	if bytes.Contains(res.WebP, []byte("GPS")) || bytes.Contains(res.WebP, []byte("xmpmeta")) {
		t.Errorf("metadata bytes left in the WebP")
	}
	res = mustConvert(t, src, &Options{MinSaving: always(), KeepMetadata: true})
	if b, _ := webp.GetMetadata(res.WebP, "EXIF"); !bytes.Equal(b, exif.data[6:]) {
		t.Errorf("EXIF not kept: %q", b)
	}
	if b, _ := webp.GetMetadata(res.WebP, "XMP"); !bytes.Equal(b, xmp.data[29:]) {
		t.Errorf("XMP not kept: %q", b)
	}
}

func TestMinSaving(t *testing.T) {
	// A tiny, heavily compressed JPEG: the WebP is not much smaller.
	var buf bytes.Buffer
	src := encodeJPEG(t, quadrants(16, 16))
	buf.Write(src)
	res := mustConvert(t, src, &Options{MinSaving: new(float64(99))})
	if res.Action != Kept || res.WebP != nil || res.BytesOut != 0 || !strings.Contains(res.Reason, "not worth it") {
		t.Errorf("with a 99%% minimum: %s %q", res.Action, res.Reason)
	}
	res = mustConvert(t, src, &Options{MinSaving: always()})
	if res.Action != Converted || len(res.WebP) == 0 || res.BytesOut != len(res.WebP) {
		t.Errorf("with no minimum: %s %q", res.Action, res.Reason)
	}
	if !bytes.Equal(buf.Bytes(), src) {
		t.Errorf("Convert modified its input")
	}
}

func TestResize(t *testing.T) {
	src := encodePNG(t, quadrants(400, 300))
	for _, c := range []struct {
		opt  Options
		w, h int
	}{
		{Options{MaxWidth: 100}, 100, 75},
		{Options{MaxHeight: 50}, 67, 50},
		{Options{MaxWidth: 100, MaxHeight: 50}, 67, 50},
		{Options{MaxWidth: 1000, MaxHeight: 1000}, 400, 300}, // never enlarged
		{Options{MaxWidth: 400}, 400, 300},
	} {
		c.opt.MinSaving = always()
		res := mustConvert(t, src, &c.opt)
		m := decodeOut(t, res.WebP)
		if res.Width != c.w || res.Height != c.h || m.Rect.Dx() != c.w || m.Rect.Dy() != c.h {
			t.Errorf("%+v: got %dx%d (decoded %v), want %dx%d", c.opt, res.Width, res.Height, m.Rect.Size(), c.w, c.h)
		}
		// The corners keep their colours.
		if got := m.NRGBAAt(2, 2); !near(got, color.NRGBA{255, 0, 0, 255}, 40) {
			t.Errorf("%+v: top left %v", c.opt, got)
		}
	}
	// The bounds apply to the upright image.
	jpg := encodeJPEG(t, quadrants(400, 300), exifSegment(6, false))
	res := mustConvert(t, jpg, &Options{MaxWidth: 150, MinSaving: always()})
	if res.Width != 150 || res.Height != 200 {
		t.Errorf("orientation 6, max width 150: %dx%d, want 150x200", res.Width, res.Height)
	}
	if got := decodeOut(t, res.WebP).NRGBAAt(2, 2); !near(got, color.NRGBA{0, 0, 255, 255}, 40) {
		t.Errorf("orientation 6 resized: top left %v, want blue", got)
	}
	// Transparent edges do not turn dark when resized.
	m := image.NewNRGBA(image.Rect(0, 0, 100, 100))
	for i := range m.Pix {
		if i%4 == 0 {
			m.Pix[i] = 255
		}
	}
	for y := 40; y < 60; y++ {
		for x := 40; x < 60; x++ {
			m.SetNRGBA(x, y, color.NRGBA{255, 255, 255, 255})
		}
	}
	res = mustConvert(t, encodePNG(t, m), &Options{MaxWidth: 33, Mode: Lossless, MinSaving: always()})
	out := decodeOut(t, res.WebP)
	for y := 0; y < 33; y++ {
		for x := 0; x < 33; x++ {
			if c := out.NRGBAAt(x, y); c.A > 16 && (c.R < 200) {
				t.Fatalf("resized edge pixel %v at %d,%d went dark", c, x, y)
			}
		}
	}
}

func TestModes(t *testing.T) {
	// A flat graphic with few colours: lossless wins in auto.
	flat := encodePNG(t, quadrants(256, 256))
	photo, err := os.ReadFile(filepath.Join(corpus(t), "good", "chelsea.png"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		src      []byte
		mode     Mode
		lossless bool
	}{
		{"graphic, auto", flat, Auto, true},
		{"graphic, lossy", flat, Lossy, false},
		{"photo, auto", photo, Auto, false},
		{"photo, lossless", photo, Lossless, true},
	} {
		res := mustConvert(t, c.src, &Options{Mode: c.mode, MinSaving: always()})
		if res.Lossless != c.lossless || isLosslessWebP(res.WebP) != c.lossless {
			t.Errorf("%s: lossless %v (VP8L %v), want %v", c.name, res.Lossless, isLosslessWebP(res.WebP), c.lossless)
		}
	}
	// In auto, a graphic gets the smaller of the two.
	ll := mustConvert(t, flat, &Options{Mode: Lossless, MinSaving: always()})
	ly := mustConvert(t, flat, &Options{Mode: Lossy, MinSaving: always()})
	auto := mustConvert(t, flat, &Options{MinSaving: always()})
	if auto.BytesOut != min(ll.BytesOut, ly.BytesOut) {
		t.Errorf("auto %d B, lossless %d B, lossy %d B", auto.BytesOut, ll.BytesOut, ly.BytesOut)
	}
	// Quality changes the size.
	q60 := mustConvert(t, photo, &Options{Quality: 60, MinSaving: always()})
	q90 := mustConvert(t, photo, &Options{Quality: 90, MinSaving: always()})
	if q60.BytesOut >= q90.BytesOut {
		t.Errorf("quality 60: %d B, quality 90: %d B", q60.BytesOut, q90.BytesOut)
	}
}

// TestPixelFormats converts each kind of image the decoders return and
// compares the WebP (lossless) with the source.
func TestPixelFormats(t *testing.T) {
	base := quadrants(48, 32)
	var imgs []image.Image
	gray := image.NewGray(base.Rect)
	gray16 := image.NewGray16(base.Rect)
	nrgba64 := image.NewNRGBA64(base.Rect)
	rgba64 := image.NewRGBA64(base.Rect)
	pal := image.NewPaletted(base.Rect, color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{255, 0, 0, 128}, color.NRGBA{0, 255, 0, 255}, color.NRGBA{0, 0, 255, 255}})
	for y := 0; y < 32; y++ {
		for x := 0; x < 48; x++ {
			c := base.NRGBAAt(x, y)
			gray.Set(x, y, c)
			gray16.Set(x, y, c)
			c.A = uint8(x * 5)
			nrgba64.Set(x, y, c)
			rgba64.Set(x, y, c)
			pal.SetColorIndex(x, y, uint8((x/12+y/8)%4))
		}
	}
	imgs = append(imgs, base, gray, gray16, nrgba64, rgba64, pal)
	for _, m := range imgs {
		name := fmt.Sprintf("%T", m)
		var buf bytes.Buffer
		if err := png.Encode(&buf, m); err != nil {
			t.Fatal(err)
		}
		res := mustConvert(t, buf.Bytes(), &Options{Mode: Lossless, MinSaving: always()})
		out := decodeOut(t, res.WebP)
		ref, _ := png.Decode(bytes.NewReader(buf.Bytes()))
		for y := 0; y < 32; y++ {
			for x := 0; x < 48; x++ {
				want := color.NRGBAModel.Convert(ref.At(x, y)).(color.NRGBA)
				got := out.NRGBAAt(x, y)
				if want.A == 0 {
					if got.A != 0 {
						t.Fatalf("%s: %d,%d: %v, want transparent", name, x, y, got)
					}
					continue
				}
				if !near(got, want, 1) {
					t.Fatalf("%s: %d,%d: %v, want %v", name, x, y, got, want)
				}
			}
		}
	}
}

func TestWebPInput(t *testing.T) {
	// A lossless WebP of a graphic, re-encoded.
	ll, err := webp.EncodeLosslessRGBA(quadrants(64, 64))
	if err != nil {
		t.Fatal(err)
	}
	res := mustConvert(t, ll, &Options{MinSaving: always()})
	if res.Format != WebP || res.Action != Converted || !res.Lossless {
		t.Errorf("lossless WebP input: %+v", res)
	}
	if got := decodeOut(t, res.WebP).NRGBAAt(60, 60); got != (color.NRGBA{255, 255, 255, 255}) {
		t.Errorf("bottom right %v", got)
	}
	// An animated PNG (APNG) is kept, never flattened.
	apng := encodePNG(t, quadrants(16, 16), pngChunk{"acTL", []byte{0, 0, 0, 2, 0, 0, 0, 0}})
	if res := mustConvert(t, apng, &Options{MinSaving: always()}); res.Action != Kept || !strings.Contains(res.Reason, "animated PNG") {
		t.Errorf("APNG: %s %q", res.Action, res.Reason)
	}
	// An animated WebP is kept, never flattened.
	anim := mustConvert(t, animatedGIF(t, 4), &Options{MinSaving: always()})
	res = mustConvert(t, anim.WebP, &Options{MinSaving: always()})
	if res.Action != Kept || !strings.Contains(res.Reason, "animated") {
		t.Errorf("animated WebP input: %s %q", res.Action, res.Reason)
	}
}

// TestGrayProfileCorpus: page.png carries a grey "Dot Gain 20%" profile,
// which cannot go into an RGB WebP: its tone curve is applied instead, so
// the page's grey levels look as they did.
func TestGrayProfileCorpus(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpus(t), "good", "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	lut, ok := grayToSRGB(pngMetadata(src).icc)
	if !ok {
		t.Fatal("page.png's profile has no grey tone curve")
	}
	res := mustConvert(t, src, &Options{Mode: Lossless, MinSaving: always()})
	if !strings.HasPrefix(res.ICC, "converted to sRGB") {
		t.Fatalf("ICC %q", res.ICC)
	}
	m, err := decode(PNG, src)
	if err != nil {
		t.Fatal(err)
	}
	out := decodeOut(t, res.WebP)
	g := m.(*image.Gray)
	for i, v := range g.Pix[:5000] {
		x, y := i%g.Stride, i/g.Stride
		if got := out.NRGBAAt(x, y); got.R != lut[v] || got.G != lut[v] || got.B != lut[v] {
			t.Fatalf("%d,%d: grey %d became %v, want %d", x, y, v, got, lut[v])
		}
	}
	t.Logf("Dot Gain 20%%: grey 64 -> %d, 128 -> %d, 192 -> %d", lut[64], lut[128], lut[192])
}
