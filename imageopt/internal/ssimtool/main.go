// Command ssimtool measures WebP files against their sources for
// bench/webp.sh, the same way for every tool: each line of standard input
// is "SOURCE<TAB>WEBP"; the source is decoded by Go's image packages, the
// WebP by Debian's dwebp (a decoder none of the compared tools links), and
// the luma SSIM of the pair printed, then the mean.
//
// With -pixels FILE..., it prints instead the corpus's size in pixels and
// its largest image, which bounds the memory of each worker. With -make W
// H FILE, it writes a W x H JPEG with the grain of a photograph, to
// measure memory on a large image.
package main

import (
	"bufio"
	"fmt"
	"image"
	_ "image/gif"
	"image/jpeg"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/posturekit/posturekit/imageopt/internal/ssim"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-pixels" {
		pixels(os.Args[2:])
		return
	}
	if len(os.Args) == 5 && os.Args[1] == "-make" {
		w, _ := strconv.Atoi(os.Args[2])
		h, _ := strconv.Atoi(os.Args[3])
		makeJPEG(w, h, os.Args[4])
		return
	}
	tmp, err := os.MkdirTemp("", "ssimtool")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	sc := bufio.NewScanner(os.Stdin)
	var sum float64
	n := 0
	for sc.Scan() {
		src, webp, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		a, err := decodeFile(src)
		if err != nil {
			fail(err)
		}
		pam := filepath.Join(tmp, "out.pam")
		if out, err := exec.Command("dwebp", "-quiet", "-pam", webp, "-o", pam).CombinedOutput(); err != nil {
			fail(fmt.Errorf("dwebp %s: %v: %s", webp, err, out))
		}
		b, err := readPAM(pam)
		if err != nil {
			fail(err)
		}
		s, err := ssim.Luma(a, b)
		if err != nil {
			fail(fmt.Errorf("%s: %v", src, err))
		}
		fmt.Printf("%s\t%.4f\n", filepath.Base(src), s)
		sum += s
		n++
	}
	if n > 0 {
		fmt.Printf("mean\t%.4f\t%d\n", sum/float64(n), n)
	}
}

func pixels(files []string) {
	var total, largest int
	var lw, lh int
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			fail(err)
		}
		c, _, err := image.DecodeConfig(f)
		f.Close()
		if err != nil {
			fail(fmt.Errorf("%s: %v", p, err))
		}
		n := c.Width * c.Height
		total += n
		if n > largest {
			largest, lw, lh = n, c.Width, c.Height
		}
	}
	fmt.Printf("%.1f MP, the largest %d x %d (%.2f MP)\n", float64(total)/1e6, lw, lh, float64(largest)/1e6)
}

func makeJPEG(w, h int, path string) {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Y[y*m.YStride+x] = uint8(x*200/w + (x*7919^y*104729)%29)
		}
	}
	for y := 0; y < (h+1)/2; y++ {
		for x := 0; x < (w+1)/2; x++ {
			m.Cb[y*m.CStride+x] = uint8(90 + 60*y/h)
			m.Cr[y*m.CStride+x] = uint8(160 - 60*x/w)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	if err := jpeg.Encode(f, m, &jpeg.Options{Quality: 90}); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ssimtool:", err)
	os.Exit(1)
}

func decodeFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return m, nil
}

// readPAM reads the RGB_ALPHA PAM file that dwebp -pam writes.
func readPAM(path string) (*image.NRGBA, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	hdr, pix, ok := strings.Cut(string(b), "ENDHDR\n")
	if !ok {
		return nil, fmt.Errorf("%s: not a PAM file", path)
	}
	var w, h int
	for _, line := range strings.Split(hdr, "\n") {
		k, v, _ := strings.Cut(line, " ")
		switch k {
		case "WIDTH":
			w, _ = strconv.Atoi(v)
		case "HEIGHT":
			h, _ = strconv.Atoi(v)
		case "DEPTH":
			if v != "4" {
				return nil, fmt.Errorf("%s: depth %s", path, v)
			}
		}
	}
	if w <= 0 || h <= 0 || len(pix) != 4*w*h {
		return nil, fmt.Errorf("%s: bad PAM size", path)
	}
	return &image.NRGBA{Pix: []byte(pix), Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}, nil
}
