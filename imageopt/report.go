package imageopt

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteTable writes the report as a table for people: one line per file
// with its format, original size, WebP size, saving and action (with the
// reason or error), then a total line.
func (r *Report) WriteTable(w io.Writer) error {
	head := []string{"file", "format", "original", "webp", "saving", "action"}
	rows := [][]string{head}
	for _, f := range r.Files {
		format := string(f.Format)
		if f.Frames > 1 {
			format += fmt.Sprintf(" (%d frames)", f.Frames)
		}
		webp, saving := "-", "-"
		if f.Output != "" && f.BytesOut > 0 {
			webp = humanBytes(f.BytesOut)
			if f.BytesIn > 0 {
				saving = fmt.Sprintf("%.1f%%", 100*(1-float64(f.BytesOut)/float64(f.BytesIn)))
			}
		}
		orig := "-"
		if f.BytesIn > 0 || f.Action != Failed {
			orig = humanBytes(f.BytesIn)
		}
		action := string(f.Action)
		switch {
		case f.Action == Failed:
			action += ": " + f.Error
		case f.Action == Kept || f.Action == Skipped && f.Output == "":
			action += ": " + f.Reason
		case f.Lossless:
			action += " (lossless)"
		}
		rows = append(rows, []string{f.Source, format, orig, webp, saving, action})
	}
	// Columns: left-aligned text, right-aligned numbers; the last one is
	// not padded.
	right := []bool{false, false, true, true, true, false}
	width := make([]int, len(head))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i == len(row)-1:
				b.WriteString(c)
			case right[i]:
				b.WriteString(pad + c + "  ")
			default:
				b.WriteString(c + pad + "  ")
			}
		}
		b.WriteString("\n")
	}
	line(rows[0])
	rule := make([]string, len(head))
	for i := range rule {
		rule[i] = strings.Repeat("-", width[i])
	}
	line(rule)
	for _, row := range rows[1:] {
		line(row)
	}
	s := r.Summary
	fmt.Fprintf(&b, "\n%d files: %d converted, %d kept, %d skipped (unchanged), %d failed; %d encoded with %d jobs in %.2fs\n",
		s.Files, s.Converted, s.Kept, s.Skipped, s.Failed, s.Encoded, s.Jobs, s.Seconds)
	if s.BytesIn > 0 {
		fmt.Fprintf(&b, "served: %s instead of %s (%.1f%% saved)\n", humanBytes(s.BytesServed), humanBytes(s.BytesIn), s.SavingPercent)
	}
	if s.HTMLImages > 0 || len(s.HTMLErrors) > 0 {
		fmt.Fprintf(&b, "html: %d images in %d files given a WebP <source>\n", s.HTMLImages, s.HTMLFiles)
		for _, e := range s.HTMLErrors {
			fmt.Fprintf(&b, "html: %s\n", e)
		}
	}
	if s.Interrupted {
		b.WriteString("interrupted: run again to finish; every file written is complete\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// humanBytes renders a size as people read it: 512 B, 12.3 KiB, 4.5 MiB.
func humanBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}
