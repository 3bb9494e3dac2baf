//go:build !js

package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleReport has a check of every status, evidence, a fix of two lines
// and hostile text from the domain.
func sampleReport() *Report {
	r := &Report{Domain: "example.com", Checks: []Check{
		{ID: "mail.spf", Area: AreaMail, Status: Pass, Message: "SPF record found", Evidence: []string{"v=spf1 mx -all"}},
		{ID: "mail.dmarc.policy", Area: AreaMail, Status: Warn, Message: "p=none only monitors", Evidence: []string{"v=DMARC1; p=none"},
			Fix: `_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject"`, RFC: "RFC 9989, Section 4.7"},
		{ID: "dns.caa", Area: AreaDNS, Status: Fail, Message: "no CAA records", Evidence: []string{},
			Fix: "example.com. 3600 IN CAA 0 issue \"letsencrypt.org\"\nexample.com. 3600 IN CAA 0 iodef \"mailto:security@example.com\"\n"},
		{ID: "dns.dnssec", Area: AreaDNS, Status: Error, Message: "could not check DNSSEC: the audit's time ran out", Evidence: []string{}},
		{ID: "web.hsts", Area: AreaWeb, Status: Info, Message: "header seen", Evidence: []string{"Strict-Transport-Security: max-age=1\x1b[2J\u202e"}},
	}, Stats: Stats{Queries: 12, DurationMS: 1234}}
	score(r)
	return r
}

func TestWriteText(t *testing.T) {
	r := sampleReport()
	var b bytes.Buffer
	require.NoError(t, r.WriteText(&b, false))
	assert.Equal(t, `example.com  grade D  score 50/100
mail 75/100 · dns 0/100
5 checks: 1 pass, 1 warn, 1 fail, 1 info, 1 could not run · 12 DNS queries · 1.23 s
1 check could not run: the score leaves it out, and the grade is at most B.

Mail  75/100
  ✓ pass   mail.spf           SPF record found
            seen: v=spf1 mx -all
  ! warn   mail.dmarc.policy  p=none only monitors
            seen: v=DMARC1; p=none
            fix:  _dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject"
            see:  RFC 9989, Section 4.7

DNS  0/100
  ✗ fail   dns.caa            no CAA records
            fix:  example.com. 3600 IN CAA 0 issue "letsencrypt.org"
                  example.com. 3600 IN CAA 0 iodef "mailto:security@example.com"
  ? error  dns.dnssec         could not check DNSSEC: the audit's time ran out

Web
  i info   web.hsts           header seen
            seen: Strict-Transport-Security: max-age=1\x1b[2J\u202e
`, b.String())
	assert.NotContains(t, b.String(), "\x1b", "no colour unless asked")

	b.Reset()
	require.NoError(t, r.WriteText(&b, true))
	out := b.String()
	assert.Contains(t, out, "\x1b[31m✗\x1b[0m \x1b[31mfail \x1b[0m  dns.caa")
	assert.Contains(t, out, "\x1b[32m✓\x1b[0m \x1b[32mpass \x1b[0m  mail.spf")
	assert.Contains(t, out, "\x1b[33m!\x1b[0m \x1b[33mwarn \x1b[0m")
	assert.Contains(t, out, "\x1b[1mgrade D\x1b[0m")
	// The only escape sequences are the colours: SGR codes, each ended.
	sgr := regexp.MustCompile(`\x1b\[[0-9]+m`)
	assert.NotContains(t, sgr.ReplaceAllString(out, ""), "\x1b", "the TXT record's ESC reached the terminal")
	assert.Contains(t, out, `max-age=1\x1b[2J\u202e`)
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"v=spf1 -all":          "v=spf1 -all",
		"bücher ✓":             "bücher ✓",
		"a\tb\r\nc":            `a\x09b\x0d\x0ac`,
		"\x1b]0;title\x07":     `\x1b]0;title\x07`,
		"\x7f\u0085":           `\x7f\x85`,
		"admin\u202etxt.exe":   `admin\u202etxt.exe`,
		"x\u2066y\u2069\u200f": `x\u2066y\u2069\u200f`,
		"bad \xff\xfe utf-8":   `bad \xff\xfe utf-8`,
		`back\slash`:           `back\slash`,
	} {
		assert.Equal(t, want, clean(in), "%q", in)
	}
}

func TestAtLeast(t *testing.T) {
	r := &Report{Checks: []Check{ck("mail.spf", Pass), ck("mail.dkim", Info)}}
	assert.False(t, r.AtLeast(Warn))
	assert.False(t, r.AtLeast(Fail))
	r.Checks = append(r.Checks, ck("dns.caa", Warn))
	assert.True(t, r.AtLeast(Warn))
	assert.False(t, r.AtLeast(Fail))
	r.Checks = []Check{ck("dns.caa", Error)}
	assert.True(t, r.AtLeast(Warn), "a check that could not run counts as a fail")
	assert.True(t, r.AtLeast(Fail))
	r.Checks = []Check{ck("dns.caa", Fail)}
	assert.True(t, r.AtLeast(Fail))
	assert.False(t, r.AtLeast(Error))
	assert.Equal(t, 1, r.Count(Fail))
	assert.Equal(t, 0, r.Count(Pass))
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, with = and ;":  "plain text, with = and ;",
		"a | b":                     `a \| b`,
		"<img src=x onerror=y>":     `\<img src=x onerror=y\>`,
		"**bold** _it_ ~~s~~ `c`":   "\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`c\\`",
		"[x](http://e.example)":     `\[x\]\(http\://e\.example\)`,
		"1. item":                   `1\. item`,
		"# heading":                 `\# heading`,
		"line\nbreak":               `line\\x0abreak`,
		"$x$ foo@bar.example &amp;": `\$x\$ foo\@bar\.example \&amp;`,
	} {
		assert.Equal(t, want, mdText(in), "%q", in)
	}
	assert.Equal(t, "```text\na\nb\n```\n", mdCode([]string{"a", "b"}))
	assert.Equal(t, "````text\n```\nx ``\n````\n", mdCode([]string{"```", "x ``"}))
	assert.Equal(t, "````````text\n```````\n````````\n", mdCode([]string{"```````"}))
}

// cmarkGFM renders Markdown as GitHub does, with Debian's cmark-gfm (the
// reference implementation of GitHub Flavored Markdown), raw HTML let
// through (--unsafe) so that any that gets into the Markdown shows.
func cmarkGFM(t *testing.T, md string) string {
	t.Helper()
	path, err := exec.LookPath("cmark-gfm")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("cmark-gfm is missing (Debian package cmark-gfm); CI must install it")
		}
		t.Skip("cmark-gfm is missing: apt-get install cmark-gfm")
	}
	cmd := exec.Command(path, "--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter")
	cmd.Stdin = strings.NewReader(md)
	out, err := cmd.Output()
	require.NoError(t, err)
	return string(out)
}

// htmlText is s escaped as cmark-gfm escapes text.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func TestWriteMarkdownRendered(t *testing.T) {
	hostile := "x | y <script>alert(1)</script> <img src=x onerror=alert(2)> **b** [l](https://evil.example) https://evil.example www.evil.example a@evil.example ~~s~~"
	r := &Report{Domain: "example.com", Checks: []Check{
		{ID: "mail.spf", Area: AreaMail, Status: Pass, Message: "SPF record found", Evidence: []string{"v=spf1 -all"}},
		{ID: "mail.dmarc", Area: AreaMail, Status: Fail, Message: "record: " + hostile,
			Evidence: []string{"```", "</code></pre><script>alert(3)</script>", "`````` six"},
			Fix:      `_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"`},
		{ID: "web.headers", Area: AreaWeb, Status: Warn, Message: "#  not a heading", Evidence: []string{"X-A: <b>&amp;</b>"}},
	}}
	score(r)
	var b bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&b))
	md := b.String()
	page := cmarkGFM(t, md)

	// GitHub's autolink extension links an e-mail address even when its
	// "@" is escaped; the link shows its whole destination, so it hides
	// nothing. No other link, and no tag but those of the report's own
	// structure, gets through.
	mailto := `<a href="mailto:a@evil.example">a@evil.example</a>`
	assert.Equal(t, 2, strings.Count(page, mailto))
	rest := strings.ReplaceAll(page, mailto, "")
	assert.NotContains(t, rest, "href", "a link in the rendered report:\n%s", page)
	tags := regexp.MustCompile(`<(/?[a-zA-Z0-9]+)`)
	allowed := map[string]bool{}
	for _, tag := range strings.Fields("h2 /h2 h3 /h3 h4 /h4 p /p strong /strong table /table thead /thead tbody /tbody tr /tr th /th td /td pre /pre code /code") {
		allowed[tag] = true
	}
	for _, m := range tags.FindAllStringSubmatch(rest, -1) {
		assert.True(t, allowed[m[1]], "tag <%s> in the rendered report:\n%s", m[1], page)
	}
	// The hostile message shows as written, in its table cell.
	assert.Contains(t, page, "<td>record: "+strings.Replace(htmlText(hostile), "a@evil.example", mailto, 1)+"</td>")
	// Three rows of checks, three cells each, in the table of checks.
	checks := page[strings.Index(page, "<h3>Checks</h3>"):]
	checks = checks[:strings.Index(checks, "</table>")]
	assert.Equal(t, 4, strings.Count(checks, "<tr>"))
	assert.Equal(t, 9, strings.Count(checks, "<td>"))
	// The evidence and the fix are code blocks holding the text as it
	// was: a line of backticks cannot close them.
	assert.Contains(t, page, `<pre><code class="language-text">`+htmlText("```\n</code></pre><script>alert(3)</script>\n`````` six\n")+"</code></pre>")
	assert.Contains(t, page, `<pre><code class="language-text">`+htmlText(`_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"`)+"\n</code></pre>")
	assert.Contains(t, page, "<h4>⚠️ warn web.headers</h4>\n<p>#  not a heading</p>")
	assert.Contains(t, page, "<h2>posturekit audit: example.com</h2>")
	assert.Contains(t, page, "<strong>Grade D</strong>, score 50/100")
	// A pass has no details; the fail and the warn have.
	assert.Equal(t, 2, strings.Count(page, "<h4>"))
}

func TestWriteMarkdown(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sampleReport().WriteMarkdown(&b))
	assert.Equal(t, "## posturekit audit: example\\.com\n\n"+
		"**Grade D**, score 50/100\n\n"+
		"| area | score |\n| --- | ---: |\n| mail | 75 |\n| dns | 0 |\n\n"+
		"5 checks\\: 1 pass, 1 warn, 1 fail, 1 info, 1 could not run · 12 DNS queries · 1\\.23 s\n\n"+
		"1 check could not run\\: the score leaves it out, and the grade is at most B\\.\n\n"+
		"### Checks\n\n| status | check | finding |\n| --- | --- | --- |\n"+
		"| ✅ pass | mail\\.spf | SPF record found |\n"+
		"| ⚠️ warn | mail\\.dmarc\\.policy | p=none only monitors |\n"+
		"| ❌ fail | dns\\.caa | no CAA records |\n"+
		"| ❔ error | dns\\.dnssec | could not check DNSSEC\\: the audit's time ran out |\n"+
		"| ℹ️ info | web\\.hsts | header seen |\n\n"+
		"### What to change\n\n"+
		"#### ⚠️ warn mail\\.dmarc\\.policy\n\np=none only monitors\n\nSee RFC 9989, Section 4\\.7.\n\n"+
		"Seen:\n\n```text\nv=DMARC1; p=none\n```\n\n"+
		"Fix:\n\n```text\n_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=reject\"\n```\n\n"+
		"#### ❌ fail dns\\.caa\n\nno CAA records\n\n"+
		"Fix:\n\n```text\nexample.com. 3600 IN CAA 0 issue \"letsencrypt.org\"\nexample.com. 3600 IN CAA 0 iodef \"mailto:security@example.com\"\n```\n\n"+
		"#### ❔ error dns\\.dnssec\n\ncould not check DNSSEC\\: the audit's time ran out\n",
		b.String())
}

func TestResultOutputs(t *testing.T) {
	ok := Result{Index: 0, Domain: "Example.com", Report: sampleReport()}
	bad := Result{Index: 1, Domain: "bad\x1b[31mname", Err: errors.New("audit: domain \"bad\\x1b[31mname\": idna: disallowed rune U+001B")}

	assert.Equal(t, "example.com: grade D, score 50 (mail 75, dns 0); 1 fail, 1 warn, 1 could not run\n", ok.Line())
	assert.Equal(t, `bad\x1b[31mname: could not audit: audit: domain "bad\x1b[31mname": idna: disallowed rune U+001B`+"\n", bad.Line())

	b, err := json.Marshal(bad)
	require.NoError(t, err)
	assert.Equal(t, `{"domain":"bad\u001b[31mname","error":"audit: domain \"bad\\x1b[31mname\": idna: disallowed rune U+001B"}`, string(b))
	b, err = json.Marshal(ok)
	require.NoError(t, err)
	want, err := json.Marshal(ok.Report)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(b))

	var md bytes.Buffer
	require.NoError(t, bad.WriteMarkdown(&md))
	assert.Equal(t, "## posturekit audit: bad\\\\x1b\\[31mname\n\nCould not audit: audit\\: domain \"bad\\\\x1b\\[31mname\"\\: idna\\: disallowed rune U\\+001B\n", md.String())
}

// FuzzClean checks that what clean and mdText return is safe whatever the
// input: valid UTF-8 with nothing a terminal acts on, and in Markdown no
// syntax character without its backslash.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"v=spf1 -all", "\x1b[2J", "a\u202eb", "\xff", "**x** | <b>", "`", `\\`, "é\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("clean(%q) = %q: not UTF-8", s, c)
		}
		for _, r := range c {
			if unsafeRune(r) {
				t.Fatalf("clean(%q) = %q holds %U", s, c, r)
			}
		}
		if clean(c) != c {
			t.Fatalf("clean(%q) = %q, cleaned again %q", s, c, clean(c))
		}
		m := mdText(s)
		escaped := false
		for _, r := range m {
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case strings.ContainsRune(mdSyntax, r):
				t.Fatalf("mdText(%q) = %q: %q without a backslash", s, m, r)
			}
		}
		if escaped {
			t.Fatalf("mdText(%q) = %q ends in a lone backslash", s, m)
		}
	})
}
