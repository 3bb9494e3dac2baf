package imageopt

import (
	"encoding/binary"
	"math"
	"testing"
)

// withTag appends a tag to a profile made by testICC.
func withTag(p []byte, sig string, data []byte) []byte {
	n := binary.BigEndian.Uint32(p[128:])
	// Rebuild: header, table with one more entry, then the tag data.
	oldTable := p[132 : 132+12*n]
	body := p[132+12*n:]
	shift := uint32(12)
	var table []byte
	table = binary.BigEndian.AppendUint32(table, n+1)
	for i := uint32(0); i < n; i++ {
		e := oldTable[12*i:]
		table = append(table, e[:4]...)
		table = binary.BigEndian.AppendUint32(table, binary.BigEndian.Uint32(e[4:])+shift)
		table = binary.BigEndian.AppendUint32(table, binary.BigEndian.Uint32(e[8:]))
	}
	off := uint32(128+len(table)+12) + uint32(len(body))
	table = append(table, sig...)
	table = binary.BigEndian.AppendUint32(table, off)
	table = binary.BigEndian.AppendUint32(table, uint32(len(data)))
	out := append(append(append(append([]byte{}, p[:128]...), table...), body...), data...)
	binary.BigEndian.PutUint32(out[0:], uint32(len(out)))
	return out
}

func curvGamma(g float64) []byte {
	d := []byte("curv\x00\x00\x00\x00\x00\x00\x00\x01")
	return binary.BigEndian.AppendUint16(d, uint16(g*256))
}

func TestGrayToSRGB(t *testing.T) {
	srgb := func(y float64) uint8 {
		if y <= 0.0031308 {
			return uint8(math.Round(255 * 12.92 * y))
		}
		return uint8(math.Round(255 * (1.055*math.Pow(y, 1/2.4) - 0.055)))
	}
	table := []byte("curv\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x40\x00\xff\xff") // 0, 0.25, 1
	para := []byte("para\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00")          // gamma 1.0
	for _, c := range []struct {
		name  string
		curve []byte
		in    uint8
		want  uint8
	}{
		{"linear (gamma 1.0)", curvGamma(1.0), 128, srgb(128.0 / 255)},
		{"gamma 2.2, about sRGB", curvGamma(2.2), 128, 128},
		{"identity curv", []byte("curv\x00\x00\x00\x00\x00\x00\x00\x00"), 64, srgb(64.0 / 255)},
		{"table", table, 0, 0},
		{"table, end", table, 255, 255},
		{"para type 0", para, 200, srgb(200.0 / 255)},
	} {
		p := withTag(testICC("GRAY", "test grey"), "kTRC", c.curve)
		lut, ok := grayToSRGB(p)
		if !ok {
			t.Errorf("%s: no curve found", c.name)
			continue
		}
		if got := lut[c.in]; int(got)-int(c.want) > 1 || int(c.want)-int(got) > 1 {
			t.Errorf("%s: %d -> %d, want %d", c.name, c.in, got, c.want)
		}
	}
	// No kTRC, an RGB profile, a damaged curve: no table.
	for _, p := range [][]byte{
		testICC("GRAY", "no curve"),
		withTag(testICC("RGB ", "rgb"), "kTRC", curvGamma(1)),
		withTag(testICC("GRAY", "short"), "kTRC", []byte("curv\x00\x00\x00\x00\x00\x00\x00\x09\x00")),
		withTag(testICC("GRAY", "para 9"), "kTRC", []byte("para\x00\x00\x00\x00\x00\x09\x00\x00\x00\x01\x00\x00")),
	} {
		if _, ok := grayToSRGB(p); ok {
			t.Errorf("table made from %q", parseICC(p).description)
		}
	}
}

func FuzzGrayTRC(f *testing.F) {
	f.Add(withTag(testICC("GRAY", "g"), "kTRC", curvGamma(1.8)))
	f.Add(withTag(testICC("GRAY", "g"), "kTRC", []byte("para\x00\x00\x00\x00\x00\x04\x00\x00\x00\x02\x66\x66\x00\x00\xf2\xa7\x00\x00\x0d\x59\x00\x01\x9d\x0a\x00\x00\x0a\x5d\x00\x00\x00\x00\x00\x00\x00\x00")))
	f.Fuzz(func(t *testing.T, p []byte) {
		grayToSRGB(p) // never panics; any table is within 0..255 by type
	})
}
