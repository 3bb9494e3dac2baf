//go:build cgo

package imageopt

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chai2010/webp"
)

// playedFrame is a frame as a viewer shows it: the whole canvas, and for
// how long.
type playedFrame struct {
	canvas *image.NRGBA
	ms     int
}

// playWebP plays an animated WebP made by this package: it checks the
// container, decodes each ANMF frame with libwebp and draws it (no
// blending, no disposal) on the canvas.
func playWebP(t *testing.T, b []byte) (frames []playedFrame, loops int) {
	t.Helper()
	cs := riffChunks(b)
	if len(cs) < 3 || cs[0].fourcc != "VP8X" || cs[1].fourcc != "ANIM" {
		t.Fatalf("not an animated WebP: chunks %v", fourccs(cs))
	}
	if binary.LittleEndian.Uint32(b[4:]) != uint32(len(b)-8) {
		t.Fatalf("RIFF size %d for %d bytes", binary.LittleEndian.Uint32(b[4:]), len(b))
	}
	vp8x := cs[0].data
	if vp8x[0]&vp8xAnimation == 0 {
		t.Fatalf("VP8X without the animation flag")
	}
	w, h := int(uint24(vp8x[4:]))+1, int(uint24(vp8x[7:]))+1
	loops = int(binary.LittleEndian.Uint16(cs[1].data[4:]))
	canvas := image.NewNRGBA(image.Rect(0, 0, w, h))
	for _, c := range cs[2:] {
		if c.fourcc != "ANMF" {
			t.Fatalf("unexpected chunk %q", c.fourcc)
		}
		d := c.data
		x, y := 2*int(uint24(d)), 2*int(uint24(d[3:]))
		fw, fh := int(uint24(d[6:]))+1, int(uint24(d[9:]))+1
		ms := int(uint24(d[12:]))
		if d[15] != 0x02 {
			t.Fatalf("frame flags %#x, want no blending, no disposal", d[15])
		}
		if x+fw > w || y+fh > h {
			t.Fatalf("frame %dx%d at %d,%d outside the %dx%d canvas", fw, fh, x, y, w, h)
		}
		payload := d[16:]
		still := []byte("RIFF\x00\x00\x00\x00WEBP")
		if bytes.HasPrefix(payload, []byte("ALPH")) {
			x := []byte{vp8xAlpha, 0, 0, 0}
			x = appendUint24(x, fw-1)
			x = appendUint24(x, fh-1)
			still = appendChunk(still, "VP8X", x)
		}
		still = append(still, payload...)
		binary.LittleEndian.PutUint32(still[4:], uint32(len(still)-8))
		m, err := webp.DecodeRGBA(still)
		if err != nil {
			t.Fatalf("frame %d: %v", len(frames), err)
		}
		if m.Rect.Dx() != fw || m.Rect.Dy() != fh {
			t.Fatalf("frame %d: bitstream %v, ANMF says %dx%d", len(frames), m.Rect.Size(), fw, fh)
		}
		for j := 0; j < fh; j++ {
			copy(canvas.Pix[canvas.PixOffset(x, y+j):][:4*fw], m.Pix[j*m.Stride:])
		}
		snap := image.NewNRGBA(canvas.Rect)
		copy(snap.Pix, canvas.Pix)
		frames = append(frames, playedFrame{snap, ms})
	}
	return frames, loops
}

func uint24(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 }

func fourccs(cs []chunk) []string {
	var s []string
	for _, c := range cs {
		s = append(s, c.fourcc)
	}
	return s
}

// playGIF plays a GIF as a browser does, merging frames that change
// nothing into the one before.
func playGIF(t *testing.T, b []byte) []playedFrame {
	t.Helper()
	g, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var frames []playedFrame
	gifCanvases(g, func(c *image.NRGBA, ms int) error {
		if n := len(frames); n > 0 && sameVisible(frames[n-1].canvas, c) {
			frames[n-1].ms += ms
			return nil
		}
		snap := image.NewNRGBA(c.Rect)
		copy(snap.Pix, c.Pix)
		frames = append(frames, playedFrame{snap, ms})
		return nil
	})
	return frames
}

// sameVisible reports whether two canvases look the same: equal pixels,
// any colour under full transparency.
func sameVisible(a, b *image.NRGBA) bool {
	for i := 0; i < len(a.Pix); i += 4 {
		if a.Pix[i+3] == 0 && b.Pix[i+3] == 0 {
			continue
		}
		if !bytes.Equal(a.Pix[i:i+4], b.Pix[i:i+4]) {
			return false
		}
	}
	return true
}

// TestGIFAnimation converts a GIF that uses every disposal method,
// transparency and odd frame offsets, and plays both: each frame of the
// WebP must show exactly what the GIF shows, for as long.
func TestGIFAnimation(t *testing.T) {
	src := animatedGIF(t, 9)
	for _, mode := range []Mode{Lossless, Auto} {
		res := mustConvert(t, src, &Options{Mode: mode, MinSaving: always()})
		if res.Action != Converted || res.Frames != 9 || res.Width != 20 || res.Height != 10 {
			t.Fatalf("%s: %+v", mode, res)
		}
		got, loops := playWebP(t, res.WebP)
		want := playGIF(t, src)
		if loops != 0 {
			t.Errorf("%s: loop count %d, want 0 (forever)", mode, loops)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d frames played, want %d", mode, len(got), len(want))
		}
		for i := range got {
			if got[i].ms != want[i].ms {
				t.Errorf("%s: frame %d lasts %d ms, want %d", mode, i, got[i].ms, want[i].ms)
			}
			if mode == Lossless && !sameVisible(got[i].canvas, want[i].canvas) {
				t.Errorf("%s: frame %d differs from the GIF's", mode, i)
			}
		}
		checkWithWebPTools(t, res.WebP, len(want))
	}
}

// checkWithWebPTools has Debian's webpinfo check the file's structure and
// webpmux count its frames, when they are installed.
func checkWithWebPTools(t *testing.T, b []byte, frames int) {
	t.Helper()
	info, err1 := exec.LookPath("webpinfo")
	mux, err2 := exec.LookPath("webpmux")
	if err1 != nil || err2 != nil {
		skipOrFail(t, "webpinfo or webpmux not found: install Debian's webp package")
	}
	p := filepath.Join(t.TempDir(), "anim.webp")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(info, p).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No error detected") {
		t.Errorf("webpinfo: %v\n%s", err, out)
	}
	out, err = exec.Command(mux, "-info", p).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Number of frames: "+strconv.Itoa(frames)) {
		t.Errorf("webpmux -info: %v\n%s", err, out)
	}
}

func TestLoopCount(t *testing.T) {
	for gifLoops, want := range map[int]int{0: 0, -1: 1, 1: 2, 70000: 0xffff} {
		if got := webpLoopCount(gifLoops); got != want {
			t.Errorf("GIF loop count %d: WebP %d, want %d", gifLoops, got, want)
		}
	}
}

// TestCorpusGIF: the corpus's animated GIF is never flattened. It is
// small and its WebP is larger, so by default the GIF is kept and the
// reason given; forced, it becomes an animated WebP of every frame.
func TestCorpusGIF(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpus(t), "good", "no_time_for_that_tiny.gif"))
	if err != nil {
		t.Fatal(err)
	}
	res := mustConvert(t, src, nil)
	if res.Frames < 2 {
		t.Fatalf("%d frames", res.Frames)
	}
	if res.Action == Kept && !strings.Contains(res.Reason, "not worth it") {
		t.Errorf("kept for %q", res.Reason)
	}
	res = mustConvert(t, src, &Options{MinSaving: always()})
	got, _ := playWebP(t, res.WebP)
	want := playGIF(t, src)
	if len(got) != len(want) {
		t.Fatalf("%d frames played, want %d", len(got), len(want))
	}
	total := func(fs []playedFrame) (ms int) {
		for _, f := range fs {
			ms += f.ms
		}
		return ms
	}
	if total(got) != total(want) {
		t.Errorf("plays %d ms, the GIF %d ms", total(got), total(want))
	}
	checkWithWebPTools(t, res.WebP, len(want))
}
