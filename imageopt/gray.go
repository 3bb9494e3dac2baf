package imageopt

import (
	"encoding/binary"
	"math"
)

// grayToSRGB returns the table that maps the grey levels of an image
// tagged with a grey ICC profile to the sRGB grey of the same luminance,
// from the profile's grey tone curve (the kTRC tag; ICC.1:2010, Sections
// 9.2.33, 10.6 and 10.18). A WebP holds RGB pixels, which a grey profile
// cannot describe, so the tone curve is applied to the pixels instead of
// the profile being kept: a colour-managed browser showed the original
// through that curve, and shows the WebP, untagged, as sRGB. ok is false
// when the profile has no usable curve.
func grayToSRGB(p []byte) (lut [256]uint8, ok bool) {
	curve, ok := grayTRC(p)
	if !ok {
		return lut, false
	}
	for v := range lut {
		y := curve(float64(v) / 255)
		if math.IsNaN(y) {
			y = 0
		}
		y = math.Max(0, math.Min(1, y))
		var s float64
		if y <= 0.0031308 {
			s = 12.92 * y
		} else {
			s = 1.055*math.Pow(y, 1/2.4) - 0.055
		}
		lut[v] = uint8(math.Round(255 * s))
	}
	return lut, true
}

// grayTRC returns the tone curve of a grey profile: device value (0 to 1)
// to luminance (0 to 1).
func grayTRC(p []byte) (func(float64) float64, bool) {
	info := parseICC(p)
	if !info.valid || info.colorSpace != "GRAY" {
		return nil, false
	}
	n := int64(binary.BigEndian.Uint32(p[128:]))
	for i := int64(0); i < n && 132+12*i+12 <= int64(len(p)); i++ {
		t := p[132+12*i:]
		if string(t[:4]) != "kTRC" {
			continue
		}
		off, sz := int64(binary.BigEndian.Uint32(t[4:])), int64(binary.BigEndian.Uint32(t[8:]))
		if off+sz > int64(len(p)) || sz < 12 {
			return nil, false
		}
		return parseCurve(p[off : off+sz])
	}
	return nil, false
}

// parseCurve reads a curveType (ICC.1:2010, 10.6) or
// parametricCurveType (10.18).
func parseCurve(d []byte) (func(float64) float64, bool) {
	switch string(d[:4]) {
	case "curv":
		n := int(binary.BigEndian.Uint32(d[8:]))
		switch {
		case n == 0:
			return func(x float64) float64 { return x }, true
		case n == 1:
			if len(d) < 14 {
				return nil, false
			}
			g := float64(binary.BigEndian.Uint16(d[12:])) / 256
			return func(x float64) float64 { return math.Pow(x, g) }, true
		case n > 1 && 12+2*n <= len(d):
			table := make([]float64, n)
			for i := range table {
				table[i] = float64(binary.BigEndian.Uint16(d[12+2*i:])) / 65535
			}
			return func(x float64) float64 {
				f := x * float64(n-1)
				i := int(f)
				if i >= n-1 {
					return table[n-1]
				}
				return table[i] + (table[i+1]-table[i])*(f-float64(i))
			}, true
		}
	case "para":
		if len(d) < 12 {
			return nil, false
		}
		kind := binary.BigEndian.Uint16(d[8:])
		counts := map[uint16]int{0: 1, 1: 3, 2: 4, 3: 5, 4: 7}
		k, known := counts[kind]
		if !known || len(d) < 12+4*k {
			return nil, false
		}
		var a [7]float64
		for i := range k {
			a[i] = float64(int32(binary.BigEndian.Uint32(d[12+4*i:]))) / 65536
		}
		g := a[0]
		return func(x float64) float64 {
			switch kind {
			case 0:
				return math.Pow(x, g)
			case 1: // (ax+b)^g for x >= -b/a, else 0
				if a[1] != 0 && x >= -a[2]/a[1] {
					return math.Pow(math.Max(0, a[1]*x+a[2]), g)
				}
				return 0
			case 2:
				if a[1] != 0 && x >= -a[2]/a[1] {
					return math.Pow(math.Max(0, a[1]*x+a[2]), g) + a[3]
				}
				return a[3]
			case 3:
				if x >= a[4] {
					return math.Pow(math.Max(0, a[1]*x+a[2]), g)
				}
				return a[3] * x
			default:
				if x >= a[4] {
					return math.Pow(math.Max(0, a[1]*x+a[2]), g) + a[5]
				}
				return a[3]*x + a[6]
			}
		}, true
	}
	return nil, false
}

// applyLUT maps every colour sample (not alpha) of r through lut.
func applyLUT(r *raster, lut *[256]uint8) {
	for y := 0; y < r.h; y++ {
		row := r.pix[y*r.stride : y*r.stride+r.bpp*r.w]
		for i := range row {
			if r.bpp == 4 && i%4 == 3 {
				continue
			}
			row[i] = lut[row[i]]
		}
	}
}
