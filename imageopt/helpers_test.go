package imageopt

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// inCI reports whether the tests run in CI, where a missing tool or corpus
// is a failure instead of a skip.
func inCI() bool { return os.Getenv("CI") != "" }

// skipOrFail skips the test, or fails it in CI.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if inCI() {
		t.Fatalf(format+" (CI is set, so this is a failure)", args...)
	}
	t.Skipf(format, args...)
}

// requireTool returns the path of a command-line tool, or skips the test
// (fails in CI) when it is missing.
func requireTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, "%s not found: install %s", name, pkg)
	}
	return p
}

var (
	corpusOnce sync.Once
	corpusDir  string
	corpusErr  error
)

// corpus returns the folder made by ../shared/corpus/fetch-images.sh (with
// good/ and bad/ inside), fetching it into the user's cache on first use.
// POSTUREKIT_IMAGE_CORPUS names a ready folder instead. The test is
// skipped (failed in CI) when the corpus cannot be had.
func corpus(t testing.TB) string {
	t.Helper()
	corpusOnce.Do(func() {
		if d := os.Getenv("POSTUREKIT_IMAGE_CORPUS"); d != "" {
			corpusDir = d
			return
		}
		script, err := findUp("../shared/corpus/fetch-images.sh")
		if err != nil {
			corpusErr = err
			return
		}
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir := filepath.Join(cache, "posturekit", "image-corpus")
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			corpusErr = err
			return
		}
		out, err := exec.Command("bash", script, dir).CombinedOutput()
		if err != nil {
			corpusErr = fmt.Errorf("%s: %v\n%s", script, err, out)
			return
		}
		corpusDir = dir
	})
	if corpusErr != nil {
		skipOrFail(t, "no image corpus: %v", corpusErr)
	}
	return corpusDir
}

// findUp finds rel from the current folder or one of its parents.
func findUp(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s not found above the package", rel)
		}
		dir = parent
	}
}

// corpusFiles lists the files of corpus/sub.
func corpusFiles(t testing.TB, sub string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpus(t), sub, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in the corpus's %s/: %v", sub, err)
	}
	return files
}

// dwebp decodes a WebP file with Debian's dwebp (not the libwebp this
// package links) into straight RGBA.
func dwebp(t testing.TB, webpFile string) *image.NRGBA {
	t.Helper()
	bin := requireTool(t, "dwebp", "Debian's webp package (apt-get install webp)")
	pam := filepath.Join(t.TempDir(), "out.pam")
	if out, err := exec.Command(bin, "-quiet", "-pam", webpFile, "-o", pam).CombinedOutput(); err != nil {
		t.Fatalf("dwebp %s: %v\n%s", webpFile, err, out)
	}
	m, err := readPAM(pam)
	if err != nil {
		t.Fatalf("reading dwebp's output: %v", err)
	}
	return m
}

// dwebpBytes writes b to a file and decodes it with dwebp.
func dwebpBytes(t testing.TB, b []byte) *image.NRGBA {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.webp")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dwebp(t, p)
}

// readPAM reads the RGB_ALPHA PAM file that dwebp -pam writes.
func readPAM(path string) (*image.NRGBA, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	hdr := map[string]string{}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimSpace(line)
		if line == "ENDHDR" {
			break
		}
		k, v, _ := strings.Cut(line, " ")
		hdr[k] = v
	}
	w, _ := strconv.Atoi(hdr["WIDTH"])
	h, _ := strconv.Atoi(hdr["HEIGHT"])
	if hdr["DEPTH"] != "4" || hdr["MAXVAL"] != "255" || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("unexpected PAM header %v", hdr)
	}
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	if _, err := ioReadFull(r, m.Pix); err != nil {
		return nil, err
	}
	return m, nil
}

func ioReadFull(r *bufio.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		k, err := r.Read(b[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// quadrants returns a w x h image whose four quadrants are red (top
// left), green (top right), blue (bottom left) and white (bottom right).
func quadrants(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c color.NRGBA
			switch {
			case x < w/2 && y < h/2:
				c = color.NRGBA{255, 0, 0, 255}
			case y < h/2:
				c = color.NRGBA{0, 255, 0, 255}
			case x < w/2:
				c = color.NRGBA{0, 0, 255, 255}
			default:
				c = color.NRGBA{255, 255, 255, 255}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

// encodeJPEG encodes m as a JPEG at quality 95 and inserts the given APP
// segments (marker, payload) after SOI.
func encodeJPEG(t testing.TB, m image.Image, segs ...jpegSegment) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	out := append([]byte{}, b[:2]...)
	for _, s := range segs {
		out = append(out, 0xff, s.marker)
		out = binary.BigEndian.AppendUint16(out, uint16(len(s.data)+2))
		out = append(out, s.data...)
	}
	return append(out, b[2:]...)
}

type jpegSegment struct {
	marker byte
	data   []byte
}

// exifSegment returns an APP1 Exif segment holding IFD0 with the given
// orientation (0: no orientation tag), in little- or big-endian TIFF.
func exifSegment(orientation int, bigEndian bool) jpegSegment {
	return jpegSegment{0xe1, append([]byte("Exif\x00\x00"), tiffWithOrientation(orientation, bigEndian)...)}
}

// tiffWithOrientation builds a small TIFF structure: IFD0 with an
// ImageDescription (0x010e) and, unless orientation is 0, Orientation.
func tiffWithOrientation(orientation int, bigEndian bool) []byte {
	var bo interface {
		binary.ByteOrder
		binary.AppendByteOrder
	} = binary.LittleEndian
	b := []byte("II*\x00")
	if bigEndian {
		bo = binary.BigEndian
		b = []byte("MM\x00*")
	}
	b = bo.AppendUint32(b, 8)
	n := 1
	if orientation != 0 {
		n = 2
	}
	b = bo.AppendUint16(b, uint16(n))
	// ImageDescription, ASCII, 4 bytes inline: "GPS" (stands for private data).
	b = bo.AppendUint16(b, 0x010e)
	b = bo.AppendUint16(b, 2)
	b = bo.AppendUint32(b, 4)
	b = append(b, 'G', 'P', 'S', 0)
	if orientation != 0 {
		b = bo.AppendUint16(b, 0x0112)
		b = bo.AppendUint16(b, 3)
		b = bo.AppendUint32(b, 1)
		b = bo.AppendUint16(b, uint16(orientation))
		b = bo.AppendUint16(b, 0)
	}
	return bo.AppendUint32(b, 0) // no next IFD
}

// xmpSegment returns an APP1 XMP segment.
func xmpSegment(packet string) jpegSegment {
	return jpegSegment{0xe1, append([]byte("http://ns.adobe.com/xap/1.0/\x00"), packet...)}
}

// iccSegments splits an ICC profile into APP2 chunks of at most n bytes.
func iccSegments(profile []byte, n int) []jpegSegment {
	var chunks [][]byte
	for len(profile) > 0 {
		k := min(n, len(profile))
		chunks = append(chunks, profile[:k])
		profile = profile[k:]
	}
	var segs []jpegSegment
	for i, c := range chunks {
		d := append([]byte("ICC_PROFILE\x00"), byte(i+1), byte(len(chunks)))
		segs = append(segs, jpegSegment{0xe2, append(d, c...)})
	}
	return segs
}

// testICC builds a minimal ICC profile (header, tag table, a v2 desc tag)
// of the given colour space ("RGB ", "GRAY") and description.
func testICC(space, desc string) []byte {
	descTag := []byte("desc\x00\x00\x00\x00")
	descTag = binary.BigEndian.AppendUint32(descTag, uint32(len(desc)+1))
	descTag = append(descTag, desc...)
	descTag = append(descTag, 0)
	descTag = append(descTag, make([]byte, 12+67)...) // unicode and scriptcode parts, empty
	for len(descTag)%4 != 0 {
		descTag = append(descTag, 0)
	}
	// A wtpt tag too, so that the table has more than one entry.
	wtpt := []byte("XYZ \x00\x00\x00\x00\x00\x00\xf6\xd6\x00\x01\x00\x00\x00\x00\xd3\x2d")
	hdr := make([]byte, 128)
	copy(hdr[4:], "test")
	hdr[8] = 2 // version 2.1
	hdr[9] = 0x10
	copy(hdr[12:], "mntr")
	copy(hdr[16:], space)
	copy(hdr[20:], "XYZ ")
	copy(hdr[36:], "acsp")
	table := binary.BigEndian.AppendUint32(nil, 2)
	off := 128 + 4 + 2*12
	table = append(table, "wtpt"...)
	table = binary.BigEndian.AppendUint32(table, uint32(off))
	table = binary.BigEndian.AppendUint32(table, uint32(len(wtpt)))
	table = append(table, "desc"...)
	table = binary.BigEndian.AppendUint32(table, uint32(off+len(wtpt)))
	table = binary.BigEndian.AppendUint32(table, uint32(len(descTag)))
	p := append(append(append(hdr, table...), wtpt...), descTag...)
	binary.BigEndian.PutUint32(p[0:], uint32(len(p)))
	return p
}

// encodePNG encodes m as PNG and inserts the given chunks after IHDR.
func encodePNG(t testing.TB, m image.Image, chunks ...pngChunk) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, b[:ihdrEnd]...)
	for _, c := range chunks {
		out = appendPNGChunk(out, c.kind, c.data)
	}
	return append(out, b[ihdrEnd:]...)
}

type pngChunk struct {
	kind string
	data []byte
}

func appendPNGChunk(b []byte, kind string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, kind...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(kind), data...)))
}

// animatedGIF builds a 20 x 10 GIF of n frames (n >= 1) that exercises
// what compositing must get right: frames smaller than the canvas at odd
// offsets, a transparent index, and each disposal method in turn.
func animatedGIF(t testing.TB, n int) []byte {
	t.Helper()
	pal := color.Palette{
		color.RGBA{0, 0, 0, 0}, // transparent
		color.RGBA{255, 0, 0, 255},
		color.RGBA{0, 128, 255, 255},
		color.RGBA{250, 250, 0, 255},
		color.RGBA{20, 20, 20, 255},
	}
	g := &gif.GIF{Config: image.Config{Width: 20, Height: 10, ColorModel: pal}, LoopCount: 0}
	disposals := []byte{gif.DisposalNone, gif.DisposalBackground, gif.DisposalPrevious, 0}
	for i := range n {
		var r image.Rectangle
		if i == 0 {
			r = image.Rect(0, 0, 20, 10)
		} else {
			x, y := (3*i)%13+1, i%5+1 // odd offsets
			r = image.Rect(x, y, x+7, y+4)
		}
		fr := image.NewPaletted(r, pal)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				idx := uint8(1 + (x+y+i)%4)
				if i > 0 && (x+y)%3 == 0 {
					idx = 0 // holes show what is below
				}
				fr.SetColorIndex(x, y, idx)
			}
		}
		g.Image = append(g.Image, fr)
		g.Delay = append(g.Delay, 5+i)
		g.Disposal = append(g.Disposal, disposals[i%len(disposals)])
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zlibWriter(w *bytes.Buffer) *zlib.Writer { return zlib.NewWriter(w) }

// near reports whether two colours are within tol on each channel.
func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}
