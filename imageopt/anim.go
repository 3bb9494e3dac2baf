package imageopt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
)

// convertGIFAnimation turns an animated GIF into an animated WebP.
//
// Each GIF frame is first composited onto a canvas exactly as a browser
// shows it (disposal methods, transparency), so no frame is flattened or
// lost. The WebP frame is then the rectangle of the canvas that changed
// (widened to even offsets, as the format wants), stored without
// blending and without disposal: whatever the GIF did, each WebP frame
// puts back exactly the pixels of the GIF frame it stands for. Frames that
// change nothing add their time to the frame before. libwebp (through
// chai2010/webp) encodes each frame as a still; this package writes the
// ANIM and ANMF chunks around them (WebP container specification,
// "Animation").
func convertGIFAnimation(src []byte, res *Result, opt *Options) (*Result, error) {
	g, err := gif.DecodeAll(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	w, h := g.Config.Width, g.Config.Height
	fw, fh := fit(w, h, opt)
	if fw > MaxWebPDimension || fh > MaxWebPDimension {
		return keep(res, fmt.Sprintf("%d x %d is larger than WebP allows (%d pixels a side)", fw, fh, MaxWebPDimension)), nil
	}
	res.Width, res.Height = fw, fh
	var frames []animFrame
	var prev *raster
	lossless := true
	err = gifCanvases(g, func(canvas *image.NRGBA, delay int) error {
		cur := &raster{pix: canvas.Pix, w: w, h: h, stride: canvas.Stride, bpp: 4}
		if fw != w || fh != h {
			cur = toRaster(resize(canvas, fw, fh))
		} else {
			cur = &raster{pix: bytes.Clone(cur.pix), w: w, h: h, stride: cur.stride, bpp: 4}
		}
		rect := image.Rect(0, 0, fw, fh)
		if prev != nil {
			rect = changed(prev, cur)
			if rect.Empty() {
				frames[len(frames)-1].duration += delay
				return nil
			}
		}
		sub := cur.sub(rect)
		sub.hasAlpha = !sub.opaque()
		ll, data, err := encodeBest(sub, true, opt)
		if err != nil {
			return err
		}
		lossless = lossless && ll
		payload, alpha, err := framePayload(data)
		if err != nil {
			return err
		}
		frames = append(frames, animFrame{rect: rect, duration: delay, payload: payload, alpha: alpha || sub.hasAlpha})
		prev = cur
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Lossless = lossless
	out := muxAnimation(fw, fh, webpLoopCount(g.LoopCount), frames)
	return decide(res, out, opt), nil
}

// webpLoopCount maps a GIF loop count (image/gif: 0 forever, -1 once, n
// for n+1 plays) to WebP's (0 forever, n plays).
func webpLoopCount(n int) int {
	switch {
	case n == 0:
		return 0
	case n < 0:
		return 1
	}
	return min(n+1, 0xffff)
}

// gifCanvases composites the frames of g and calls fn with the canvas as
// it shows after each frame, and the frame's delay in milliseconds. The
// canvas starts transparent, as browsers draw it.
func gifCanvases(g *gif.GIF, fn func(canvas *image.NRGBA, delayMS int) error) error {
	bounds := image.Rect(0, 0, g.Config.Width, g.Config.Height)
	canvas := image.NewNRGBA(bounds)
	var saved *image.NRGBA
	for i, fr := range g.Image {
		r := fr.Bounds().Intersect(bounds)
		disposal := byte(0)
		if i < len(g.Disposal) {
			disposal = g.Disposal[i]
		}
		if disposal == gif.DisposalPrevious {
			saved = image.NewNRGBA(r)
			copyRect(saved, canvas, r)
		}
		var lut [256]color.NRGBA
		for j, c := range fr.Palette {
			lut[j] = color.NRGBAModel.Convert(c).(color.NRGBA)
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			src := fr.Pix[fr.PixOffset(r.Min.X, y):][:r.Dx()]
			dst := canvas.Pix[canvas.PixOffset(r.Min.X, y):]
			for x, p := range src {
				c := lut[p]
				if c.A == 0 { // the transparent index leaves the canvas
					continue
				}
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = c.R, c.G, c.B, c.A
			}
		}
		delay := 0
		if i < len(g.Delay) {
			delay = g.Delay[i] * 10
		}
		if err := fn(canvas, delay); err != nil {
			return err
		}
		switch disposal {
		case gif.DisposalBackground:
			// Browsers clear to transparent, not to the background colour.
			for y := r.Min.Y; y < r.Max.Y; y++ {
				clear(canvas.Pix[canvas.PixOffset(r.Min.X, y):][:4*r.Dx()])
			}
		case gif.DisposalPrevious:
			copyRect(canvas, saved, r)
		}
	}
	return nil
}

func copyRect(dst, src *image.NRGBA, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(dst.Pix[dst.PixOffset(r.Min.X, y):][:4*r.Dx()], src.Pix[src.PixOffset(r.Min.X, y):])
	}
}

// changed returns the smallest rectangle, with even left and top edges,
// outside which a and b (of one size, bpp 4) are equal; empty when equal.
func changed(a, b *raster) image.Rectangle {
	minX, minY, maxX, maxY := b.w, b.h, -1, -1
	for y := 0; y < b.h; y++ {
		ra := a.pix[y*a.stride : y*a.stride+4*a.w]
		rb := b.pix[y*b.stride : y*b.stride+4*b.w]
		if bytes.Equal(ra, rb) {
			continue
		}
		minY = min(minY, y)
		maxY = y
		x0 := 0
		for x0 < b.w && bytes.Equal(ra[4*x0:4*x0+4], rb[4*x0:4*x0+4]) {
			x0++
		}
		x1 := b.w - 1
		for x1 > x0 && bytes.Equal(ra[4*x1:4*x1+4], rb[4*x1:4*x1+4]) {
			x1--
		}
		minX, maxX = min(minX, x0), max(maxX, x1)
	}
	if maxY < 0 {
		return image.Rectangle{}
	}
	return image.Rect(minX&^1, minY&^1, maxX+1, maxY+1)
}

// sub returns the part of r within rect, sharing its pixels.
func (r *raster) sub(rect image.Rectangle) *raster {
	off := rect.Min.Y*r.stride + rect.Min.X*r.bpp
	return &raster{pix: r.pix[off:], w: rect.Dx(), h: rect.Dy(), stride: r.stride, bpp: r.bpp, hasAlpha: r.hasAlpha}
}

// animFrame is one frame of an animated WebP.
type animFrame struct {
	rect     image.Rectangle // on the canvas; Min even
	duration int             // milliseconds
	payload  []byte          // the frame's ALPH, VP8 or VP8L chunks
	alpha    bool
}

// framePayload extracts the image chunks (ALPH and VP8, or VP8L) of a
// still WebP file, as an ANMF chunk holds them.
func framePayload(webp []byte) (payload []byte, alpha bool, err error) {
	for _, c := range riffChunks(webp) {
		switch c.fourcc {
		case "ALPH":
			alpha = true
		case "VP8L":
			// The alpha_is_used bit of the VP8L header (bit 28 after
			// the signature byte).
			if len(c.data) >= 5 && c.data[4]&0x10 != 0 {
				alpha = true
			}
		case "VP8 ":
		default:
			continue
		}
		payload = appendChunk(payload, c.fourcc, c.data)
	}
	if payload == nil {
		return nil, false, fmt.Errorf("imageopt: libwebp returned no image chunk")
	}
	return payload, alpha, nil
}

// appendChunk appends a RIFF chunk, padded to an even size.
func appendChunk(b []byte, fourcc string, data []byte) []byte {
	b = append(b, fourcc...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	if len(data)&1 == 1 {
		b = append(b, 0)
	}
	return b
}

func appendUint24(b []byte, v int) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16))
}

// muxAnimation writes an animated WebP file: RIFF, VP8X with the
// animation flag, ANIM (transparent background, loop count), then one
// ANMF per frame, each without blending or disposal.
func muxAnimation(w, h, loops int, frames []animFrame) []byte {
	alpha := false
	for _, f := range frames {
		alpha = alpha || f.alpha
	}
	var flags byte = vp8xAnimation
	if alpha {
		flags |= vp8xAlpha
	}
	vp8x := []byte{flags, 0, 0, 0}
	vp8x = appendUint24(vp8x, w-1)
	vp8x = appendUint24(vp8x, h-1)
	anim := []byte{0, 0, 0, 0} // background: transparent (BGRA)
	anim = binary.LittleEndian.AppendUint16(anim, uint16(loops))

	b := []byte("RIFF\x00\x00\x00\x00WEBP")
	b = appendChunk(b, "VP8X", vp8x)
	b = appendChunk(b, "ANIM", anim)
	for _, f := range frames {
		var d []byte
		d = appendUint24(d, f.rect.Min.X/2)
		d = appendUint24(d, f.rect.Min.Y/2)
		d = appendUint24(d, f.rect.Dx()-1)
		d = appendUint24(d, f.rect.Dy()-1)
		d = appendUint24(d, min(f.duration, 1<<24-1))
		d = append(d, 0x02) // do not blend; do not dispose
		d = append(d, f.payload...)
		b = appendChunk(b, "ANMF", d)
	}
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}
