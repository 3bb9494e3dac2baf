package ttlcalc

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// SVGOptions control [Model.SVG]. Zero values choose defaults.
type SVGOptions struct {
	// Width and Height of the image in pixels; default 720 by 420.
	Width, Height int
	// From and To bound the time axis, which is logarithmic; by default
	// from a twentieth of the rule's TTL (at least 1 s) to past the time
	// to 100% (or to 99.9%).
	From, To time.Duration
	// Title is the heading; by default the kind of change, its TTL and
	// the population.
	Title string
}

// svgSamples is the number of points of each curve.
const svgSamples = 240

// SVG plots the updated fraction over time, with the half-life rule beside
// it, as a standalone SVG image (no scripts, no external resources). The
// output depends only on the model and the options.
func (m *Model) SVG(opt SVGOptions) string {
	w, h := opt.Width, opt.Height
	if w <= 0 {
		w = 720
	}
	if h <= 0 {
		h = 420
	}
	w, h = min(max(w, 240), 4000), min(max(h, 180), 4000)
	from, to := seconds(opt.From), seconds(opt.To)
	if from <= 0 {
		from = max(1, m.ruleTTL/20)
	}
	if to <= from {
		end := m.bound
		if math.IsInf(end, 1) {
			end, _ = m.quantile(0.999)
		}
		to = max(end*1.5, m.ruleTTL*20, seconds(m.change.PublishDelay)*4, from*100)
	}
	title := opt.Title
	if title == "" {
		title = fmt.Sprintf("%s change, TTL %s, population %s", m.change.kind(), FormatDuration(fromSeconds(m.ruleTTL)), m.population)
	}

	const left, right, top, bottom = 72.0, 24.0, 44.0, 84.0
	pw, ph := float64(w)-left-right, float64(h)-top-bottom
	lf, lt := math.Log(from), math.Log(to)
	x := func(t float64) float64 { return left + pw*(math.Log(t)-lf)/(lt-lf) }
	y := func(f float64) float64 { return top + ph*(1-yScale(f)) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", xmlEscape(title))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", w, h)
	fmt.Fprintf(&b, `<text x="%.1f" y="24" font-size="15" font-weight="bold">%s</text>`+"\n", left, xmlEscape(title))

	// Grid and axes.
	b.WriteString(`<g stroke="#ddd" stroke-width="1">` + "\n")
	for _, f := range yTicks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", left, y(f), left+pw, y(f))
	}
	ticks := timeTicks(from, to)
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", x(t), top, x(t), top+ph)
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#444"/>`+"\n", left, top, pw, ph)
	b.WriteString(`<g fill="#444" text-anchor="end">` + "\n")
	for _, f := range yTicks {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s%%</text>`+"\n", left-6, y(f)+4, strconv.FormatFloat(f*100, 'f', -1, 64))
	}
	b.WriteString("</g>\n")
	b.WriteString(`<g fill="#444" text-anchor="middle">` + "\n")
	for _, t := range ticks {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", x(t), top+ph+16, FormatDuration(fromSeconds(t)))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">time since the change (log scale)</text>`+"\n", left+pw/2, top+ph+34)
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<text transform="translate(14 %.1f) rotate(-90)" fill="#444" text-anchor="middle">updated (linear to 90%%, then by the share left)</text>`+"\n", top+ph/2)

	// The curves.
	poly := func(f func(float64) float64, style string) {
		b.WriteString(`<polyline fill="none" ` + style + ` points="`)
		for i := 0; i <= svgSamples; i++ {
			t := math.Exp(lf + (lt-lf)*float64(i)/svgSamples)
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x(t), y(f(t)))
		}
		b.WriteString(`"/>` + "\n")
	}
	rule := func(t float64) float64 { return m.RuleFraction(fromSeconds(t)) }
	poly(rule, `stroke="#d62728" stroke-width="2" stroke-dasharray="6 4"`)
	poly(m.fraction, `stroke="#1f77b4" stroke-width="2.5"`)
	if !math.IsInf(m.bound, 1) && m.bound > from && m.bound < to {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1f77b4" stroke-dasharray="2 3"/>`+"\n", x(m.bound), top, x(m.bound), top+ph)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#1f77b4" text-anchor="end">100%% at %s</text>`+"\n", x(m.bound)-4, top+ph-8, FormatDuration(fromSeconds(math.Round(m.bound))))
	}

	// Legend, in the lower right where both curves are near 100%.
	lx, ly := left+pw-250, top+ph-62
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="240" height="42" fill="#fff" stroke="#ccc"/>`+"\n", lx, ly)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1f77b4" stroke-width="2.5"/>`+"\n", lx+8, ly+14, lx+36, ly+14)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">model (%s)</text>`+"\n", lx+42, ly+18, xmlEscape(clip(m.population, 24)))
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d62728" stroke-width="2" stroke-dasharray="6 4"/>`+"\n", lx+8, ly+31, lx+36, ly+31)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">half-life rule, 1 - 2^(-t/TTL)</text>`+"\n", lx+42, ly+35)

	// The assumption, on up to two lines.
	note := m.assumption
	if note != "" {
		note = "Assumption: " + note
	}
	maxChars := int(float64(w-2*int(left)) / 5.9)
	for i, line := range wrap(note, maxChars, 3) {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#666" font-size="11">%s</text>`+"\n", left, top+ph+54+float64(i)*14, xmlEscape(line))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// yTicks are the labelled fractions.
var yTicks = []float64{0, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1}

// yScale maps a fraction to the height of the plot, 0 to 1: linear up to
// 90% (the lower 60% of the plot), then logarithmic in the share not yet
// updated, from 10% to 0.01%, so that the tail the floors set is visible.
func yScale(f float64) float64 {
	switch {
	case f <= 0:
		return 0
	case f <= 0.9:
		return 0.6 * f / 0.9
	case f >= 1:
		return 1
	}
	return 0.6 + 0.4*min(math.Log10(0.1/(1-f))/3, 1)
}

// timeTicks picks round times for the axis, at most about nine.
func timeTicks(from, to float64) []float64 {
	cands := []float64{1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 2 * 3600, 6 * 3600, 12 * 3600,
		86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 90 * 86400, 365 * 86400}
	var in []float64
	for _, c := range cands {
		if c >= from && c <= to {
			in = append(in, c)
		}
	}
	for len(in) > 9 {
		var half []float64
		for i := 0; i < len(in); i += 2 {
			half = append(half, in[i])
		}
		in = half
	}
	return in
}

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		default:
			if r < 0x20 && r != '\t' && r != '\n' || r == 0xFFFD || r >= 0xFFFE && r <= 0xFFFF {
				b.WriteRune(' ') // not allowed in XML 1.0
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// wrap breaks s into at most lines lines of about width runes.
func wrap(s string, width, lines int) []string {
	var out []string
	var cur []string
	n := 0
	for _, word := range strings.Fields(s) {
		if n > 0 && n+1+len([]rune(word)) > width {
			out = append(out, strings.Join(cur, " "))
			cur, n = nil, 0
		}
		cur = append(cur, word)
		n += len([]rune(word)) + 1
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, " "))
	}
	if len(out) > lines {
		out = out[:lines]
		out[lines-1] = clip(out[lines-1]+" …", width)
	}
	return out
}
