package imageopt

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"unicode/utf16"
)

// Format is an input's file format.
type Format string

// Input formats.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// sniff returns the format from the first bytes, or "".
func sniff(b []byte) Format {
	switch {
	case len(b) >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff:
		return JPEG
	case len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n":
		return PNG
	case len(b) >= 6 && (string(b[:6]) == "GIF87a" || string(b[:6]) == "GIF89a"):
		return GIF
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP
	}
	return ""
}

// metadata is what an input carries besides its pixels.
type metadata struct {
	exif []byte // TIFF structure, from the byte-order mark on
	xmp  []byte // the XMP packet
	icc  []byte // the ICC profile
	// animated is set for a WebP input with the animation flag and an
	// animated PNG (APNG, with an acTL chunk), which image/png would
	// flatten to its first frame.
	animated bool
}

// Limits of the metadata parsers.
const (
	maxICCSize = 4 << 20 // a larger profile is ignored (real ones are < 1 MiB)
	maxXMPSize = 4 << 20
)

// readMetadata extracts EXIF, XMP and ICC from an input of the given
// format. It never fails: what cannot be parsed is left out.
func readMetadata(f Format, b []byte) metadata {
	switch f {
	case JPEG:
		return jpegMetadata(b)
	case PNG:
		return pngMetadata(b)
	case WebP:
		return webpMetadata(b)
	}
	return metadata{}
}

// jpegMetadata walks the JPEG markers before the first scan: APP1 "Exif",
// APP1 XMP and the APP2 "ICC_PROFILE" chunks (ICC.1:2010, Annex B.4),
// reassembled in sequence order.
func jpegMetadata(b []byte) metadata {
	var m metadata
	var icc [][]byte
	iccCount := 0
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			break
		}
		marker := b[i+1]
		switch {
		case marker == 0xff: // fill byte
			i++
			continue
		case marker == 0xd8 || marker == 0x01 || marker >= 0xd0 && marker <= 0xd7:
			i += 2
			continue
		case marker == 0xda || marker == 0xd9: // start of scan, end of image
			i = len(b)
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			break
		}
		seg := b[i+4 : i+2+n]
		i += 2 + n
		switch {
		case marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) && m.exif == nil:
			m.exif = seg[6:]
		case marker == 0xe1 && bytes.HasPrefix(seg, []byte("http://ns.adobe.com/xap/1.0/\x00")) && m.xmp == nil:
			m.xmp = seg[len("http://ns.adobe.com/xap/1.0/\x00"):]
		case marker == 0xe2 && len(seg) >= 14 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")):
			seq, count := int(seg[12]), int(seg[13])
			if count == 0 || seq == 0 || seq > count || iccCount != 0 && count != iccCount {
				iccCount = -1
				continue
			}
			if iccCount == 0 {
				iccCount = count
				icc = make([][]byte, count)
			}
			if iccCount > 0 {
				icc[seq-1] = seg[14:]
			}
		}
	}
	if iccCount > 0 {
		var p []byte
		for _, c := range icc {
			if c == nil {
				p = nil
				break
			}
			p = append(p, c...)
		}
		if len(p) <= maxICCSize {
			m.icc = p
		}
	}
	return m
}

// pngMetadata walks the PNG chunks: iCCP (zlib-compressed profile), eXIf
// and the iTXt chunk with keyword XML:com.adobe.xmp.
func pngMetadata(b []byte) metadata {
	var m metadata
	for i := 8; i+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		kind := string(b[i+4 : i+8])
		if n < 0 || n > len(b)-i-12 {
			break
		}
		data := b[i+8 : i+8+n]
		i += 12 + n
		switch kind {
		case "iCCP":
			if m.icc != nil {
				continue
			}
			name, rest, ok := bytes.Cut(data, []byte{0})
			if !ok || len(name) == 0 || len(name) > 79 || len(rest) < 1 || rest[0] != 0 {
				continue
			}
			m.icc = inflate(rest[1:], maxICCSize)
		case "eXIf":
			if m.exif == nil {
				m.exif = data
			}
		case "iTXt":
			key, rest, ok := bytes.Cut(data, []byte{0})
			if !ok || string(key) != "XML:com.adobe.xmp" || m.xmp != nil || len(rest) < 2 {
				continue
			}
			compressed, method := rest[0], rest[1]
			rest = rest[2:]
			if _, rest, ok = bytes.Cut(rest, []byte{0}); !ok { // language tag
				continue
			}
			if _, rest, ok = bytes.Cut(rest, []byte{0}); !ok { // translated keyword
				continue
			}
			switch {
			case compressed == 0:
				m.xmp = rest
			case method == 0:
				m.xmp = inflate(rest, maxXMPSize)
			}
		case "acTL": // animation control: an APNG
			m.animated = true
		case "IEND":
			return m
		}
	}
	return m
}

// inflate decompresses zlib data of at most limit bytes; nil when it is
// damaged or larger.
func inflate(b []byte, limit int64) []byte {
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	out, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil || int64(len(out)) > limit {
		return nil
	}
	return out
}

// webpMetadata walks the RIFF chunks of a WebP file: ICCP, EXIF, "XMP "
// and the VP8X animation flag.
func webpMetadata(b []byte) metadata {
	var m metadata
	for _, c := range riffChunks(b) {
		switch c.fourcc {
		case "VP8X":
			if len(c.data) >= 1 && c.data[0]&vp8xAnimation != 0 {
				m.animated = true
			}
		case "ICCP":
			m.icc = c.data
		case "EXIF":
			m.exif = c.data
			// Some writers keep the JPEG "Exif\0\0" prefix.
			m.exif = bytes.TrimPrefix(m.exif, []byte("Exif\x00\x00"))
		case "XMP ":
			m.xmp = c.data
		}
	}
	return m
}

// VP8X flags (WebP container specification, "Extended file format").
const (
	vp8xAnimation = 1 << 1
	vp8xXMP       = 1 << 2
	vp8xEXIF      = 1 << 3
	vp8xAlpha     = 1 << 4
	vp8xICC       = 1 << 5
)

// chunk is one RIFF chunk.
type chunk struct {
	fourcc string
	data   []byte
}

// riffChunks returns the chunks of a RIFF WEBP file, stopping at the first
// one that does not fit.
func riffChunks(b []byte) []chunk {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil
	}
	size := int(binary.LittleEndian.Uint32(b[4:]))
	if size >= 4 && size+8 < len(b) {
		b = b[:size+8]
	}
	var cs []chunk
	for i := 12; i+8 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		if n < 0 || n > len(b)-i-8 {
			break
		}
		cs = append(cs, chunk{string(b[i : i+4]), b[i+8 : i+8+n]})
		i += 8 + n + n&1
	}
	return cs
}

// exifOrientation returns the Orientation tag (0x0112) of IFD0 in EXIF
// data (the TIFF structure, from the byte-order mark on), 1 to 8, and the
// offset of its 2-byte value within exif so that a copy can be patched.
// It returns 1, -1 when the tag is absent or not a valid value.
func exifOrientation(exif []byte) (orientation, offset int) {
	if len(exif) < 8 {
		return 1, -1
	}
	var bo binary.ByteOrder
	switch string(exif[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1, -1
	}
	ifd := int64(bo.Uint32(exif[4:]))
	if ifd < 8 || ifd+2 > int64(len(exif)) {
		return 1, -1
	}
	n := int64(bo.Uint16(exif[ifd:]))
	for i := int64(0); i < n; i++ {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(exif)) {
			break
		}
		if bo.Uint16(exif[e:]) != 0x0112 {
			continue
		}
		// Type SHORT (3), count 1: the value sits in the first two bytes
		// of the value field.
		if bo.Uint16(exif[e+2:]) != 3 || bo.Uint32(exif[e+4:]) != 1 {
			return 1, -1
		}
		v := int(bo.Uint16(exif[e+8:]))
		if v < 1 || v > 8 {
			return 1, -1
		}
		return v, int(e + 8)
	}
	return 1, -1
}

// uprightEXIF returns a copy of exif with its orientation set to 1 (the
// pixels have been turned), or exif itself when it has no orientation.
func uprightEXIF(exif []byte) []byte {
	o, off := exifOrientation(exif)
	if off < 0 || o == 1 {
		return exif
	}
	c := bytes.Clone(exif)
	if c[0] == 'I' {
		binary.LittleEndian.PutUint16(c[off:], 1)
	} else {
		binary.BigEndian.PutUint16(c[off:], 1)
	}
	return c
}

// iccInfo describes an ICC profile (ICC.1:2010, Section 7).
type iccInfo struct {
	valid       bool
	colorSpace  string // "RGB ", "GRAY", "CMYK", ...
	description string
}

// parseICC reads the header and the description tag of an ICC profile.
func parseICC(p []byte) iccInfo {
	var info iccInfo
	if len(p) < 132 || string(p[36:40]) != "acsp" {
		return info
	}
	size := int64(binary.BigEndian.Uint32(p[0:]))
	if size > int64(len(p)) || size < 132 {
		return info
	}
	p = p[:size]
	info.valid = true
	info.colorSpace = string(p[16:20])
	n := int64(binary.BigEndian.Uint32(p[128:]))
	for i := int64(0); i < n && 132+12*i+12 <= int64(len(p)); i++ {
		t := p[132+12*i:]
		if string(t[:4]) != "desc" {
			continue
		}
		off, sz := int64(binary.BigEndian.Uint32(t[4:])), int64(binary.BigEndian.Uint32(t[8:]))
		if off+sz > int64(len(p)) || sz < 12 {
			break
		}
		info.description = iccText(p[off : off+sz])
		break
	}
	return info
}

// iccText decodes a textDescriptionType (ICC v2) or
// multiLocalizedUnicodeType (ICC v4) tag; the first record of the latter.
func iccText(d []byte) string {
	switch string(d[:4]) {
	case "desc":
		n := int64(binary.BigEndian.Uint32(d[8:]))
		if n <= 0 || 12+n > int64(len(d)) {
			return ""
		}
		return string(bytes.TrimRight(d[12:12+n], "\x00"))
	case "mluc":
		if len(d) < 28 || binary.BigEndian.Uint32(d[8:]) == 0 {
			return ""
		}
		l, off := int64(binary.BigEndian.Uint32(d[20:])), int64(binary.BigEndian.Uint32(d[24:]))
		if off+l > int64(len(d)) || l%2 != 0 {
			return ""
		}
		u := make([]uint16, l/2)
		for i := range u {
			u[i] = binary.BigEndian.Uint16(d[off+2*int64(i):])
		}
		return string(utf16.Decode(u))
	}
	return ""
}
