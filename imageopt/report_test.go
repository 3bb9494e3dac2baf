package imageopt

import (
	"strings"
	"testing"
)

func TestWriteTable(t *testing.T) {
	rep := &Report{
		Files: []*FileResult{
			{Source: "site/a.jpg", Output: "site/a.webp", Action: Converted, Format: JPEG, BytesIn: 200_000, BytesOut: 50_000},
			{Source: "site/logo.png", Output: "site/logo.webp", Action: Skipped, Format: PNG, BytesIn: 4000, BytesOut: 1000},
			{Source: "site/icon.png", Output: "site/icon.webp", Action: Converted, Format: PNG, BytesIn: 900, BytesOut: 300, Lossless: true},
			{Source: "site/anim.gif", Action: Kept, Format: GIF, Frames: 24, BytesIn: 4438, Reason: "WebP not worth it: 5102 B against 4438 B, larger"},
			{Source: "site/bad.jpg", Action: Failed, Error: "imageopt: corrupt image: unexpected EOF"},
		},
	}
	rep.Summary.add(rep.Files)
	rep.Summary.Jobs, rep.Summary.Seconds = 2, 1.5
	var b strings.Builder
	if err := rep.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	want := `file           format            original      webp  saving  action
-------------  ---------------  ---------  --------  ------  ------------------------------------------------------
site/a.jpg     jpeg             195.3 KiB  48.8 KiB   75.0%  converted
site/logo.png  png                3.9 KiB    1000 B   75.0%  skipped
site/icon.png  png                  900 B     300 B   66.7%  converted (lossless)
site/anim.gif  gif (24 frames)    4.3 KiB         -       -  kept: WebP not worth it: 5102 B against 4438 B, larger
site/bad.jpg                            -         -       -  failed: imageopt: corrupt image: unexpected EOF

5 files: 2 converted, 1 kept, 1 skipped (unchanged), 1 failed; 3 encoded with 2 jobs in 1.50s
served: 54.4 KiB instead of 204.4 KiB (73.4% saved)
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	s := rep.Summary
	if s.Converted != 2 || s.Skipped != 1 || s.Kept != 1 || s.Failed != 1 || s.BytesIn != 209338 || s.BytesOut != 51300 || s.BytesServed != 55738 {
		t.Errorf("summary %+v", s)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 20: "5.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
