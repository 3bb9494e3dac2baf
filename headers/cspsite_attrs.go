package headers

import "bytes"

// rawAttr is one attribute of a start tag, as slices of its raw text.
type rawAttr struct{ k, v []byte }

// maxRawAttrs bounds the attributes parseRawAttrs handles; a tag with
// more goes through the tokenizer's TagAttr.
const maxRawAttrs = 24

// parseRawAttrs reads the attributes of a start tag from its raw text
// ("<img src=a alt='b'>") exactly as the x/net/html tokenizer does (names
// end at whitespace, "/", ">" or a "=" that is not their first character;
// values are quoted or end at whitespace or ">"; the first of repeated
// names wins), without copying. It gives up (ok false) when the tokenizer
// would change the text: a value with "&" (a character reference), "\r"
// or NUL, or a name with an upper-case letter; the caller then uses
// TagAttr, which copies.
func parseRawAttrs(raw []byte, out *[maxRawAttrs]rawAttr) (n int, ok bool) {
	if bytes.IndexByte(raw, '&') >= 0 || bytes.IndexByte(raw, '\r') >= 0 || bytes.IndexByte(raw, 0) >= 0 {
		return 0, false
	}
	pos := 1 // after "<"; the tag name's first letter is read below
	eof := func() bool { return pos >= len(raw) }
	skipWS := func() {
		for !eof() && isHTMLSpace(raw[pos]) {
			pos++
		}
	}
	// readTagName: the first letter was consumed with "<".
	pos++
	for !eof() {
		c := raw[pos]
		pos++
		if isHTMLSpace(c) {
			break
		}
		if c == '/' || c == '>' {
			pos--
			break
		}
	}
	skipWS()
	for !eof() {
		if raw[pos] == '>' {
			break
		}
		// readTagAttrKey
		ks := pos
		for !eof() {
			c := raw[pos]
			pos++
			if c == '=' && ks+1 == pos {
				continue
			}
			if c == '=' || isHTMLSpace(c) || c == '/' || c == '>' {
				pos--
				break
			}
		}
		ke := pos
		// readTagAttrVal
		vs, ve := pos, pos
		skipWS()
		if !eof() {
			c := raw[pos]
			pos++
			switch {
			case c == '/':
			case c != '=':
				pos--
			default:
				skipWS()
				if !eof() {
					q := raw[pos]
					pos++
					switch q {
					case '>':
						pos--
					case '\'', '"':
						vs = pos
						ve = len(raw)
						for !eof() {
							c := raw[pos]
							pos++
							if c == q {
								ve = pos - 1
								break
							}
						}
					default:
						vs = pos - 1
						ve = len(raw)
						for !eof() {
							c := raw[pos]
							pos++
							if isHTMLSpace(c) {
								ve = pos - 1
								break
							}
							if c == '>' {
								pos--
								ve = pos
								break
							}
						}
					}
				}
			}
		}
		if ks != ke {
			k := raw[ks:ke]
			for _, c := range k {
				if c >= 'A' && c <= 'Z' {
					return 0, false
				}
			}
			dup := false
			for _, a := range out[:n] {
				if bytes.Equal(a.k, k) {
					dup = true
					break
				}
			}
			if !dup {
				if n == maxRawAttrs {
					return 0, false
				}
				out[n] = rawAttr{k, raw[vs:ve]}
				n++
			}
		}
		skipWS()
	}
	return n, true
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }
