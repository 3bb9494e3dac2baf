package imageopt

import (
	"image"

	"golang.org/x/image/draw"
)

// fit returns the size that w x h shrinks to within the options' maximum
// width and height, keeping the aspect ratio; never larger than w x h.
func fit(w, h int, opt *Options) (int, int) {
	if opt == nil {
		return w, h
	}
	fw, fh := w, h
	if opt.MaxWidth > 0 && fw > opt.MaxWidth {
		fw, fh = opt.MaxWidth, max(1, int((int64(h)*int64(opt.MaxWidth)+int64(w)/2)/int64(w)))
	}
	if opt.MaxHeight > 0 && fh > opt.MaxHeight {
		fw, fh = max(1, int((int64(w)*int64(opt.MaxHeight)+int64(h)/2)/int64(h))), opt.MaxHeight
	}
	return fw, fh
}

// resize scales m to w x h with the Catmull-Rom (bicubic) filter of
// golang.org/x/image/draw, which is sharp without ringing on photographs.
// It works on premultiplied pixels, so that transparent pixels do not
// bleed their colour into their neighbours; [toRaster] divides the alpha
// out again.
func resize(m image.Image, w, h int) image.Image {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), m, m.Bounds(), draw.Src, nil)
	return dst
}
