package imageopt

import (
	"encoding/binary"
	"errors"
)

// gifLayout is what a GIF declares, read without decoding any pixel.
type gifLayout struct {
	width, height int
	frames        int
	pixels        int64 // the frames' areas, summed
}

var errGIFStructure = errors.New("damaged GIF block structure")

// scanGIF walks the blocks of a GIF (GIF89a specification, Sections 17 to
// 27) to count its frames and their pixels before anything is decoded, so
// that a GIF with thousands of frames is refused as a bomb is.
func scanGIF(b []byte) (gifLayout, error) {
	var l gifLayout
	if len(b) < 13 {
		return l, errGIFStructure
	}
	l.width = int(binary.LittleEndian.Uint16(b[6:]))
	l.height = int(binary.LittleEndian.Uint16(b[8:]))
	i := 13
	if flags := b[10]; flags&0x80 != 0 { // global colour table
		i += 3 << (flags&7 + 1)
	}
	// skip passes over data sub-blocks, ending at the zero-length one.
	skip := func() bool {
		for i < len(b) {
			n := int(b[i])
			i++
			if n == 0 {
				return true
			}
			i += n
		}
		return false
	}
	for i < len(b) {
		switch b[i] {
		case 0x21: // extension: label, then sub-blocks
			i += 2
			if !skip() {
				return l, errGIFStructure
			}
		case 0x2c: // image descriptor
			if i+10 > len(b) {
				return l, errGIFStructure
			}
			w := int64(binary.LittleEndian.Uint16(b[i+5:]))
			h := int64(binary.LittleEndian.Uint16(b[i+7:]))
			flags := b[i+9]
			i += 10
			if flags&0x80 != 0 { // local colour table
				i += 3 << (flags&7 + 1)
			}
			i++ // LZW minimum code size
			if !skip() {
				return l, errGIFStructure
			}
			l.frames++
			l.pixels += w * h
		case 0x3b: // trailer
			return l, nil
		default:
			return l, errGIFStructure
		}
	}
	// A missing trailer is common and harmless.
	return l, nil
}
