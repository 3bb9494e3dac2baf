package imageopt

import (
	"image"
	"image/color"
	"testing"
)

// TestOrientRaster turns a 3 x 2 raster "abc/def" every way.
func TestOrientRaster(t *testing.T) {
	want := map[int][]string{
		1: {"abc", "def"},
		2: {"cba", "fed"},
		3: {"fed", "cba"},
		4: {"def", "abc"},
		5: {"ad", "be", "cf"},
		6: {"da", "eb", "fc"},
		7: {"fc", "eb", "da"},
		8: {"cf", "be", "ad"},
	}
	for _, bpp := range []int{1, 3, 4} {
		src := newRaster(3, 2, bpp)
		for i, c := range "abcdef" {
			for k := range bpp {
				src.pix[i*bpp+k] = byte(c)
			}
		}
		for o, rows := range want {
			d := orient(src, o)
			if d.w != len(rows[0]) || d.h != len(rows) {
				t.Errorf("bpp %d orientation %d: %dx%d", bpp, o, d.w, d.h)
				continue
			}
			for y, row := range rows {
				for x := range row {
					for k := range bpp {
						if got := d.pix[y*d.stride+x*bpp+k]; got != row[x] {
							t.Errorf("bpp %d orientation %d: (%d,%d) = %c, want %c", bpp, o, x, y, got, row[x])
						}
					}
				}
			}
		}
	}
}

func TestYCbCrToRGB(t *testing.T) {
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		m := image.NewYCbCr(image.Rect(0, 0, 37, 23), ratio)
		for i := range m.Y {
			m.Y[i] = uint8(i * 7)
		}
		// Smooth chroma: upsampled values stay close to Go's nearest
		// sample.
		for i := range m.Cb {
			m.Cb[i] = uint8(100 + i%m.CStride)
			m.Cr[i] = uint8(150 - i/m.CStride)
		}
		r := ycbcrToRGB(m)
		for y := 0; y < 23; y++ {
			for x := 0; x < 37; x++ {
				want := color.RGBAModel.Convert(m.At(x, y)).(color.RGBA)
				got := color.RGBA{r.pix[y*r.stride+3*x], r.pix[y*r.stride+3*x+1], r.pix[y*r.stride+3*x+2], 255}
				if !near(color.NRGBA(got), color.NRGBA(want), 6) {
					t.Fatalf("%v at %d,%d: %v, want about %v", ratio, x, y, got, want)
				}
			}
		}
		// A sub-image starting at odd coordinates.
		sub := m.SubImage(image.Rect(3, 5, 20, 17)).(*image.YCbCr)
		rs := ycbcrToRGB(sub)
		if rs.w != 17 || rs.h != 12 {
			t.Fatalf("sub-image %dx%d", rs.w, rs.h)
		}
		if got, want := rs.pix[0:3], r.pix[5*r.stride+3*3:5*r.stride+3*3+3]; ratio == image.YCbCrSubsampleRatio444 && string(got) != string(want) {
			t.Errorf("sub-image's first pixel %v, want %v", got, want)
		}
	}
	// Flat chroma: exactly libjpeg's conversion, whatever the filter.
	m := image.NewYCbCr(image.Rect(0, 0, 8, 8), image.YCbCrSubsampleRatio420)
	for i := range m.Y {
		m.Y[i] = 128
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = 90, 200
	}
	r := ycbcrToRGB(m)
	// R = 128 + 1.402*72 = 228.9; G = 128 - 0.34414*-38 - 0.71414*72 = 89.6;
	// B = 128 + 1.772*-38 = 60.7 (libjpeg rounds).
	if got := r.pix[:3]; got[0] != 229 || got[1] != 90 || got[2] != 61 {
		t.Errorf("got %v, want [229 90 61]", got)
	}
}

func TestUnpremultiply(t *testing.T) {
	r := &raster{pix: []byte{128, 64, 0, 128, 10, 20, 30, 0, 1, 2, 3, 255, 255, 255, 255, 255}, w: 4, h: 1, stride: 16, bpp: 4}
	unpremultiply(r)
	want := []byte{255, 128, 0, 128, 0, 0, 0, 0, 1, 2, 3, 255, 255, 255, 255, 255}
	if string(r.pix) != string(want) {
		t.Errorf("got %v, want %v", r.pix, want)
	}
}

func TestToRasterZeroCopy(t *testing.T) {
	n := image.NewNRGBA(image.Rect(0, 0, 10, 10))
	for i := range n.Pix {
		n.Pix[i] = 0xff
	}
	if r := toRaster(n); !r.sharesDecoded || &r.pix[0] != &n.Pix[0] || r.hasAlpha {
		t.Errorf("NRGBA was copied or misread: %+v", r)
	}
	g := image.NewGray(image.Rect(0, 0, 10, 10))
	if r := toRaster(g); !r.sharesDecoded || r.bpp != 1 {
		t.Errorf("Gray was copied")
	}
	// A sub-image: the raster starts at its first pixel.
	n.Pix[n.PixOffset(2, 3)] = 7
	sub := n.SubImage(image.Rect(2, 3, 6, 8))
	if r := toRaster(sub); r.w != 4 || r.h != 5 || r.pix[0] != 7 {
		t.Errorf("sub-image: %dx%d, first byte %d", r.w, r.h, r.pix[0])
	}
	// Opaque RGBA is passed as it is; premultiplied RGBA is divided.
	rgba := image.NewRGBA(image.Rect(0, 0, 2, 1))
	copy(rgba.Pix, []byte{100, 50, 0, 255, 64, 32, 0, 128})
	r := toRaster(rgba)
	if !r.hasAlpha || r.pix[4] != 128 || r.pix[5] != 64 {
		t.Errorf("premultiplied RGBA: %v", r.pix)
	}
}

func TestCountColors(t *testing.T) {
	r := newRaster(100, 100, 3)
	if n := countColors(r, 256); n != 1 {
		t.Errorf("black image: %d colours", n)
	}
	for k := range 100 * 100 {
		r.pix[3*k], r.pix[3*k+1] = byte(k), byte(k>>8)
	}
	if n := countColors(r, 256); n != 257 {
		t.Errorf("noisy image: %d, want the count to stop at 257", n)
	}
	g := newRaster(16, 16, 1)
	for i := range g.pix {
		g.pix[i] = byte(i % 10)
	}
	if n := countColors(g, 16); n != 10 || !isGraphic(g) {
		t.Errorf("10 grey levels: %d colours, graphic %v", n, isGraphic(g))
	}
}

func TestPalettedOutOfRange(t *testing.T) {
	p := image.NewPaletted(image.Rect(0, 0, 2, 1), color.Palette{color.NRGBA{1, 2, 3, 255}})
	p.Pix[1] = 5 // no such entry
	r := palettedToRaster(p)
	if r.bpp != 4 || !r.hasAlpha || string(r.pix) != "\x01\x02\x03\xff\x00\x00\x00\x00" {
		t.Errorf("got bpp %d %v", r.bpp, r.pix)
	}
}

func TestFit(t *testing.T) {
	for _, c := range []struct {
		w, h, mw, mh, fw, fh int
	}{
		{400, 300, 0, 0, 400, 300},
		{400, 300, 100, 0, 100, 75},
		{400, 300, 0, 100, 133, 100},
		{400, 300, 500, 500, 400, 300},
		{10000, 1, 100, 0, 100, 1},
		{1, 10000, 0, 100, 1, 100},
		{3, 3, 1, 1, 1, 1},
	} {
		fw, fh := fit(c.w, c.h, &Options{MaxWidth: c.mw, MaxHeight: c.mh})
		if fw != c.fw || fh != c.fh {
			t.Errorf("fit %dx%d in %dx%d: %dx%d, want %dx%d", c.w, c.h, c.mw, c.mh, fw, fh, c.fw, c.fh)
		}
	}
}
