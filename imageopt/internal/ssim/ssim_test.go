package ssim

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

func gradient(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 0xff})
		}
	}
	return m
}

func TestLuma(t *testing.T) {
	a := gradient(64, 48)
	if s, err := Luma(a, a); err != nil || s < 0.999999 {
		t.Errorf("SSIM of an image with itself = %v, %v; want 1", s, err)
	}
	// Noise lowers it, more noise lowers it more.
	noisy := func(amp int) *image.NRGBA {
		r := rand.New(rand.NewPCG(1, 2))
		n := image.NewNRGBA(a.Rect)
		copy(n.Pix, a.Pix)
		for i := range n.Pix {
			if i%4 != 3 {
				n.Pix[i] = uint8(max(0, min(255, int(n.Pix[i])+r.IntN(2*amp+1)-amp)))
			}
		}
		return n
	}
	s1, _ := Luma(a, noisy(4))
	s2, _ := Luma(a, noisy(40))
	if !(s1 < 1 && s2 < s1 && s2 > 0) {
		t.Errorf("SSIM with noise 4 = %v, with noise 40 = %v: want 1 > first > second > 0", s1, s2)
	}
	if _, err := Luma(a, gradient(10, 10)); err == nil {
		t.Error("no error for images of different sizes")
	}
	// A fully transparent image is white.
	transparent := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	white := image.NewGray(transparent.Rect)
	for i := range white.Pix {
		white.Pix[i] = 0xff
	}
	if s, _ := Luma(transparent, white); s < 0.999999 {
		t.Errorf("transparent against white = %v, want 1", s)
	}
	// Tiny images are one window.
	if s, _ := Luma(gradient(3, 2), gradient(3, 2)); s < 0.999999 {
		t.Errorf("tiny image with itself = %v", s)
	}
}

func BenchmarkLuma(b *testing.B) {
	a, c := gradient(512, 512), gradient(512, 512)
	c.Pix[1000]++
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Luma(a, c); err != nil {
			b.Fatal(err)
		}
	}
}
