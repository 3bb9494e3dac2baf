package headers

import (
	"errors"
	"testing"
)

// FuzzRender builds a site from a header set (ParseSet's input), a rule
// pattern and a rule value, and renders it in every format: no renderer
// panics, and each either renders or says why with ErrRender.
func FuzzRender(f *testing.F) {
	f.Add("Content-Security-Policy: default-src 'self'\nX-Frame-Options: DENY\n", "*.css", "max-age=60")
	f.Add("X-A: ${HOME} {$HOME} \\ \" ` %{x}e\n", "/assets/", "{host}")
	f.Add("Link: </a>\nLink: </b>\n", "/robots.txt", ":splat")
	f.Add(`{"Strict-Transport-Security": "max-age=1; preload", "Referrer-Policy": "no-referrer"}`, "*", "x")
	f.Fuzz(func(t *testing.T, set, pattern, value string) {
		s, err := ParseSet(set)
		if err != nil {
			return
		}
		site := &Site{Headers: *s, Paths: []PathRule{
			{Pattern: pattern, Headers: Set{Fields: []Field{{"Cache-Control", value}}}},
			{Pattern: "*.css", Headers: Set{Fields: []Field{{"X-Rule", value}}}},
		}}
		for _, format := range renderFormats {
			if _, err := Render(format, site); err != nil && !errors.Is(err, ErrRender) {
				t.Fatalf("%s: %v", format, err)
			}
		}
	})
}

func BenchmarkRenderStrict(b *testing.B) {
	site := strictSite()
	for _, format := range renderFormats {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(format, site); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
