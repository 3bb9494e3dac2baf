package dkim

import (
	"fmt"
	"slices"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
)

// Sections cited in findings.
const (
	rfcTagList  = "RFC 6376, Section 3.2"
	rfcKey      = "RFC 6376, Section 3.6.1"
	rfcLookup   = "RFC 6376, Section 3.6.2.2"
	rfcAlgs     = "RFC 8301, Section 3.1"
	rfcKeySizes = "RFC 8301, Section 3.2"
	rfcEd25519  = "RFC 8463, Section 4.2"
	rfcTLSRPT   = "RFC 8460, Section 3"
)

// Parse parses the value of a DKIM key record (RFC 6376, Section 3.6.1) and
// returns the first error, a [*SyntaxError] wrapping [ErrSyntax]: a
// malformed tag list, a repeated tag, a v= that is not first or not DKIM1,
// a missing p=, or a key that cannot be read for its k=. A record whose
// key type is unknown parses (verifiers ignore it; [Check] reports it), as
// does a revoked key (empty p=; see [Record.Revoked]). Unknown tags are
// kept in Extensions.
//
// The strings of a multi-string TXT record must be joined without spaces
// first, as resolvers deliver them.
func Parse(txt string) (*Record, error) {
	p := parser{}
	rec := p.parse(txt)
	if p.err != nil {
		return nil, p.err
	}
	return rec, nil
}

// Check parses a key record and reports every problem as findings: syntax
// errors, keys verifiers reject (RSA under 1024 bits, an unknown key type,
// SHA-1 only) and what is legal but unwise (RSA under 2048 bits, a revoked
// key, testing mode, a PKCS #1 key). The record is nil when the text does
// not parse.
func Check(txt string) (*Record, finding.List) {
	p := parser{collect: true}
	rec := p.parse(txt)
	if !p.failed {
		p.lint(rec)
	}
	p.findings.Sort()
	if p.failed {
		rec = nil
	}
	return rec, p.findings
}

// tag is one tag-spec of the tag list, with the offsets of its name and
// value.
type tag struct {
	name, value   string
	off, valueOff int
}

type parser struct {
	collect  bool
	err      *SyntaxError
	failed   bool
	findings finding.List

	// What lint needs to know about the text.
	hasVersion bool
	unpadded   bool
	tags       []tag
}

func (p *parser) fail(off int, code, rfc, msg, fix string) {
	p.failed = true
	if p.collect {
		p.findings = append(p.findings, finding.Finding{Code: code, Severity: finding.Error,
			Message: fmt.Sprintf("%s (at offset %d)", msg, off), RFC: rfc, Fix: fix})
	} else if p.err == nil {
		p.err = &SyntaxError{Offset: off, Msg: msg, Err: ErrSyntax}
	}
}

func (p *parser) add(sev finding.Severity, code, rfc, where, msg, fix string) {
	p.findings = append(p.findings, finding.Finding{Code: code, Severity: sev, Message: msg, Where: where, RFC: rfc, Fix: fix})
}

// tagList splits txt into its tag-specs (RFC 6376, Section 3.2):
//
//	tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//	tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//	tag-name  =  ALPHA *ALNUMPUNC
//	tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
//	tval      =  1*VALCHAR
//	VALCHAR   =  %x21-3A / %x3C-7E
//
// White space after the final ';' is tolerated.
func (p *parser) tagList(txt string) {
	for i := 0; ; {
		end := strings.IndexByte(txt[i:], ';')
		last := end < 0
		if last {
			end = len(txt)
		} else {
			end += i
		}
		a, b := i, end
		for a < b && isFWS(txt[a]) {
			a++
		}
		for b > a && isFWS(txt[b-1]) {
			b--
		}
		switch {
		case a == b && last && i == 0:
			p.fail(0, "dkim.syntax", rfcTagList, "the record is empty", "v=DKIM1; k=rsa; p=<base64 key>")
		case a == b && last:
			// [ ";" ] at the end
		case a == b:
			p.fail(a, "dkim.syntax", rfcTagList, "empty tag: a ';' with nothing before it", "remove the extra ';'")
		default:
			p.tagSpec(txt, a, b)
		}
		if last || (p.err != nil) {
			return
		}
		i = end + 1
	}
}

func (p *parser) tagSpec(txt string, a, b int) {
	spec := txt[a:b]
	eq := strings.IndexByte(spec, '=')
	if eq < 0 {
		p.fail(a, "dkim.syntax", rfcTagList, fmt.Sprintf("%q is not a tag: it has no '='", msgtext.Clip(spec)), "")
		return
	}
	ne := eq
	for ne > 0 && isFWS(spec[ne-1]) {
		ne--
	}
	name := spec[:ne]
	if msg := tagNameSyntax(name); msg != "" {
		p.fail(a, "dkim.syntax", rfcTagList, msg, "")
		return
	}
	vs := a + eq + 1
	for vs < b && isFWS(txt[vs]) {
		vs++
	}
	value := txt[vs:b]
	for k := 0; k < len(value); k++ {
		if c := value[k]; c < 0x21 && !isFWS(c) || c > 0x7e {
			p.fail(vs+k, "dkim.syntax", rfcTagList, fmt.Sprintf("tag %s: the character %q is not allowed in a value", name, c), "")
			return
		}
	}
	// RFC 6376, Section 3.2: tags with duplicate names MUST NOT occur; if
	// they do, the entire tag-list is invalid.
	for _, t := range p.tags {
		if t.name == name {
			p.fail(a, "dkim.duplicate_tag", rfcTagList,
				fmt.Sprintf("tag %s appears twice (first at offset %d), which makes the whole record invalid", name, t.off),
				"keep one "+name+"= tag")
			return
		}
	}
	p.tags = append(p.tags, tag{name: name, value: value, off: a, valueOff: vs})
}

// tagNameSyntax checks tag-name = ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA /
// DIGIT / "_" (RFC 6376, Section 3.2).
func tagNameSyntax(name string) string {
	if name == "" {
		return "a tag has no name before '='"
	}
	for k := 0; k < len(name); k++ {
		c := name[k]
		if isAlpha(c) || k > 0 && (isDigit(c) || c == '_') {
			continue
		}
		if isFWS(c) {
			return fmt.Sprintf("tag name %q contains a space: is a ';' missing before it?", msgtext.Clip(name))
		}
		return fmt.Sprintf("tag name %q: only letters, digits and '_' are allowed, starting with a letter", msgtext.Clip(name))
	}
	return ""
}

func (p *parser) parse(txt string) *Record {
	p.tagList(txt)
	if p.err != nil {
		return nil
	}
	rec := &Record{Version: Version, KeyType: KeyRSA}
	var pTag *tag
	for i := range p.tags {
		t := &p.tags[i]
		switch t.name {
		case "v":
			// RFC 6376, Section 3.6.1: if present, v= MUST be DKIM1 and the
			// first tag; records with another value MUST be discarded.
			p.hasVersion = true
			if i != 0 {
				p.fail(t.off, "dkim.version_not_first", rfcKey, "v= must be the first tag of the record", "move v=DKIM1 to the front")
			} else if t.value != Version {
				msg := fmt.Sprintf("v=%s: the only version is %s; verifiers discard the record", msgtext.Clip(t.value), Version)
				if strings.EqualFold(t.value, Version) {
					msg = fmt.Sprintf("v=%s: the version is %s (case matters); verifiers discard the record", msgtext.Clip(t.value), Version)
				}
				if strings.ContainsAny(t.value, " \t\r\n") {
					msg += "; is a ';' missing?"
				}
				p.fail(t.valueOff, "dkim.version_invalid", rfcKey, msg, "v="+Version)
			}
		case "k":
			if !p.checkWord(t, "key type", t.value) {
				continue
			}
			rec.KeyType = KeyType(t.value)
		case "h":
			for _, w := range p.list(t, false) {
				rec.Hashes = append(rec.Hashes, HashAlgorithm(w))
			}
		case "s":
			for _, w := range p.list(t, true) {
				rec.Services = append(rec.Services, Service(w))
			}
		case "t":
			for _, w := range p.list(t, false) {
				rec.Flags = append(rec.Flags, Flag(w))
			}
		case "n":
			rec.Notes = t.value
		case "p":
			pTag = t
		default:
			// RFC 6376, Section 3.6.1: unrecognized tags MUST be ignored.
			rec.Extensions = append(rec.Extensions, Tag{Name: t.name, Value: t.value})
		}
	}
	if pTag == nil {
		if p.failed {
			return rec // the p= tag may be the malformed one
		}
		// RFC 6376, Section 3.6.1: p= is REQUIRED.
		p.fail(len(txt), "dkim.key_missing", rfcKey, "the record has no p= tag, which holds the key", "add p=<base64 key>")
		return rec
	}
	p.key(rec, pTag)
	return rec
}

// checkWord checks hyphenated-word = ALPHA [ *(ALPHA / DIGIT / "-")
// (ALPHA / DIGIT) ] (RFC 6376, Section 2.10).
func (p *parser) checkWord(t *tag, what, w string) bool {
	ok := w != "" && isAlpha(w[0]) && w[len(w)-1] != '-'
	for k := 1; ok && k < len(w); k++ {
		c := w[k]
		ok = isAlpha(c) || isDigit(c) || c == '-'
	}
	if !ok {
		msg := fmt.Sprintf("tag %s: %q is not a %s (letters, digits and inner '-', starting with a letter)", t.name, msgtext.Clip(w), what)
		if strings.ContainsAny(w, " \t\r\n") {
			msg += "; is a ';' missing?"
		}
		p.fail(t.valueOff, "dkim.syntax", rfcKey, msg, "")
	}
	return ok
}

// list parses a colon-separated list of hyphenated-words, with FWS allowed
// around the colons (the h=, s= and t= tags of RFC 6376, Section 3.6.1);
// star allows "*" (s=).
func (p *parser) list(t *tag, star bool) []string {
	var out []string
	for _, w := range strings.Split(t.value, ":") {
		w = strings.TrimFunc(w, func(r rune) bool { return r < 0x80 && isFWS(byte(r)) })
		if star && w == "*" {
			out = append(out, w)
			continue
		}
		if !p.checkWord(t, "list entry", w) {
			return nil
		}
		out = append(out, w)
	}
	return out
}

// key decodes p= (RFC 6376, Section 3.6.1) for the record's key type.
func (p *parser) key(rec *Record, t *tag) {
	raw, unpadded, bad, msg := decodeBase64(t.value)
	if msg != "" {
		off := t.valueOff
		if bad >= 0 {
			off += bad
		}
		p.fail(off, "dkim.key_invalid", rfcKey, msg, "")
		return
	}
	var b strings.Builder
	for k := 0; k < len(t.value); k++ {
		if !isFWS(t.value[k]) {
			b.WriteByte(t.value[k])
		}
	}
	rec.PublicKey = b.String()
	if rec.PublicKey == "" {
		return // revoked
	}
	p.unpadded = unpadded
	_, info, msg, fix := decodeKey(rec.KeyType, raw)
	if msg != "" {
		rfc := rfcKey
		if rec.KeyType == KeyEd25519 {
			rfc = rfcEd25519
		}
		p.fail(t.valueOff, "dkim.key_invalid", rfc, msg, fix)
		return
	}
	rec.Key = info
}

var knownTags = [...]string{"v", "h", "k", "n", "p", "s", "t"}

// lint reports what is legal but unwise in a parsed record, and what makes
// verifiers reject a record that parses.
func (p *parser) lint(rec *Record) {
	if !p.hasVersion {
		p.add(finding.Info, "dkim.version_missing", rfcKey, "v=", "the record has no v=DKIM1; it is optional but recommended, and must come first", "start the record with v=DKIM1;")
	}
	switch rec.KeyType {
	case KeyRSA, KeyEd25519:
	default:
		// RFC 6376, Section 3.6.1: unrecognized key types MUST be ignored,
		// so no signature made with this key verifies.
		msg := fmt.Sprintf("k=%s is not a key type verifiers know (rsa, ed25519); they ignore the key, so no signature made with it verifies", msgtext.Clip(string(rec.KeyType)))
		fix := ""
		for _, k := range []KeyType{KeyRSA, KeyEd25519} {
			if strings.EqualFold(string(rec.KeyType), string(k)) {
				msg = fmt.Sprintf("k=%s is not %s: key types are case-sensitive, and verifiers ignore a key of an unknown type", rec.KeyType, k)
				fix = "k=" + string(k)
			}
		}
		p.add(finding.Error, "dkim.key_type_unknown", rfcKey, "k=", msg, fix)
	}
	if rec.Revoked() {
		p.add(finding.Warning, "dkim.key_revoked", rfcKey, "p=",
			"p= is empty: the key is revoked and every signature made with this selector fails",
			"remove the record once no mail signed with this selector is in transit, or publish the selector's current key")
	}
	if k := rec.Key; k != nil {
		if k.Format == FormatPKCS1 {
			p.add(finding.Warning, "dkim.key_pkcs1", rfcKey+" (erratum 3017)", "p=",
				"the RSA key is a bare RSAPublicKey (PKCS #1); verifiers expect SubjectPublicKeyInfo, and some read only that",
				"publish the key as SubjectPublicKeyInfo (openssl rsa -pubout)")
		}
		if k.Type == KeyRSA {
			switch {
			case k.Bits < 1024:
				// RFC 8301, Section 3.2: verifiers MUST NOT consider
				// signatures using RSA keys of less than 1024 bits as valid.
				p.add(finding.Error, "dkim.key_too_short", rfcKeySizes, "p=",
					fmt.Sprintf("the RSA key has %d bits; verifiers must reject keys under 1024 bits", k.Bits),
					"generate a 2048-bit key and publish it under a new selector")
			case k.Bits < 2048:
				// RFC 8301, Section 3.2: signers SHOULD use at least 2048.
				p.add(finding.Warning, "dkim.key_short", rfcKeySizes, "p=",
					fmt.Sprintf("the RSA key has %d bits; signers should use at least 2048", k.Bits),
					"generate a 2048-bit key and publish it under a new selector")
			case k.Bits > 4096:
				// RFC 8301, Section 3.2: verifiers MUST handle 1024 to 4096
				// bits and MAY handle more.
				p.add(finding.Warning, "dkim.key_long", rfcKeySizes, "p=",
					fmt.Sprintf("the RSA key has %d bits; verifiers need only handle keys up to 4096 bits", k.Bits),
					"use a 2048- to 4096-bit key")
			}
		}
	}
	if p.unpadded {
		p.add(finding.Warning, "dkim.key_padding", rfcKey, "p=",
			"p= lacks its final '=' padding; some verifiers (go-msgauth among them) then fail to decode the key",
			"p="+rec.PublicKey+strings.Repeat("=", (4-len(rec.PublicKey)%4)%4))
	}
	p.lintHashes(rec)
	p.lintServices(rec)
	for _, f := range rec.Flags {
		switch f {
		case FlagTesting:
			p.add(finding.Warning, "dkim.testing", rfcKey, "t=",
				"t=y: the domain is testing DKIM, and verifiers must treat its signed mail like unsigned mail",
				"remove y from t= once signatures verify")
		case FlagStrict:
		default:
			p.add(finding.Info, "dkim.flag_unknown", rfcKey, "t=", fmt.Sprintf("flag %q is unknown; verifiers ignore it", msgtext.Clip(string(f))), "")
		}
	}
	for _, e := range rec.Extensions {
		p.unknownTag(e.Name)
	}
}

func (p *parser) lintHashes(rec *Record) {
	if len(rec.Hashes) == 0 {
		return
	}
	// RFC 6376, Section 3.6.1: unrecognized algorithms MUST be ignored.
	// RFC 8301, Section 3.1: rsa-sha1 MUST NOT be used for verifying.
	usable := slices.Contains(rec.Hashes, HashSHA256)
	for _, h := range rec.Hashes {
		switch h {
		case HashSHA256:
		case HashSHA1:
			if usable {
				p.add(finding.Warning, "dkim.hash_sha1", rfcAlgs, "h=",
					"h= allows sha1, which RFC 8301 forbids for signing and verifying", "h=sha256")
			}
		default:
			p.add(finding.Info, "dkim.hash_unknown", rfcKey, "h=", fmt.Sprintf("hash algorithm %q is unknown; verifiers ignore it", msgtext.Clip(string(h))), "")
		}
	}
	if !usable {
		p.add(finding.Error, "dkim.hash_none", rfcAlgs, "h=",
			"h= does not allow sha256, the only hash verifiers accept (sha1 is forbidden by RFC 8301), so no signature made with this key verifies",
			"h=sha256, or remove h=")
	}
}

func (p *parser) lintServices(rec *Record) {
	if len(rec.Services) == 0 {
		return
	}
	all := slices.Contains(rec.Services, ServiceAll)
	email := all || slices.Contains(rec.Services, ServiceEmail)
	tlsrpt := all || slices.Contains(rec.Services, ServiceTLSRPT)
	for _, s := range rec.Services {
		if s != ServiceAll && s != ServiceEmail && s != ServiceTLSRPT {
			p.add(finding.Info, "dkim.service_unknown", rfcKey, "s=", fmt.Sprintf("service type %q is unknown; verifiers ignore it", msgtext.Clip(string(s))), "")
		}
	}
	switch {
	case !email && tlsrpt:
		p.add(finding.Info, "dkim.service_not_email", rfcKey, "s=",
			"the key may sign TLS-RPT reports only: mail verifiers ignore it", "")
	case !email:
		p.add(finding.Warning, "dkim.service_not_email", rfcKey, "s=",
			"s= does not list email or *: mail verifiers ignore this key", "remove s=, or s=email")
	case !tlsrpt:
		// RFC 8460, Section 3: the DKIM record SHOULD contain s=tlsrpt, and
		// report receivers may ignore reports signed with other keys.
		p.add(finding.Info, "dkim.service_no_tlsrpt", rfcTLSRPT, "s=",
			"s= does not list tlsrpt or *: TLS-RPT report receivers may ignore reports signed with this key", "if the key signs TLS-RPT reports, remove s= or add tlsrpt")
	}
}

func (p *parser) unknownTag(name string) {
	for _, k := range knownTags {
		if strings.EqualFold(name, k) {
			p.add(finding.Warning, "dkim.unknown_tag", rfcTagList, name+"=",
				fmt.Sprintf("tag %s= is not %s=: tag names are case-sensitive, so verifiers ignore it", name, k), "rename it "+k+"=")
			return
		}
	}
	if name == "g" {
		p.add(finding.Info, "dkim.unknown_tag", rfcKey, name+"=",
			"g= (granularity) was removed by RFC 6376; verifiers ignore it", "remove g=")
		return
	}
	p.add(finding.Info, "dkim.unknown_tag", rfcKey, name+"=", fmt.Sprintf("tag %s= is unknown; verifiers ignore it", msgtext.Clip(name)), "")
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
