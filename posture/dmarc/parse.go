package dmarc

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
	"github.com/posturekit/posturekit/internal/txtrec"
)

// Section names cited in findings. RFC 9989 numbers follow its published
// structure (see the package documentation).
const (
	rfcFormat     = "RFC 9989, Section 4.7"
	rfcABNF       = "RFC 9989, Section 4.8"
	rfcTreeWalk   = "RFC 9989, Section 4.10"
	rfcDiscovery  = "RFC 9989, Section 4.10.1"
	rfcAlignment  = "RFC 9989, Section 4.4"
	rfcOwner      = "RFC 9989, Section 5.1.4"
	rfcPSO        = "RFC 9989, Section 5.2"
	rfcRemoved    = "RFC 9989, Appendix C.5.2"
	rfcPct        = "RFC 9989, Appendix A.6"
	rfcFailPriv   = "RFC 9989, Section 10.2"
	rfc7489Format = "RFC 7489, Section 6.3"
	rfc7489ABNF   = "RFC 7489, Section 6.4"
	rfc7489Ext    = "RFC 7489, Section 7.1"
)

// IsRecord reports whether a TXT value is a DMARC record: it begins with
// the v tag with the value DMARC1, followed by the end or a ";"
// (dmarc-version = "v" equals %s"DMARC1", then dmarc-sep; RFC 9989,
// Sections 4.7 and 4.8). The tag name may be "V" and white space may
// surround the "=", but the value is case-sensitive: "v=dmarc1" is not a
// DMARC record, and receivers discard it.
func IsRecord(txt string) bool {
	_, ok := versionEnd(txt)
	return ok
}

// versionEnd returns the offset just after "DMARC1" when txt begins with a
// valid version tag.
func versionEnd(txt string) (int, bool) {
	if txt == "" || txt[0] != 'v' && txt[0] != 'V' {
		return 0, false
	}
	i := skipWSP(txt, 1)
	if i >= len(txt) || txt[i] != '=' {
		return 0, false
	}
	i = skipWSP(txt, i+1)
	if !strings.HasPrefix(txt[i:], Version) {
		return 0, false
	}
	end := i + len(Version)
	j := skipWSP(txt, end)
	if j < len(txt) && txt[j] != ';' {
		return 0, false
	}
	return end, true
}

func isWSP(c byte) bool { return c == ' ' || c == '\t' }

func skipWSP(s string, i int) int {
	for i < len(s) && isWSP(s[i]) {
		i++
	}
	return i
}

// Parse parses the value of a _dmarc TXT record as RFC 9989 defines it.
// isDMARC is false when the value is not a DMARC record at all (skip it;
// see [IsRecord]); when it is one but malformed, err is a [*SyntaxError]
// wrapping [ErrSyntax] for the first problem.
//
// Tag names are case-insensitive and so are the values (ABNF strings),
// which are stored in lower case; only "DMARC1" is case-sensitive. Unknown
// tags are kept in Unknown, and so are pct, ri and rf when their values
// are not valid RFC 7489 values (RFC 9989 removed them). A repeated tag is
// an error: RFC 9989 does not say which one counts, and receivers differ.
// A missing p is not a syntax error in RFC 9989: see [Check].
func Parse(txt string) (rec *Record, isDMARC bool, err error) {
	p := parser{txt: txt}
	rec, isDMARC = p.parse()
	if p.err != nil {
		return nil, isDMARC, p.err
	}
	return rec, isDMARC, nil
}

// Check parses a TXT value as RFC 9989 defines it and reports every syntax
// problem and everything legal but unwise as findings. The record returned
// is the one a receiver sees: malformed tags are left out, as RFC 9989,
// Section 4.8 tells receivers to do. It is nil when the value is not a
// DMARC record. Check reports an error whenever [Parse] fails, and also
// when the record has no p and no valid rua, which makes receivers skip
// DMARC for the domain.
func Check(txt string) (*Record, finding.List) {
	return check(txt, false)
}

// CheckLegacy is [Check] as receivers that implement only RFC 7489 read the
// record: p is required and must follow v=DMARC1 (RFC 7489, Section 6.3),
// pct, ri and rf are checked instead of reported as removed, fo=0:1 and
// the "!size" of report URIs are allowed, and np, t and psd (unknown to
// RFC 7489) are reported as ignored.
func CheckLegacy(txt string) (*Record, finding.List) {
	return check(txt, true)
}

func check(txt string, legacy bool) (*Record, finding.List) {
	p := parser{txt: txt, collect: true, legacy: legacy}
	rec, isDMARC := p.parse()
	if isDMARC {
		p.lint(rec)
	}
	p.findings.Sort()
	return rec, p.findings
}

// Validate reports the problems of a record built in code, as [Check]
// finds them in its String form.
func (r *Record) Validate() finding.List {
	_, l := Check(r.String())
	return l
}

// SelectRecord applies the selection rule of RFC 9989, Section 4.10, step 2
// to the TXT values found at one _dmarc name: values that are not DMARC
// records are discarded; if none is left it returns [ErrNoRecord], if more
// than one, [ErrMultipleRecords] (receivers discard them all). Otherwise it
// returns the record as a receiver reads it (see [Check]) and its text.
func SelectRecord(txts []string) (*Record, string, error) {
	found, n := txtrec.Only(txts, IsRecord)
	switch {
	case n == 0:
		return nil, "", ErrNoRecord
	case n > 1:
		return nil, "", fmt.Errorf("%w: %d records begin with v=DMARC1", ErrMultipleRecords, n)
	}
	rec, _ := Check(found)
	return rec, found, nil
}

// parseInfo is what the linter needs to know beyond the record.
type parseInfo struct {
	pPresent   bool // a p tag was present, valid or not
	ruaPresent bool // a rua tag was present, valid or not
	pIndex     int  // index of p among the tags after v
	badPolicy  bool // p, sp or np present with an invalid value
	sizes      []string
	nonMailto  []string
	removed    []Tag // pct, ri, rf as written
	emptyTag   int   // offset of the first empty tag, or -1
	foOff      int
	seen       [16]string // tag names seen (lower case), for duplicates
	seenOff    [16]int
	nseen      int
	extraNames map[string]int // tag names seen beyond the array
}

type parser struct {
	txt      string
	collect  bool
	legacy   bool
	err      *SyntaxError
	findings finding.List
	info     parseInfo
}

// fail records a syntax error. In collect mode it becomes a finding;
// otherwise the first one is kept.
func (p *parser) fail(off int, code, msg, fix string) {
	if p.collect {
		rfc := rfcABNF
		if p.legacy {
			rfc = rfc7489ABNF
		}
		p.findings = append(p.findings, finding.Finding{Code: code, Severity: finding.Error,
			Message: fmt.Sprintf("%s (at offset %d)", msg, off), RFC: rfc, Fix: fix})
	} else if p.err == nil {
		p.err = &SyntaxError{Offset: off, Msg: msg, Err: ErrSyntax}
	}
}

func (p *parser) add(sev finding.Severity, code, where, rfc, msg, fix string) {
	if p.collect {
		p.findings = append(p.findings, finding.Finding{Code: code, Severity: sev, Where: where, RFC: rfc, Message: msg, Fix: fix})
	}
}

const recordFix = "v=DMARC1; p=none; rua=mailto:dmarc-reports@<your domain>;"

func (p *parser) parse() (*Record, bool) {
	txt := p.txt
	end, ok := versionEnd(txt)
	if !ok {
		p.notDMARC()
		return nil, false
	}
	p.info.emptyTag = -1
	p.info.pIndex = -1
	rec := &Record{Version: Version}
	p.seen("v", 0)
	i := end
	ntag := 0
	for {
		// dmarc-sep = *WSP ";" *WSP; versionEnd and the tag loop leave i at
		// the white space or ";" after a value.
		i = skipWSP(txt, i)
		if i >= len(txt) {
			break
		}
		// txt[i] is ";": a value runs to the next ";" or the end.
		i = skipWSP(txt, i+1)
		if i >= len(txt) {
			break // [dmarc-sep] at the end
		}
		if txt[i] == ';' {
			if p.info.emptyTag < 0 {
				p.info.emptyTag = i
			}
			continue
		}
		start := i
		j := strings.IndexByte(txt[i:], ';')
		if j < 0 {
			j = len(txt)
		} else {
			j += i
		}
		seg := txt[start:j]
		i = j
		if p.err != nil {
			break
		}
		p.tag(rec, start, seg, ntag)
		ntag++
		if p.err != nil {
			break
		}
	}
	return rec, true
}

// notDMARC reports why txt is not a DMARC record.
func (p *parser) notDMARC() {
	txt := p.txt
	trimmed := strings.TrimLeft(txt, " \t\r\n")
	msg := "the record does not begin with v=DMARC1"
	switch {
	case trimmed != txt && IsRecord(trimmed):
		msg = "the record must begin with v=DMARC1, with nothing before it"
	case len(txt) >= 8 && strings.EqualFold(txt[:8], "v=DMARC1") && txt[2:8] != Version:
		msg = fmt.Sprintf("the version is %q: it is case-sensitive and must be exactly DMARC1", txt[2:8])
	case strings.HasPrefix(txt, "v=DMARC1"), strings.HasPrefix(txt, "V=DMARC1"):
		msg = "v=DMARC1 must be followed by \";\" (receivers read the version as " + strconv.Quote(msgtext.Clip(versionValue(txt))) + " and ignore the record)"
	case strings.HasPrefix(txt, "v=spf1"):
		msg = "this is an SPF record, not a DMARC record; DMARC records are published at _dmarc.<domain>"
	}
	p.fail(0, "dmarc.not_dmarc", msg, recordFix)
}

// versionValue returns the value of a first "v=" tag, up to the next ";".
func versionValue(txt string) string {
	v := txt[strings.IndexByte(txt, '=')+1:]
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// knownTags are the tags of RFC 9989 and RFC 7489.
var knownTags = [...]string{"v", "p", "sp", "np", "rua", "ruf", "fo", "adkim", "aspf", "t", "psd", "pct", "ri", "rf"}

// tag parses one dmarc-tag = 1*ALPHA equals 1*dmarc-value (RFC 9989,
// Section 4.8), seg running from offset off to the next ";".
func (p *parser) tag(rec *Record, off int, seg string, index int) {
	eq := strings.IndexByte(seg, '=')
	if eq < 0 {
		p.fail(off, "dmarc.syntax", fmt.Sprintf("%q is not a tag: no \"=\"", msgtext.Clip(strings.TrimRight(seg, " \t"))), "")
		return
	}
	rawName := strings.TrimRight(seg[:eq], " \t")
	for k := 0; k < len(rawName); k++ {
		if c := rawName[k]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			p.fail(off+k, "dmarc.syntax", fmt.Sprintf("tag name %q: only letters are allowed", msgtext.Clip(rawName)), "")
			return
		}
	}
	if rawName == "" {
		p.fail(off, "dmarc.syntax", "a tag has no name before \"=\"", "")
		return
	}
	name := strings.ToLower(rawName)
	voff := skipWSP(seg, eq+1)
	value := strings.TrimRight(seg[voff:], " \t")
	voff += off
	if value == "" {
		p.fail(voff, invalidCode(name), fmt.Sprintf("tag %s has no value", name), "")
		return
	}
	// dmarc-value = %x20-3A / %x3C-7E: printable ASCII and space.
	for k := 0; k < len(value); k++ {
		if c := value[k]; c < 0x20 || c > 0x7e {
			p.fail(voff+k, "dmarc.syntax", fmt.Sprintf("tag %s: character %q is not allowed in a value (printable ASCII only)", name, c), "")
			return
		}
	}
	if first, dup := p.seen(name, off); dup {
		p.fail(off, "dmarc.duplicate_tag", fmt.Sprintf("tag %s appears twice (first at offset %d): RFC 9989 does not say which one counts, and receivers differ", name, first),
			"keep one "+name+" tag")
		return
	}
	switch name {
	case "v":
		// Only the first tag may be v; a second one is a duplicate.
	case "p", "sp", "np":
		if name == "p" {
			p.info.pPresent = true
			p.info.pIndex = index
		}
		pol := Policy(strings.ToLower(value))
		if !pol.Valid() {
			p.info.badPolicy = true
			p.fail(voff, "dmarc."+name+"_invalid", fmt.Sprintf("%s=%s is not none, quarantine or reject%s; receivers then act as p=none if rua holds a valid URI, and apply no DMARC at all otherwise",
				name, msgtext.Clip(value), missingSemicolon(value)), name+"="+string(nearestPolicy(value)))
			return
		}
		switch name {
		case "p":
			rec.Policy = pol
		case "sp":
			rec.SubdomainPolicy = pol
		default:
			rec.NonexistentPolicy = pol
		}
	case "adkim", "aspf":
		a := Alignment(strings.ToLower(value))
		if a != AlignmentRelaxed && a != AlignmentStrict {
			p.fail(voff, "dmarc."+name+"_invalid", fmt.Sprintf("%s=%s is not r (relaxed) or s (strict)%s", name, msgtext.Clip(value), missingSemicolon(value)), name+"=r")
			return
		}
		if name == "adkim" {
			rec.DKIMAlignment = a
		} else {
			rec.SPFAlignment = a
		}
	case "t":
		switch strings.ToLower(value) {
		case "y":
			rec.Testing = true
		case "n":
		default:
			p.fail(voff, "dmarc.t_invalid", fmt.Sprintf("t=%s is not y or n%s", msgtext.Clip(value), missingSemicolon(value)), "t=n")
		}
	case "psd":
		v := PSD(strings.ToLower(value))
		if v != PSDYes && v != PSDNo && v != PSDUnknown {
			p.fail(voff, "dmarc.psd_invalid", fmt.Sprintf("psd=%s is not y, n or u%s", msgtext.Clip(value), missingSemicolon(value)), "psd=n")
			return
		}
		rec.PSD = v
	case "fo":
		p.info.foOff = voff
		p.fo(rec, voff, value)
	case "rua", "ruf":
		us := p.uris(name, voff, value)
		if name == "rua" {
			p.info.ruaPresent = true
			rec.AggregateReports = us
		} else {
			rec.FailureReports = us
		}
	case "pct", "ri", "rf":
		p.removedTag(rec, name, voff, value)
	default:
		rec.Unknown = append(rec.Unknown, Tag{Name: name, Value: value})
		p.unknownTag(name, value)
	}
}

// invalidCode is the code of a bad value of tag name: "dmarc.<name>_invalid"
// for the known tags, "dmarc.syntax" for the others.
func invalidCode(name string) string {
	for _, k := range knownTags {
		if k == name {
			return "dmarc." + name + "_invalid"
		}
	}
	return "dmarc.syntax"
}

// seen records a tag name; it returns the offset of an earlier one.
func (p *parser) seen(name string, off int) (int, bool) {
	in := &p.info
	for k := 0; k < in.nseen; k++ {
		if in.seen[k] == name {
			return in.seenOff[k], true
		}
	}
	if o, ok := in.extraNames[name]; ok {
		return o, true
	}
	if in.nseen < len(in.seen) {
		in.seen[in.nseen], in.seenOff[in.nseen] = name, off
		in.nseen++
	} else {
		if in.extraNames == nil {
			in.extraNames = map[string]int{}
		}
		in.extraNames[name] = off
	}
	return 0, false
}

// missingSemicolon hints at the usual cause of a value with a space and
// an "=" in it.
func missingSemicolon(value string) string {
	if strings.ContainsAny(value, " \t") && strings.Contains(value, "=") {
		return " (a \";\" is missing between tags?)"
	}
	return ""
}

// nearestPolicy guesses the policy a bad value meant.
func nearestPolicy(v string) Policy {
	l := strings.ToLower(strings.TrimSpace(v))
	switch {
	case strings.HasPrefix(l, "rej"), strings.HasPrefix(l, "re"):
		return PolicyReject
	case strings.HasPrefix(l, "q"):
		return PolicyQuarantine
	}
	return PolicyNone
}

// fo parses dmarc-fo (RFC 9989, Section 4.8): a colon-separated list of
// 0, 1, d and s, each at most once, with 0 and 1 mutually exclusive (RFC
// 7489, Section 6.4 allowed both, and white space around the colons).
func (p *parser) fo(rec *Record, off int, value string) {
	var opts []FailureOption
	var has [4]bool // 0, 1, d, s
	for part := range strings.SplitSeq(value, ":") {
		o := FailureOption(strings.ToLower(strings.TrimSpace(part)))
		k := -1
		switch o {
		case FailureAll:
			k = 0
		case FailureAny:
			k = 1
		case FailureDKIM:
			k = 2
		case FailureSPF:
			k = 3
		default:
			p.fail(off, "dmarc.fo_invalid", fmt.Sprintf("fo=%s: %q is not 0, 1, d or s%s", msgtext.Clip(value), msgtext.Clip(string(o)), missingSemicolon(value)), "fo=1")
			return
		}
		if has[k] {
			p.fail(off, "dmarc.fo_invalid", fmt.Sprintf("fo=%s: %s appears twice", msgtext.Clip(value), o), "")
			return
		}
		has[k] = true
		opts = append(opts, o)
	}
	if has[0] && has[1] && !p.legacy {
		p.fail(off, "dmarc.fo_invalid", fmt.Sprintf("fo=%s: 0 and 1 are mutually exclusive in RFC 9989 (1 asks for more reports than 0)", msgtext.Clip(value)), "fo=1")
		return
	}
	rec.FailureOptions = opts
}

// uris parses dmarc-urilist (RFC 9989, Section 4.8): URIs separated by
// commas with optional white space, each with the obsolete "!size". In
// collect mode the valid URIs are returned and each bad one reported.
func (p *parser) uris(tag string, off int, value string) []ReportURI {
	var us []ReportURI
	pos := 0
	for pos <= len(value) {
		k := strings.IndexByte(value[pos:], ',')
		if k < 0 {
			k = len(value)
		} else {
			k += pos
		}
		part := value[pos:k]
		partOff := off + pos + (len(part) - len(strings.TrimLeft(part, " \t")))
		part = strings.Trim(part, " \t")
		pos = k + 1
		if u, ok := p.uri(tag, partOff, part); ok {
			us = append(us, u)
		} else if !p.collect {
			return nil
		}
	}
	return us
}

// uri checks one dmarc-uri / obs-dmarc-uri. URI is RFC 3986's, with ","
// and "!" percent-encoded (RFC 9989, Section 4.8).
func (p *parser) uri(tag string, off int, s string) (ReportURI, bool) {
	code := "dmarc." + tag + "_invalid"
	if s == "" {
		p.fail(off, code, fmt.Sprintf("%s has an empty URI (two commas, or a comma at the end)", tag), "")
		return ReportURI{}, false
	}
	u := ReportURI{URI: s}
	if i := strings.IndexByte(s, '!'); i >= 0 {
		u.URI, u.Size = s[:i], s[i+1:]
		if !validSize(u.Size) {
			p.fail(off+i, code, fmt.Sprintf("%s URI %q: \"!\" starts a size limit (like !10m), so a \"!\" in a URI must be written %%21", tag, msgtext.Clip(s)), "")
			return ReportURI{}, false
		}
		if p.collect && !p.legacy {
			p.info.sizes = append(p.info.sizes, tag+"="+msgtext.Clip(s))
		}
	}
	if !hasScheme(u.URI) {
		if at := strings.IndexByte(u.URI, '@'); at > 0 && at < len(u.URI)-1 {
			p.fail(off, "dmarc.uri_missing_mailto", fmt.Sprintf("%s %q is an e-mail address, not a URI: receivers need mailto: before it", tag, msgtext.Clip(u.URI)),
				tag+"=mailto:"+u.URI)
			return ReportURI{}, false
		}
		p.fail(off, code, fmt.Sprintf("%s %q is not a URI (like mailto:dmarc@example.com)", tag, msgtext.Clip(u.URI)), "")
		return ReportURI{}, false
	}
	for k := 0; k < len(u.URI); k++ {
		c := u.URI[k]
		switch {
		case c == '%':
			if k+2 >= len(u.URI) || !isHex(u.URI[k+1]) || !isHex(u.URI[k+2]) {
				p.fail(off+k, code, fmt.Sprintf("%s URI %q: \"%%\" must start a %%XX escape", tag, msgtext.Clip(u.URI)), "")
				return ReportURI{}, false
			}
		case c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}':
			p.fail(off+k, code, fmt.Sprintf("%s URI %q: character %q is not allowed in a URI; percent-encode it", tag, msgtext.Clip(u.URI), c), "")
			return ReportURI{}, false
		}
	}
	if u.IsMailto() {
		if msg := mailtoSyntax(u.URI[len("mailto:"):]); msg != "" {
			p.fail(off, code, fmt.Sprintf("%s %q: %s", tag, msgtext.Clip(u.URI), msg), "")
			return ReportURI{}, false
		}
	} else if p.collect {
		p.info.nonMailto = append(p.info.nonMailto, tag+"="+msgtext.Clip(u.URI))
	}
	return u, true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// validSize checks obs-dmarc-report-size after the "!": 1*DIGIT [ "k" /
// "m" / "g" / "t" ].
func validSize(s string) bool {
	if s == "" {
		return false
	}
	n := len(s)
	switch s[n-1] {
	case 'k', 'm', 'g', 't', 'K', 'M', 'G', 'T':
		n--
	}
	if n == 0 {
		return false
	}
	for k := 0; k < n; k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return true
}

// mailtoSyntax checks the address of a mailto: URI: a local part, "@" and
// a domain name (RFC 6068 allows more, such as several addresses or
// headers after "?"; receivers send to one address).
func mailtoSyntax(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i]
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "no \"@\" in the address"
	}
	if at == 0 {
		return "the address has no local part before \"@\""
	}
	d := s[at+1:]
	if msg := domainSyntax(d); msg != "" {
		return "the address's domain " + msg
	}
	return ""
}

// domainSyntax checks an ASCII host name: dot-separated labels of letters,
// digits, "-" and "_", 1 to 63 characters each, not starting or ending with
// "-", at most 253 characters in all (RFC 1035, Section 2.3.4). A final
// dot is allowed.
func domainSyntax(d string) string {
	d = strings.TrimSuffix(d, ".")
	if d == "" {
		return "is empty"
	}
	if len(d) > 253 {
		return "is longer than 253 characters"
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" {
			return fmt.Sprintf("%q has an empty label", msgtext.Clip(d))
		}
		if len(label) > 63 {
			return fmt.Sprintf("%q has a label longer than 63 characters", msgtext.Clip(d))
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Sprintf("%q: a label may not start or end with \"-\"", msgtext.Clip(d))
		}
		for k := 0; k < len(label); k++ {
			c := label[k]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Sprintf("%q: character %q is not allowed in a host name", msgtext.Clip(d), c)
			}
		}
	}
	return ""
}

// removedTag handles pct, ri and rf: RFC 7489 tags that RFC 9989 removed
// (Appendix C.5.2). In the RFC 9989 view a bad value is no syntax error
// (receivers ignore the tag); it is kept in Unknown.
func (p *parser) removedTag(rec *Record, name string, off int, value string) {
	if p.collect {
		p.info.removed = append(p.info.removed, Tag{Name: name, Value: value})
	}
	bad := func(msg, fix string) {
		if p.legacy {
			p.fail(off, "dmarc."+name+"_invalid", msg, fix)
		} else {
			rec.Unknown = append(rec.Unknown, Tag{Name: name, Value: value})
		}
	}
	switch name {
	case "pct":
		// dmarc-percent = "pct" equals 1*3DIGIT, 0 to 100 (RFC 7489,
		// Section 6.4).
		n, err := strconv.Atoi(value)
		if err != nil || len(value) > 3 || value[0] < '0' || value[0] > '9' || n > 100 {
			bad(fmt.Sprintf("pct=%s is not a whole number from 0 to 100", msgtext.Clip(value)), "pct=100")
			return
		}
		rec.Percent = &n
	case "ri":
		// dmarc-ainterval = "ri" equals 1*DIGIT (RFC 7489, Section 6.4).
		n, err := strconv.ParseUint(value, 10, 32)
		if err != nil || value[0] < '0' || value[0] > '9' {
			bad(fmt.Sprintf("ri=%s is not a number of seconds", msgtext.Clip(value)), "ri=86400")
			return
		}
		v := uint32(n)
		rec.ReportInterval = &v
	case "rf":
		// dmarc-rfmt = "rf" equals Keyword *(*WSP ":" Keyword), Keyword
		// from RFC 5321, Section 4.1.2 (RFC 7489, Section 6.4).
		var fs []string
		for part := range strings.SplitSeq(value, ":") {
			k := strings.ToLower(strings.TrimSpace(part))
			if !isKeyword(k) {
				bad(fmt.Sprintf("rf=%s: %q is not a report format name", msgtext.Clip(value), msgtext.Clip(k)), "rf=afrf")
				return
			}
			fs = append(fs, k)
		}
		rec.ReportFormat = fs
	}
}

// isKeyword checks RFC 5321's Ldh-str: letters, digits and "-", starting
// with a letter or digit and not ending with "-".
func isKeyword(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for k := 0; k < len(s); k++ {
		c := s[k]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// unknownTag reports a tag neither RFC knows. Receivers ignore it (RFC
// 9989, Section 4.7), but a near miss of a known name is almost always a
// typo that silently drops the tag.
func (p *parser) unknownTag(name, value string) {
	if !p.collect {
		return
	}
	if len(name) >= 3 {
		for _, k := range knownTags {
			if len(k) >= 2 && msgtext.NearMiss(name, k) {
				p.add(finding.Warning, "dmarc.unknown_tag", name+"="+msgtext.Clip(value), rfcFormat,
					fmt.Sprintf("unknown tag %q is ignored by receivers: did you mean %q?", name, k), k+"="+value)
				return
			}
		}
	}
	p.add(finding.Info, "dmarc.unknown_tag", name+"="+msgtext.Clip(value), rfcFormat,
		fmt.Sprintf("unknown tag %q is ignored by receivers", name), "")
}
