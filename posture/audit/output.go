//go:build !js

package audit

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The report's renderings. JSON is the Report's own encoding (its field
// tags); WriteText is for a terminal and WriteMarkdown for a CI job's
// summary. Both show DNS and HTTP text (evidence, messages quoting it) with
// control characters escaped, so a TXT record cannot move the cursor or
// recolour a terminal, nor inject Markdown or HTML into a rendered page.

// statusOrder is the order the counts are shown in.
var statusOrder = []Status{Pass, Warn, Fail, Info, Error}

// Count returns the number of the report's checks with status s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// AtLeast reports whether a check of the report has status s or a worse one,
// for a CI gate: Warn matches warn, fail and error; Fail matches fail and
// error (a check that could not run does not let a gate pass); Error only
// error; Info and Pass match every report with checks.
func (r *Report) AtLeast(s Status) bool {
	for _, c := range r.Checks {
		if severity(c.Status) >= severity(s) {
			return true
		}
	}
	return false
}

// severity orders statuses for AtLeast.
func severity(s Status) int {
	switch s {
	case Warn:
		return 2
	case Fail:
		return 3
	case Error:
		return 4
	}
	return 1 // pass, info
}

// areaTitles are the headings of the areas.
var areaTitles = map[string]string{AreaMail: "Mail", AreaDNS: "DNS", AreaWeb: "Web"}

// ANSI SGR colours for WriteText.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiPurple = "\x1b[35m"
	ansiCyan   = "\x1b[36m"
)

// textStatus is how WriteText shows a status: a symbol, and a colour.
var textStatus = map[Status]struct{ symbol, color string }{
	Pass:  {"✓", ansiGreen},
	Warn:  {"!", ansiYellow},
	Fail:  {"✗", ansiRed},
	Info:  {"i", ansiCyan},
	Error: {"?", ansiPurple},
}

// WriteText writes the report for a person at a terminal: the grade and
// scores, then the checks by area, each with a status symbol and word, its
// message, and, indented, the evidence seen and the fix. With color, ANSI
// colours mark the statuses (the command line asks for them only when its
// output is a terminal and NO_COLOR is not set).
func (r *Report) WriteText(w io.Writer, color bool) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !color || code == "" {
			return s
		}
		return code + s + ansiReset
	}

	fmt.Fprintf(bw, "%s  %s  score %d/100\n", paint(ansiBold, clean(r.Domain)), paint(ansiBold, "grade "+r.Grade), r.Score)
	var areas []string
	for _, a := range r.Areas {
		areas = append(areas, fmt.Sprintf("%s %d/100", a.Name, a.Score))
	}
	if len(areas) > 0 {
		fmt.Fprintf(bw, "%s\n", strings.Join(areas, " · "))
	}
	fmt.Fprintf(bw, "%s\n", r.tally())
	if note := r.errorNote(); note != "" {
		fmt.Fprintf(bw, "%s\n", paint(ansiPurple, note))
	}

	width := 0
	for _, c := range r.Checks {
		width = max(width, utf8.RuneCountInString(c.ID))
	}
	width = min(width, 32)
	area := ""
	for _, c := range r.Checks {
		if c.Area != area {
			area = c.Area
			title := areaTitles[area]
			if title == "" {
				title = clean(area)
			}
			if s, ok := r.areaScore(area); ok {
				title += fmt.Sprintf("  %d/100", s)
			}
			fmt.Fprintf(bw, "\n%s\n", paint(ansiBold, title))
		}
		st, ok := textStatus[c.Status]
		if !ok {
			st.symbol = "?"
		}
		word := fmt.Sprintf("%-5s", clean(string(c.Status)))
		fmt.Fprintf(bw, "  %s %s  %-*s  %s\n", paint(st.color, st.symbol), paint(st.color, word), width, clean(c.ID), clean(c.Message))
		const indent = "            "
		for i, e := range c.Evidence {
			label := "seen: "
			if i > 0 {
				label = "      "
			}
			fmt.Fprintf(bw, "%s%s%s\n", indent, paint(ansiDim, label), clean(e))
		}
		if c.Fix != "" {
			for i, line := range strings.Split(strings.TrimRight(c.Fix, "\n"), "\n") {
				label := "fix:  "
				if i > 0 {
					label = "      "
				}
				fmt.Fprintf(bw, "%s%s%s\n", indent, paint(ansiDim, label), clean(line))
			}
		}
		if c.RFC != "" && c.Status != Pass {
			fmt.Fprintf(bw, "%s%s%s\n", indent, paint(ansiDim, "see:  "), clean(c.RFC))
		}
	}
	return bw.Flush()
}

// errorNote says how checks that could not run affect the score, or ""
// when all ran.
func (r *Report) errorNote() string {
	n := r.Count(Error)
	switch {
	case n == 0:
		return ""
	case r.Grade == ungraded:
		return fmt.Sprintf("%d %s could not run, and no other could be scored: no grade.", n, plural(n, "check", "checks"))
	}
	return fmt.Sprintf("%d %s could not run: the score leaves %s out, and the grade is at most %s.", n, plural(n, "check", "checks"), plural(n, "it", "them"), capError)
}

// areaScore returns the score of an area, if it was scored.
func (r *Report) areaScore(area string) (int, bool) {
	for _, a := range r.Areas {
		if a.Name == area {
			return a.Score, true
		}
	}
	return 0, false
}

// tally says how many checks ended how, and what the audit cost.
func (r *Report) tally() string {
	var parts []string
	for _, s := range statusOrder {
		if n := r.Count(s); n > 0 {
			word := string(s)
			if s == Error {
				word = "could not run"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, word))
		}
	}
	n := len(r.Checks)
	s := fmt.Sprintf("%d %s", n, plural(n, "check", "checks"))
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	s += fmt.Sprintf(" · %d DNS %s · %s", r.Stats.Queries, plural(int(r.Stats.Queries), "query", "queries"), strconv.FormatFloat(float64(r.Stats.DurationMS)/1000, 'f', 2, 64)+" s")
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mdStatus is how WriteMarkdown shows a status.
var mdStatus = map[Status]string{
	Pass:  "✅ pass",
	Warn:  "⚠️ warn",
	Fail:  "❌ fail",
	Info:  "ℹ️ info",
	Error: "❔ error",
}

// WriteMarkdown writes the report as GitHub-flavoured Markdown for a CI
// job: a heading with the grade, a table of the area scores, a table of
// every check, then, for each check that is not a pass (and each info
// with a fix), the evidence seen and the fix in code blocks. Text from the
// domain (records, headers, and messages that quote them) is escaped, so
// it shows as written and cannot add Markdown or HTML of its own.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## posturekit audit: %s\n\n", mdText(r.Domain))
	fmt.Fprintf(bw, "**Grade %s**, score %d/100\n\n", mdText(r.Grade), r.Score)
	if len(r.Areas) > 0 {
		bw.WriteString("| area | score |\n| --- | ---: |\n")
		for _, a := range r.Areas {
			fmt.Fprintf(bw, "| %s | %d |\n", mdText(a.Name), a.Score)
		}
		bw.WriteString("\n")
	}
	fmt.Fprintf(bw, "%s\n", mdText(r.tally()))
	if note := r.errorNote(); note != "" {
		fmt.Fprintf(bw, "\n%s\n", mdText(note))
	}
	if len(r.Checks) == 0 {
		return bw.Flush()
	}

	bw.WriteString("\n### Checks\n\n| status | check | finding |\n| --- | --- | --- |\n")
	for _, c := range r.Checks {
		st, ok := mdStatus[c.Status]
		if !ok {
			st = mdText(string(c.Status))
		}
		fmt.Fprintf(bw, "| %s | %s | %s |\n", st, mdText(c.ID), mdText(c.Message))
	}

	first := true
	for _, c := range r.Checks {
		if c.Status == Pass || c.Status == Info && c.Fix == "" {
			continue
		}
		if first {
			bw.WriteString("\n### What to change\n")
			first = false
		}
		st, ok := mdStatus[c.Status]
		if !ok {
			st = mdText(string(c.Status))
		}
		fmt.Fprintf(bw, "\n#### %s %s\n\n%s\n", st, mdText(c.ID), mdText(c.Message))
		if c.RFC != "" {
			fmt.Fprintf(bw, "\nSee %s.\n", mdText(c.RFC))
		}
		if len(c.Evidence) > 0 {
			lines := make([]string, len(c.Evidence))
			for i, e := range c.Evidence {
				lines[i] = clean(e)
			}
			fmt.Fprintf(bw, "\nSeen:\n\n%s", mdCode(lines))
		}
		if c.Fix != "" {
			lines := strings.Split(strings.TrimRight(c.Fix, "\n"), "\n")
			for i := range lines {
				lines[i] = clean(lines[i])
			}
			fmt.Fprintf(bw, "\nFix:\n\n%s", mdCode(lines))
		}
	}
	return bw.Flush()
}

// mdSyntax are the ASCII punctuation characters that can start Markdown
// syntax in GitHub's dialect: escapes, code, emphasis, strikethrough,
// links and images, autolinks (URL and e-mail: ":", "@", "."), HTML and
// entities, table cells, headings, list items ("-", "+", "1." or "1)")
// and maths ("$").
const mdSyntax = "\\`*_~[]()!<>&|#+-.:@$"

// mdText escapes s for Markdown text, a table cell included: control
// characters as in clean (so line breaks too), and each of mdSyntax with a
// backslash (CommonMark, Section 2.4: an escaped ASCII punctuation
// character stands for itself; "\|" is also how a GFM table cell holds a
// "|"). What comes out renders as the text that went in, with no
// emphasis, link, HTML or table syntax of its own.
func mdText(s string) string {
	s = clean(s)
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && strings.ContainsRune(mdSyntax, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode returns lines as a fenced code block. The fence is longer than
// any run of backticks in the lines (CommonMark, Section 4.5: a block
// ends only at a fence at least as long as the opening one), so no line
// can end the block early; inside, text is shown as it is.
func mdCode(lines []string) string {
	longest, run := 0, 0
	for _, l := range lines {
		for _, r := range l {
			if r == '`' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
		run = 0
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "text\n" + strings.Join(lines, "\n") + "\n" + fence + "\n"
}

// clean returns s with what a terminal or a page would act on escaped as
// Go escapes it (\x1b, \u202e): C0 and C1 control characters (tabs and
// line breaks included, since each piece of evidence is one line), DEL,
// the bidirectional overrides and isolates that reorder text ("Trojan
// Source"), and bytes that are not UTF-8. A backslash is left as it is.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if unsafeRune(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports whether clean escapes r.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
}

// Line returns a result as one line of text, for a bulk audit at a
// terminal: the domain, grade, scores and the number of checks that need
// attention, or why the domain could not be audited.
func (r Result) Line() string {
	if r.Err != nil || r.Report == nil {
		return fmt.Sprintf("%s: could not audit: %s\n", clean(r.Domain), clean(r.errText()))
	}
	rep := r.Report
	var b strings.Builder
	fmt.Fprintf(&b, "%s: grade %s, score %d", clean(rep.Domain), rep.Grade, rep.Score)
	var areas []string
	for _, a := range rep.Areas {
		areas = append(areas, fmt.Sprintf("%s %d", a.Name, a.Score))
	}
	if len(areas) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(areas, ", "))
	}
	var counts []string
	for _, s := range []Status{Fail, Warn, Error} {
		if n := rep.Count(s); n > 0 {
			word := string(s)
			if s == Error {
				word = "could not run"
			}
			counts = append(counts, fmt.Sprintf("%d %s", n, word))
		}
	}
	if len(counts) > 0 {
		fmt.Fprintf(&b, "; %s", strings.Join(counts, ", "))
	}
	b.WriteString("\n")
	return b.String()
}

// WriteMarkdown writes a result as WriteMarkdown writes a report or, for
// a domain that could not be audited, a heading and the reason.
func (r Result) WriteMarkdown(w io.Writer) error {
	if r.Err != nil || r.Report == nil {
		_, err := fmt.Fprintf(w, "## posturekit audit: %s\n\nCould not audit: %s\n", mdText(r.Domain), mdText(r.errText()))
		return err
	}
	return r.Report.WriteMarkdown(w)
}

// errText is the reason a result has no report.
func (r Result) errText() string {
	if r.Err != nil {
		return r.Err.Error()
	}
	return "no report"
}
