//go:build cgo

package imageopt

import (
	"bytes"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"github.com/chai2010/webp"
)

// photo returns a w x h image with smooth gradients and grain, which
// compresses like a photograph.
func photo(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := uint8((x*7919 ^ y*104729) % 29)
			m.SetNRGBA(x, y, color.NRGBA{uint8(x*200/w) + g, uint8(y*200/h) + g, uint8((x+y)*100/(w+h)) + g, 255})
		}
	}
	return m
}

// BenchmarkConvert converts a 1 MP JPEG and PNG with the defaults.
func BenchmarkConvert(b *testing.B) {
	m := photo(1024, 1024)
	for _, c := range []struct {
		name string
		src  []byte
	}{{"jpeg", encodeJPEG(b, m)}, {"png", encodePNG(b, m)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.src)))
			for b.Loop() {
				if _, err := Convert(c.src, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodePath compares this package's path from a decoded image to
// the WebP with the naive chai2010/webp call (which converts pixel by
// pixel through At and premultiplies NRGBA).
func BenchmarkEncodePath(b *testing.B) {
	jpg, err := decode(JPEG, encodeJPEG(b, photo(1024, 1024)))
	if err != nil {
		b.Fatal(err)
	}
	nrgba := photo(1024, 1024)
	for _, c := range []struct {
		name string
		m    image.Image
	}{{"ycbcr", jpg}, {"nrgba", nrgba}} {
		b.Run("impl=posturekit/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := encodeRaster(toRaster(c.m), false, DefaultQuality); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("impl=naive/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := webp.Encode(&buf, c.m, &webp.Options{Quality: DefaultQuality}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCorpus converts every good file of the corpus once per
// iteration, one after the other.
func BenchmarkCorpus(b *testing.B) {
	var srcs [][]byte
	for _, f := range corpusFiles(b, "good") {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if _, err := Convert(src, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkYCbCrToRGB(b *testing.B) {
	m, err := decode(JPEG, encodeJPEG(b, photo(1024, 1024)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ycbcrToRGB(m.(*image.YCbCr))
	}
}

func BenchmarkOrient(b *testing.B) {
	r := toRaster(photo(1024, 768))
	b.ReportAllocs()
	for b.Loop() {
		orient(r, 6)
	}
}

func BenchmarkMetadata(b *testing.B) {
	segs := append([]jpegSegment{exifSegment(6, false), xmpSegment("<x/>")}, iccSegments(testICC("RGB ", "P3"), 100)...)
	src := encodeJPEG(b, photo(64, 64), segs...)
	b.ReportAllocs()
	for b.Loop() {
		m := jpegMetadata(src)
		exifOrientation(m.exif)
		parseICC(m.icc)
	}
}

func BenchmarkTreeUnchanged(b *testing.B) {
	site := b.TempDir()
	for i := range 20 {
		os.WriteFile(filepath.Join(site, string(rune('a'+i))+".png"), encodePNG(b, photo(200, 150)), 0o644)
	}
	opt := &TreeOptions{Jobs: 2}
	if _, err := ConvertTree(b.Context(), []string{site}, opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := ConvertTree(b.Context(), []string{site}, opt)
		if err != nil || rep.Summary.Encoded != 0 {
			b.Fatal(err, rep.Summary)
		}
	}
}
