package imageopt

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"testing"
)

func TestExifOrientation(t *testing.T) {
	for o := 1; o <= 8; o++ {
		for _, be := range []bool{false, true} {
			tiff := tiffWithOrientation(o, be)
			got, off := exifOrientation(tiff)
			if got != o || off < 0 {
				t.Errorf("orientation %d (big-endian %v): got %d at %d", o, be, got, off)
			}
			up := uprightEXIF(tiff)
			if g, _ := exifOrientation(up); g != 1 {
				t.Errorf("uprightEXIF of orientation %d: reads back %d", o, g)
			}
			if o != 1 && bytes.Equal(up, tiff) {
				t.Errorf("uprightEXIF changed its input in place or did nothing")
			}
			if g, _ := exifOrientation(tiff); g != o {
				t.Errorf("uprightEXIF modified its input")
			}
		}
	}
	good := tiffWithOrientation(6, false)
	bad := func(mod func([]byte) []byte) []byte { return mod(bytes.Clone(good)) }
	for _, c := range []struct {
		name string
		exif []byte
	}{
		{"empty", nil},
		{"short", []byte("II*\x00\x08")},
		{"no byte order", bad(func(b []byte) []byte { b[0] = 'X'; return b })},
		{"no tag", tiffWithOrientation(0, false)},
		{"IFD offset past the end", bad(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], 1<<30); return b })},
		{"IFD offset into the header", bad(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], 2); return b })},
		{"entry count past the end", bad(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[8:], 0xffff); return b[:30] })},
		{"value 0", bad(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[30:], 0); return b })},
		{"value 9", bad(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[30:], 9); return b })},
		{"type LONG", bad(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[24:], 4); return b })},
		{"count 2", bad(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[26:], 2); return b })},
		{"truncated entry", good[:28]},
	} {
		if o, off := exifOrientation(c.exif); o != 1 || off != -1 {
			t.Errorf("%s: got orientation %d at %d, want 1 at -1", c.name, o, off)
		}
		if c.exif != nil && !bytes.Equal(uprightEXIF(c.exif), c.exif) {
			t.Errorf("%s: uprightEXIF changed data without an orientation", c.name)
		}
	}
}

func TestJPEGMetadata(t *testing.T) {
	icc := testICC("RGB ", "Wide Gamut Test")
	segs := []jpegSegment{exifSegment(6, true), xmpSegment("<x:xmpmeta/>")}
	chunks := iccSegments(icc, 100)
	// Out of order, as the specification allows.
	chunks[0], chunks[1] = chunks[1], chunks[0]
	segs = append(segs, chunks...)
	b := encodeJPEG(t, quadrants(16, 16), segs...)
	m := jpegMetadata(b)
	if o, _ := exifOrientation(m.exif); o != 6 {
		t.Errorf("orientation %d, want 6", o)
	}
	if string(m.xmp) != "<x:xmpmeta/>" {
		t.Errorf("xmp %q", m.xmp)
	}
	if !bytes.Equal(m.icc, icc) {
		t.Errorf("ICC profile not reassembled: %d bytes, want %d", len(m.icc), len(icc))
	}
	// A missing chunk, or chunks that disagree on the count: no profile.
	b = encodeJPEG(t, quadrants(16, 16), iccSegments(icc, 100)[1:]...)
	if m := jpegMetadata(b); m.icc != nil {
		t.Errorf("incomplete ICC profile accepted")
	}
	odd := iccSegments(icc, 100)
	odd[1].data[13] = 7
	if m := jpegMetadata(encodeJPEG(t, quadrants(16, 16), odd...)); m.icc != nil {
		t.Errorf("ICC chunks with different counts accepted")
	}
	// Nothing at all.
	if m := jpegMetadata(encodeJPEG(t, quadrants(16, 16))); m.exif != nil || m.xmp != nil || m.icc != nil {
		t.Errorf("metadata found in a bare JPEG: %+v", m)
	}
	// Truncated in a segment: no panic, what came before is kept.
	full := encodeJPEG(t, quadrants(16, 16), exifSegment(3, false), xmpSegment("abc"))
	for i := range 60 {
		jpegMetadata(full[:i])
	}
}

func TestPNGMetadata(t *testing.T) {
	icc := testICC("RGB ", "Display P3 test")
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(icc)
	zw.Close()
	iccp := append([]byte("P3\x00\x00"), z.Bytes()...)
	itxt := []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta/>")
	b := encodePNG(t, quadrants(8, 8), pngChunk{"iCCP", iccp}, pngChunk{"eXIf", tiffWithOrientation(8, false)}, pngChunk{"iTXt", itxt})
	m := pngMetadata(b)
	if !bytes.Equal(m.icc, icc) {
		t.Errorf("iCCP: got %d bytes, want %d", len(m.icc), len(icc))
	}
	if o, _ := exifOrientation(m.exif); o != 8 {
		t.Errorf("eXIf orientation %d, want 8", o)
	}
	if string(m.xmp) != "<x:xmpmeta/>" {
		t.Errorf("XMP %q", m.xmp)
	}
	// A damaged profile is left out; a compressed iTXt is inflated.
	var zx bytes.Buffer
	zw = zlib.NewWriter(&zx)
	zw.Write([]byte("<packed/>"))
	zw.Close()
	itxtZ := append([]byte("XML:com.adobe.xmp\x00\x01\x00en\x00\x00"), zx.Bytes()...)
	b = encodePNG(t, quadrants(8, 8), pngChunk{"iCCP", []byte("x\x00\x00garbage")}, pngChunk{"iTXt", itxtZ})
	m = pngMetadata(b)
	if m.icc != nil || string(m.xmp) != "<packed/>" {
		t.Errorf("got ICC %d bytes, XMP %q", len(m.icc), m.xmp)
	}
}

func TestParseICC(t *testing.T) {
	info := parseICC(testICC("RGB ", "Adobe RGB (1998)"))
	if !info.valid || info.colorSpace != "RGB " || info.description != "Adobe RGB (1998)" || isSRGB(info) {
		t.Errorf("got %+v", info)
	}
	if info := parseICC(testICC("GRAY", "sRGB IEC61966-2.1")); info.colorSpace != "GRAY" || !isSRGB(info) {
		t.Errorf("got %+v", info)
	}
	// ICC v4 multiLocalizedUnicodeType.
	p := testICC("RGB ", "x")
	mluc := []byte("mluc\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x0cenUS\x00\x00\x00\x08\x00\x00\x00\x1c\x00s\x00R\x00G\x00B")
	descOff := binary.BigEndian.Uint32(p[132+12+4:])
	p = append(p[:descOff], mluc...)
	binary.BigEndian.PutUint32(p[132+12+8:], uint32(len(mluc)))
	binary.BigEndian.PutUint32(p[0:], uint32(len(p)))
	if info := parseICC(p); info.description != "sRGB" {
		t.Errorf("mluc description %q, want sRGB", info.description)
	}
	for _, bad := range [][]byte{nil, make([]byte, 200), testICC("RGB ", "x")[:100]} {
		if parseICC(bad).valid {
			t.Errorf("invalid profile accepted")
		}
	}
}

func TestSniff(t *testing.T) {
	for in, want := range map[string]Format{
		"\xff\xd8\xff\xe0":             JPEG,
		"\x89PNG\r\n\x1a\n....":        PNG,
		"GIF89a..":                     GIF,
		"GIF87a..":                     GIF,
		"RIFF\x00\x00\x00\x00WEBPVP8 ": WebP,
		"RIFF\x00\x00\x00\x00WAVE":     "",
		"":                             "",
		"<svg":                         "",
	} {
		if got := sniff([]byte(in)); got != want {
			t.Errorf("sniff(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScanGIF(t *testing.T) {
	b := animatedGIF(t, 3)
	l, err := scanGIF(b)
	if err != nil || l.frames != 3 || l.width != 20 || l.height != 10 {
		t.Fatalf("got %+v, %v", l, err)
	}
	for i := range len(b) - 1 {
		// Truncated: an error, or fewer frames; never a panic.
		if l, err := scanGIF(b[:i]); err == nil && l.frames > 3 {
			t.Errorf("truncated at %d: %d frames", i, l.frames)
		}
	}
	if _, err := scanGIF([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00\x99")); err == nil {
		t.Errorf("unknown block accepted")
	}
}

// Fuzz targets: the parsers of untrusted bytes never panic, and what they
// return lies within their input.

func FuzzExifOrientation(f *testing.F) {
	f.Add(tiffWithOrientation(6, false))
	f.Add(tiffWithOrientation(3, true))
	f.Add(tiffWithOrientation(0, false))
	f.Add([]byte("MM\x00*\x00\x00\x00\x08\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, off := exifOrientation(b)
		if o < 1 || o > 8 || off >= len(b)-1 && off != -1 {
			t.Fatalf("orientation %d at %d for %d bytes", o, off, len(b))
		}
		if g, _ := exifOrientation(uprightEXIF(b)); g != 1 {
			t.Fatalf("uprightEXIF leaves orientation %d", g)
		}
	})
}

func FuzzJPEGMetadata(f *testing.F) {
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xda"))
	f.Add([]byte("\xff\xd8\xff\xe2\x00\x10ICC_PROFILE\x00\x01\x01\xff\xd9"))
	f.Add([]byte("\xff\xd8\xff\xff\xff\xe0\x00\x02\xff\xd0\xff\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m := jpegMetadata(b)
		if len(m.exif) > len(b) || len(m.xmp) > len(b) || len(m.icc) > len(b) {
			t.Fatal("metadata larger than the file")
		}
	})
}

func FuzzPNGMetadata(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x04eXIfII*\x00\x00\x00\x00\x00"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x05iCCPa\x00\x00x\x9c\x00\x00\x00\x00"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\xff\xff\xff\xffiTXt"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m := pngMetadata(b)
		if len(m.icc) > maxICCSize || len(m.xmp) > maxXMPSize {
			t.Fatal("inflated metadata over the limit")
		}
	})
}

func FuzzParseICC(f *testing.F) {
	f.Add(testICC("RGB ", "sRGB IEC61966-2.1"))
	f.Add(testICC("GRAY", ""))
	f.Fuzz(func(t *testing.T, b []byte) {
		info := parseICC(b)
		if info.valid && len(b) < 132 {
			t.Fatal("profile shorter than its header accepted")
		}
	})
}

func FuzzScanGIF(f *testing.F) {
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00!\xf9\x04\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := scanGIF(b)
		if err == nil && l.pixels > int64(l.frames)*0xffff*0xffff {
			t.Fatalf("%d pixels in %d frames", l.pixels, l.frames)
		}
	})
}

func FuzzRIFFChunks(f *testing.F) {
	f.Add([]byte("RIFF\x0c\x00\x00\x00WEBPVP8X\x00\x00\x00\x00"))
	f.Add([]byte("RIFF\xff\xff\xff\xffWEBPICCP\x03\x00\x00\x00abc\x00EXIF\x01\x00\x00\x00x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		total := 0
		for _, c := range riffChunks(b) {
			total += 8 + len(c.data)
		}
		if total > len(b) {
			t.Fatalf("chunks cover %d bytes of %d", total, len(b))
		}
		webpMetadata(b)
		isLosslessWebP(b)
	})
}
