package imageopt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RewriteHTML wraps each <img> of an HTML document whose image has a WebP
// version in a <picture> with a WebP <source>, keeping the <img> as it is
// as the fallback for browsers without WebP:
//
//	<img src="a.jpg" alt="x">
//	<picture><source type="image/webp" srcset="a.webp"><img src="a.jpg" alt="x"></picture>
//
// webpURL maps an image URL as written in the document (src, or each URL
// of srcset) to its WebP's URL; ok false leaves that <img> alone, as does
// any URL of its srcset without one. An <img> already inside a <picture>
// is left alone, so rewriting twice changes nothing. Everything else is
// copied byte for byte. It returns the document and the number of <img>
// wrapped.
//
// CSS that selects an image as the direct child of something (figure >
// img) no longer matches a wrapped one; check such rules before using
// this.
func RewriteHTML(doc []byte, webpURL func(imgURL string) (string, bool)) ([]byte, int, error) {
	z := html.NewTokenizer(bytes.NewReader(doc))
	var out bytes.Buffer
	out.Grow(len(doc) + len(doc)/16)
	pictures, n, pos := 0, 0, 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); err != io.EOF {
				return nil, 0, err
			}
			// What the tokenizer leaves at the end (a tag cut short) is
			// copied as it is.
			out.Write(doc[min(pos, len(doc)):])
			break
		}
		raw := bytes.Clone(z.Raw())
		pos += len(raw)
		tok := z.Token()
		switch {
		case tok.DataAtom == atom.Picture && tt == html.StartTagToken:
			pictures++
		case tok.DataAtom == atom.Picture && tt == html.EndTagToken && pictures > 0:
			pictures--
		case tok.DataAtom == atom.Img && (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && pictures == 0:
			if src := pictureSource(tok, webpURL); src != "" {
				out.WriteString("<picture>")
				out.WriteString(src)
				out.Write(raw)
				out.WriteString("</picture>")
				n++
				continue
			}
		}
		out.Write(raw)
	}
	return out.Bytes(), n, nil
}

// pictureSource returns the <source> element for an <img>, or "".
func pictureSource(tok html.Token, webpURL func(string) (string, bool)) string {
	var src, srcset, sizes string
	for _, a := range tok.Attr {
		switch a.Key {
		case "src":
			src = a.Val
		case "srcset":
			srcset = a.Val
		case "sizes":
			sizes = a.Val
		}
	}
	var set string
	if strings.TrimSpace(srcset) != "" {
		var parts []string
		for _, cand := range strings.Split(srcset, ",") {
			f := strings.Fields(cand)
			if len(f) == 0 {
				return ""
			}
			w, ok := webpURL(f[0])
			if !ok {
				return ""
			}
			parts = append(parts, strings.Join(append([]string{w}, f[1:]...), " "))
		}
		set = strings.Join(parts, ", ")
	} else {
		w, ok := webpURL(strings.TrimSpace(src))
		if !ok || src == "" {
			return ""
		}
		set = w
	}
	s := `<source type="image/webp" srcset="` + html.EscapeString(set) + `"`
	if sizes != "" {
		s += ` sizes="` + html.EscapeString(sizes) + `"`
	}
	return s + ">"
}

// maxHTMLSize bounds the HTML files rewritten.
const maxHTMLSize = 64 << 20

// rewriteTreeHTML rewrites the .html and .htm files under the folders of
// paths, for the images of rep that have a WebP beside them.
func rewriteTreeHTML(paths []string, opt *TreeOptions, rep *Report) error {
	if opt.OutDir != "" {
		return errors.New("imageopt: rewriting HTML needs the WebP files beside their sources (no output folder)")
	}
	webps := map[string]bool{} // absolute source paths with a WebP beside
	for _, f := range rep.Files {
		if f.Output != "" && (f.Action == Converted || f.Action == Skipped) {
			if a, err := filepath.Abs(f.Source); err == nil {
				webps[a] = true
			}
		}
	}
	for _, root := range paths {
		fi, err := os.Stat(root)
		if err != nil || !fi.IsDir() {
			continue
		}
		absRoot, err := filepath.Abs(root)
		if err != nil {
			return err
		}
		err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			if d.IsDir() {
				if p != root && excluded(filepath.ToSlash(rel), opt.Exclude) {
					return filepath.SkipDir
				}
				return nil
			}
			ext := strings.ToLower(filepath.Ext(p))
			if ext != ".html" && ext != ".htm" || !d.Type().IsRegular() {
				return nil
			}
			absFile, err := filepath.Abs(p)
			if err != nil {
				return nil
			}
			lookup := func(u string) (string, bool) {
				return webpURLFor(u, absRoot, filepath.Dir(absFile), webps)
			}
			n, err := rewriteHTMLFile(p, lookup)
			rep.Summary.HTMLImages += n
			if n > 0 {
				rep.Summary.HTMLFiles++
			}
			if err != nil {
				rep.Summary.HTMLErrors = append(rep.Summary.HTMLErrors, fmt.Sprintf("%s: %v", p, err))
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// rewriteHTMLFile rewrites one file in place, atomically, when an image
// was wrapped.
func rewriteHTMLFile(p string, lookup func(string) (string, bool)) (int, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	if fi.Size() > maxHTMLSize {
		return 0, fmt.Errorf("larger than %d bytes", maxHTMLSize)
	}
	doc, err := os.ReadFile(p)
	if err != nil {
		return 0, err
	}
	out, n, err := RewriteHTML(doc, lookup)
	if err != nil || n == 0 {
		return 0, err
	}
	if err := writeAtomic(p, out); err != nil {
		return 0, err
	}
	return n, nil
}

// webpURLFor maps an image URL found in a page in folder dir of a site at
// root to its WebP's URL, when the image is a source with a WebP beside
// it. Only local paths are followed: no scheme, host, query or fragment.
func webpURLFor(u, root, dir string, webps map[string]bool) (string, bool) {
	if u == "" || strings.ContainsAny(u, "?#") || strings.HasPrefix(u, "//") {
		return "", false
	}
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "" || pu.Host != "" {
		return "", false
	}
	var file string
	if strings.HasPrefix(pu.Path, "/") {
		file = filepath.Join(root, filepath.FromSlash(path.Clean(pu.Path)))
	} else {
		file = filepath.Join(dir, filepath.FromSlash(pu.Path))
	}
	if file != root && !strings.HasPrefix(file, root+string(filepath.Separator)) {
		return "", false
	}
	if !webps[file] {
		return "", false
	}
	ext := path.Ext(u)
	return u[:len(u)-len(ext)] + ".webp", true
}
