// Package ssim measures how alike two images look with the structural
// similarity index (SSIM; Wang, Bovik, Sheikh and Simoncelli, "Image
// quality assessment: from error visibility to structural similarity",
// IEEE Transactions on Image Processing, 2004) on luma: 1 for identical
// images, about 0.95 and above for a good lossy encoding of a photograph.
//
// Windows are 8x8 pixels, every 4 pixels, with the paper's constants
// (K1 0.01, K2 0.03, L 255); the result is the mean over all windows.
// Transparent images are composited over white first, as most pages show
// them. It serves the tests and the benchmark of package imageopt, which
// compare posturekit with cwebp and sharp through the same measure.
package ssim

import (
	"fmt"
	"image"
)

const (
	window = 8
	step   = 4
	c1     = (0.01 * 255) * (0.01 * 255)
	c2     = (0.03 * 255) * (0.03 * 255)
)

// Luma returns the mean SSIM of the luma of a and b, which must be of one
// size.
func Luma(a, b image.Image) (float64, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 0, fmt.Errorf("ssim: sizes differ: %v and %v", a.Bounds().Size(), b.Bounds().Size())
	}
	ya, yb := luma(a), luma(b)
	w, h := a.Bounds().Dx(), a.Bounds().Dy()
	if w < window || h < window {
		// Too small for a window: one window over everything.
		return windowSSIM(ya, yb, w, 0, 0, w, h), nil
	}
	var sum float64
	n := 0
	for y := 0; y+window <= h; y += step {
		for x := 0; x+window <= w; x += step {
			sum += windowSSIM(ya, yb, w, x, y, window, window)
			n++
		}
	}
	return sum / float64(n), nil
}

func windowSSIM(a, b []float64, stride, x0, y0, w, h int) float64 {
	var sa, sb, saa, sbb, sab float64
	for y := y0; y < y0+h; y++ {
		for x := x0; x < x0+w; x++ {
			va, vb := a[y*stride+x], b[y*stride+x]
			sa += va
			sb += vb
			saa += va * va
			sbb += vb * vb
			sab += va * vb
		}
	}
	n := float64(w * h)
	ma, mb := sa/n, sb/n
	va := saa/n - ma*ma
	vb := sbb/n - mb*mb
	cov := sab/n - ma*mb
	return (2*ma*mb + c1) * (2*cov + c2) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
}

// luma returns Rec. 601 luma, 0 to 255, of m composited over white.
func luma(m image.Image) []float64 {
	b := m.Bounds()
	out := make([]float64, 0, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := m.At(x, y).RGBA() // premultiplied, 16 bits
			white := float64(0xffff - a)
			rf, gf, bf := float64(r)+white, float64(g)+white, float64(bl)+white
			out = append(out, (0.299*rf+0.587*gf+0.114*bf)/257)
		}
	}
	return out
}
