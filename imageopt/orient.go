package imageopt

// swapsAxes reports whether EXIF orientation o turns the image a quarter
// (5 to 8): the upright image is then h x w.
func swapsAxes(o int) bool { return o >= 5 && o <= 8 }

// orient returns the raster turned upright for EXIF orientation o (TIFF
// 6.0 / Exif 2.32, tag 0x0112): 1 top-left (as stored), 2 mirrored, 3
// turned 180 degrees, 4 flipped, 5 transposed, 6 to be turned 90 degrees
// clockwise, 7 transversed, 8 to be turned 90 degrees counter-clockwise.
// Orientation 1 (and any unknown value) returns r itself.
func orient(r *raster, o int) *raster {
	if o < 2 || o > 8 {
		return r
	}
	w, h, bpp := r.w, r.h, r.bpp
	dw, dh := w, h
	if swapsAxes(o) {
		dw, dh = h, w
	}
	d := newRaster(dw, dh, bpp)
	d.hasAlpha = r.hasAlpha
	ds := d.stride
	// The source pixel (x, y) goes to destination offset
	// origin + x*sx + y*sy.
	var origin, sx, sy int
	switch o {
	case 2: // (w-1-x, y)
		origin, sx, sy = (w-1)*bpp, -bpp, ds
	case 3: // (w-1-x, h-1-y)
		origin, sx, sy = (h-1)*ds+(w-1)*bpp, -bpp, -ds
	case 4: // (x, h-1-y)
		origin, sx, sy = (h-1)*ds, bpp, -ds
	case 5: // (y, x)
		origin, sx, sy = 0, ds, bpp
	case 6: // (h-1-y, x)
		origin, sx, sy = (h-1)*bpp, ds, -bpp
	case 7: // (h-1-y, w-1-x)
		origin, sx, sy = (w-1)*ds+(h-1)*bpp, -ds, -bpp
	case 8: // (y, w-1-x)
		origin, sx, sy = (w-1)*ds, -ds, bpp
	}
	for y := 0; y < h; y++ {
		src := r.pix[y*r.stride : y*r.stride+w*bpp]
		o := origin + y*sy
		switch bpp {
		case 1:
			for _, v := range src {
				d.pix[o] = v
				o += sx
			}
		case 3:
			for i := 0; i < len(src); i += 3 {
				d.pix[o], d.pix[o+1], d.pix[o+2] = src[i], src[i+1], src[i+2]
				o += sx
			}
		default:
			for i := 0; i < len(src); i += 4 {
				copy(d.pix[o:o+4], src[i:i+4])
				o += sx
			}
		}
	}
	return d
}
