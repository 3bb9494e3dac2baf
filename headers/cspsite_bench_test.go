package headers

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
)

// benchSitePages is the number of pages of the generated site.
const benchSitePages = 5000

var (
	benchSiteOnce  sync.Once
	benchSite      [][]byte
	benchSiteBytes int64
)

// genSite makes a static site of n pages, as a static site generator
// writes them: a shared head (stylesheet, preloaded font, an analytics
// snippet every page repeats), a page-specific inline script and style,
// navigation, an article of paragraphs, links and images with srcset, a
// few event handlers and style attributes, and a footer script.
func genSite(n int) [][]byte {
	pages := make([][]byte, n)
	var b strings.Builder
	for i := range n {
		b.Reset()
		fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Post %d | Example blog</title>
<link rel="stylesheet" href="/assets/site.3f9a2c.css">
<link rel="preload" as="font" href="https://fonts.example.net/inter.woff2" crossorigin>
<link rel="icon" href="/favicon.ico">
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag("js",new Date());gtag("config","G-XXXXXXX");</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX"></script>
<script>window.__PAGE__ = {"id": %d, "slug": "post-%d", "tags": ["go", "csp", "static"]};</script>
<style>.post-%d .hero { background-image: url(/img/hero-%d.jpg); min-height: 40vh; }</style>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting","headline":"Post %d"}</script>
</head>
<body class="post-%d">
<header><nav><a href="/">Home</a> <a href="/about/">About</a> <a href="/tags/">Tags</a> <a href="https://github.com/example">GitHub</a></nav></header>
<main><article>
<h1>Post number %d</h1>
<p class="meta">Published <time datetime="2026-01-%02d">January %d</time> by <a href="/authors/ann/">Ann</a></p>
`, i, i, i, i, i, i, i, i, i%28+1, i%28+1)
		for p := range 12 {
			fmt.Fprintf(&b, `<p>Paragraph %d of post %d. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. See <a href="/posts/%d/">the previous post</a> and <a href="https://example.org/ref/%d">a reference</a>.</p>
`, p, i, (i+p)%n, p)
			if p%4 == 0 {
				fmt.Fprintf(&b, `<figure><img src="/img/p%d-%d.jpg" srcset="/img/p%d-%d.jpg 1x, /img/p%d-%d@2x.jpg 2x" alt="Figure %d" loading="lazy" width="800" height="450"><figcaption style="text-align: center">Figure %d</figcaption></figure>
`, i, p, i, p, i, p, p, p)
			}
		}
		fmt.Fprintf(&b, `<pre><code>func main() { fmt.Println("hello &lt;world&gt;") }</code></pre>
<button type="button" class="share" onclick="navigator.share({url: location.href})">Share</button>
</article></main>
<footer><p>&copy; 2026 Example. <a href="/privacy/">Privacy</a></p>
<form action="/search/" method="get"><input type="search" name="q" aria-label="Search"><button>Search</button></form>
</footer>
<script src="/assets/app.9b1e4d.js" defer></script>
<script>document.querySelectorAll("pre code").forEach(function (el) { el.classList.add("hl"); });</script>
</body></html>
`)
		pages[i] = []byte(b.String())
	}
	return pages
}

func benchPages(b *testing.B) [][]byte {
	benchSiteOnce.Do(func() {
		benchSite = genSite(benchSitePages)
		for _, p := range benchSite {
			benchSiteBytes += int64(len(p))
		}
	})
	b.SetBytes(benchSiteBytes)
	b.ReportAllocs()
	return benchSite
}

// BenchmarkSiteCSP computes the policy of a generated 5,000-page site
// (about 28 MB of HTML): compare its MB/s with the tokenizer floors below.
func BenchmarkSiteCSP(b *testing.B) {
	pages := benchPages(b)
	for b.Loop() {
		s := NewSiteCSP(SiteCSPOptions{Origin: "https://example.com"})
		for i, p := range pages {
			if err := s.AddPageBytes(benchName(i), p); err != nil {
				b.Fatal(err)
			}
		}
		r := s.Result()
		if r.Pages != len(pages) || r.InlineScripts != 2+len(pages) {
			b.Fatalf("pages %d, inline scripts %d", r.Pages, r.InlineScripts)
		}
	}
}

func benchName(i int) string { return "posts/" + fmt.Sprint(i) + "/index.html" }

// BenchmarkTokenizerFloor is the x/net/html tokenizer alone: every token
// read, nothing looked at. No reader of HTML can be faster.
func BenchmarkTokenizerFloor(b *testing.B) {
	pages := benchPages(b)
	for b.Loop() {
		for _, p := range pages {
			z := html.NewTokenizer(bytes.NewReader(p))
			for z.Next() != html.ErrorToken {
			}
			if z.Err() != io.EOF {
				b.Fatal(z.Err())
			}
		}
	}
}

// BenchmarkTokenizerAttrs is the tokenizer reading what a CSP computation
// must: every tag name and attribute, and the text of script and style.
func BenchmarkTokenizerAttrs(b *testing.B) {
	pages := benchPages(b)
	for b.Loop() {
		for _, p := range pages {
			z := html.NewTokenizer(bytes.NewReader(p))
			for {
				tt := z.Next()
				if tt == html.ErrorToken {
					break
				}
				switch tt {
				case html.StartTagToken, html.SelfClosingTagToken:
					_, more := z.TagName()
					for more {
						_, _, more = z.TagAttr()
					}
				case html.TextToken:
					_ = z.Text()
				}
			}
		}
	}
}
