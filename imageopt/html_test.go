package imageopt

import (
	"strings"
	"testing"
)

// webpOf maps every local .jpg/.png URL not named "missing" to .webp.
func webpOf(u string) (string, bool) {
	if strings.Contains(u, "missing") || strings.Contains(u, ":") {
		return "", false
	}
	for _, ext := range []string{".jpg", ".png"} {
		if strings.HasSuffix(u, ext) {
			return strings.TrimSuffix(u, ext) + ".webp", true
		}
	}
	return "", false
}

func TestRewriteHTML(t *testing.T) {
	for _, c := range []struct {
		in, want string
		n        int
	}{
		{`<p><img src="a.jpg" alt="A"></p>`,
			`<p><picture><source type="image/webp" srcset="a.webp"><img src="a.jpg" alt="A"></picture></p>`, 1},
		{`<IMG SRC=/img/b.png class=x />`,
			`<picture><source type="image/webp" srcset="/img/b.webp"><IMG SRC=/img/b.png class=x /></picture>`, 1},
		{`<img src="s.jpg" srcset="s.jpg 1x, l.jpg 2x" sizes="50vw">`,
			`<picture><source type="image/webp" srcset="s.webp 1x, l.webp 2x" sizes="50vw"><img src="s.jpg" srcset="s.jpg 1x, l.jpg 2x" sizes="50vw"></picture>`, 1},
		// Left alone: already in a picture, no WebP, external, inline
		// data, one srcset candidate without a WebP, script text.
		{`<picture><source srcset="a.avif"><img src="a.jpg"></picture>`, "", 0},
		{`<img src="missing.jpg">`, "", 0},
		{`<img src="https://cdn.example/a.jpg">`, "", 0},
		{`<img src="data:image/png;base64,AAAA">`, "", 0},
		{`<img src="a.jpg" srcset="a.jpg 1x, missing.jpg 2x">`, "", 0},
		{`<img alt="no source">`, "", 0},
		{`<script>document.write('<img src="a.jpg">')</script>`, "", 0},
		{`<!DOCTYPE html><!-- <img src="a.jpg"> --><title>a<b</title>` + "\r\n<p>text &amp; more", "", 0},
	} {
		want := c.want
		if want == "" {
			want = c.in
		}
		got, n, err := RewriteHTML([]byte(c.in), webpOf)
		if err != nil || string(got) != want || n != c.n {
			t.Errorf("%s\n got %s (%d, %v)\nwant %s (%d)", c.in, got, n, err, want, c.n)
		}
		// Rewriting again changes nothing.
		again, n2, _ := RewriteHTML(got, webpOf)
		if string(again) != string(got) || n2 != 0 {
			t.Errorf("second rewrite of %s: %s", c.in, again)
		}
	}
}

func TestWebPURLFor(t *testing.T) {
	root := "/site"
	webps := map[string]bool{"/site/img/a.jpg": true, "/site/blog/b.png": true, "/site/c d.jpg": true}
	for u, want := range map[string]string{
		"/img/a.jpg":          "/img/a.webp",
		"../img/a.jpg":        "../img/a.webp",
		"b.png":               "b.webp",
		"./b.png":             "./b.webp",
		"/c%20d.jpg":          "/c%20d.webp",
		"/img/a.jpg?v=2":      "",
		"/img/a.jpg#x":        "",
		"//cdn/img/a.jpg":     "",
		"https://x/img/a.jpg": "",
		"../../etc/a.jpg":     "",
		"/img/missing.jpg":    "",
		"":                    "",
	} {
		got, ok := webpURLFor(u, root, "/site/blog", webps)
		if got != want || ok != (want != "") {
			t.Errorf("%q: %q %v, want %q", u, got, ok, want)
		}
	}
}

func FuzzRewriteHTML(f *testing.F) {
	f.Add(`<p><img src="a.jpg"></p>`)
	f.Add(`<picture><img src=a.jpg></picture><img srcset=", ,">`)
	f.Add(`<img src="a.jpg"<img`)
	f.Fuzz(func(t *testing.T, doc string) {
		out, n, err := RewriteHTML([]byte(doc), webpOf)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 && string(out) != doc {
			t.Fatalf("nothing wrapped but the document changed:\n%q\n%q", doc, out)
		}
		if n > 0 && !strings.Contains(string(out), "<picture>") {
			t.Fatal("wrapped without a picture")
		}
	})
}
