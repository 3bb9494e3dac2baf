//go:build cgo

package imageopt_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"github.com/posturekit/posturekit/imageopt"
)

// pngOf returns a PNG of a 300 x 200 picture: a gradient sky with the
// grain of a photograph.
func pngOf() []byte {
	m := image.NewNRGBA(image.Rect(0, 0, 300, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 300; x++ {
			grain := uint8((x*7919 ^ y*104729) % 23)
			m.SetNRGBA(x, y, color.NRGBA{uint8(x*200/300) + grain, 100 + uint8(y/2) + grain, 200 + grain, 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, m)
	return buf.Bytes()
}

func ExampleConvert() {
	res, err := imageopt.Convert(pngOf(), &imageopt.Options{MaxWidth: 150})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Action, res.Format, res.Width, res.Height, res.BytesOut < res.BytesIn)
	// Output: converted png 150 100 true
}

func ExampleConvertTree() {
	site, err := os.MkdirTemp("", "site")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(site)
	os.WriteFile(filepath.Join(site, "hero.png"), pngOf(), 0o644)
	os.WriteFile(filepath.Join(site, "broken.jpg"), []byte("not a JPEG"), 0o644)

	for run := 1; run <= 2; run++ {
		rep, err := imageopt.ConvertTree(context.Background(), []string{site}, &imageopt.TreeOptions{Jobs: 2})
		if err != nil {
			log.Fatal(err)
		}
		for _, f := range rep.Files {
			fmt.Println(run, filepath.Base(f.Source), f.Action, filepath.Base(f.Output))
		}
		fmt.Println(run, "encoded:", rep.Summary.Encoded)
	}
	// Output:
	// 1 broken.jpg failed .
	// 1 hero.png converted hero.webp
	// 1 encoded: 1
	// 2 broken.jpg failed .
	// 2 hero.png skipped hero.webp
	// 2 encoded: 0
}
