package tlsrpt

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
	"golang.org/x/net/idna"
)

// uriSyntax checks one tlsrpt-uri (RFC 8460, Section 3): an RFC 3986 URI in
// which ',', '!' and ';' are percent-encoded. first is true for the first
// URI of the rua value. It returns "" when u is acceptable, or the offset
// in u of the problem, a message and, when one can be said, a fix.
func uriSyntax(u string, first bool) (off int, msg, fix string) {
	if u == "" {
		return 0, "empty URI: a ',' with nothing after it, or nothing before it", "separate the URIs with single commas"
	}
	if i := strings.IndexAny(u, " \t"); i >= 0 {
		if i == 0 && first {
			return 0, "no space is allowed after rua=", "rua=" + strings.TrimLeft(u, " \t")
		}
		return i, fmt.Sprintf("URI %q contains a space: separate URIs with ',' and fields with ';'", msgtext.Clip(u)), ""
	}
	// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986,
	// Section 3.1)
	colon := strings.IndexByte(u, ':')
	if colon <= 0 || !isAlpha(u[0]) {
		fix := ""
		if strings.Contains(u, "@") && !strings.Contains(u, "/") {
			fix = "rua=mailto:" + u
		}
		return 0, fmt.Sprintf("%q is not a URI: it needs a scheme, mailto: or https:", msgtext.Clip(u)), fix
	}
	for k := 1; k < colon; k++ {
		if c := u[k]; !isAlnum(c) && c != '+' && c != '-' && c != '.' {
			return k, fmt.Sprintf("%q is not a URI: its scheme may hold only letters, digits, '+', '-' and '.'", msgtext.Clip(u)), ""
		}
	}
	for k := colon + 1; k < len(u); k++ {
		c := u[k]
		switch {
		case c == '%':
			if k+2 >= len(u) || !isHex(u[k+1]) || !isHex(u[k+2]) {
				return k, fmt.Sprintf("URI %q: '%%' must be followed by two hexadecimal digits", msgtext.Clip(u)), ""
			}
			k += 2
		case c == '!':
			// RFC 8460, Section 3: commas, exclamation points and
			// semicolons MUST be encoded.
			return k, fmt.Sprintf("URI %q: '!' must be percent-encoded as %%21 (TLS-RPT has no !size suffix, unlike DMARC)", msgtext.Clip(u)),
				"rua=" + strings.ReplaceAll(u, "!", "%21")
		case isAlnum(c) || strings.IndexByte("-._~:/?#[]@$&'()*+=", c) >= 0:
		default:
			if c >= 0x80 {
				r, _ := utf8.DecodeRuneInString(u[k:])
				return k, fmt.Sprintf("URI %q: the non-ASCII character %q must be percent-encoded (as UTF-8)", msgtext.Clip(u), r), ""
			}
			return k, fmt.Sprintf("URI %q: the character %q must be percent-encoded", msgtext.Clip(u), c), ""
		}
	}
	return 0, "", ""
}

// lint reports what makes a URI of a parsed record unusable or unwise.
// domain, when not empty, is the domain the record is published for.
func lint(rec *Record, domain string) finding.List {
	var l finding.List
	add := func(code string, sev finding.Severity, where, msg, fix string) {
		l = append(l, finding.Finding{Code: code, Severity: sev, Message: msg, Where: where, RFC: rfcRecord, Fix: fix})
	}
	for i, u := range rec.RUA {
		where := "rua " + u
		for _, prev := range rec.RUA[:i] {
			if strings.EqualFold(prev, u) {
				add("tlsrpt.rua_duplicate", finding.Info, where, fmt.Sprintf("%q is listed twice", msgtext.Clip(u)), "remove the second one")
				break
			}
		}
		scheme, rest, _ := strings.Cut(u, ":")
		var hosts []string
		// RFC 8460, Section 3: two URI schemes are supported, mailto and
		// https. Schemes are case-insensitive (RFC 3986, Section 3.1).
		switch strings.ToLower(scheme) {
		case "mailto":
			var msg string
			hosts, msg = mailtoHosts(rest)
			if msg != "" {
				add("tlsrpt.rua_mailto_invalid", finding.Error, where, fmt.Sprintf("%s: senders cannot mail reports to it", msg), "rua=mailto:tlsrpt@"+orDomain(domain))
				continue
			}
		case "https":
			host, msg := httpsHost(u)
			if msg != "" {
				add("tlsrpt.rua_https_invalid", finding.Error, where, fmt.Sprintf("%s: senders cannot post reports to it", msg), "")
				continue
			}
			hosts = []string{host}
		case "http":
			add("tlsrpt.rua_scheme", finding.Error, where, "reports are posted over https only; senders ignore an http: URI", "rua=https:"+rest)
			continue
		default:
			add("tlsrpt.rua_scheme", finding.Error, where,
				fmt.Sprintf("the %s: scheme is not one TLS-RPT defines; senders report only to mailto: and https: URIs", msgtext.Clip(scheme)), "")
			continue
		}
		if domain == "" {
			continue
		}
		for _, h := range hosts {
			if isIPHost(h) {
				continue // whose it is cannot be told from the name
			}
			if !related(domain, h) {
				add("tlsrpt.rua_external", finding.Info, where,
					fmt.Sprintf("reports for %s go to %s, a name outside it; TLS-RPT needs no authorization for this (unlike DMARC), but make sure the owner of %s expects them", domain, h, h), "")
				break
			}
		}
	}
	if n := len(rec.RUA); n > 1 {
		add("tlsrpt.rua_multiple", finding.Info, "rua",
			fmt.Sprintf("%d report destinations: senders may deliver every report to each of them", n), "")
	}
	return l
}

func isIPHost(h string) bool {
	_, err := netip.ParseAddr(strings.Trim(h, "[]"))
	return err == nil || strings.HasPrefix(h, "[")
}

func orDomain(d string) string {
	if d == "" {
		return "<your domain>"
	}
	return d
}

// related reports whether host is domain, under it or above it, by the
// names alone: siblings such as a.example.com and b.example.com count as
// unrelated (the finding is only informational). The public suffix list
// would tell siblings of one organization apart from names of different
// ones, and it no longer keeps anything out of the browser build
// (dmarc.LegacyOrgDomain answers from internal/publicsuffix, which links
// no net/http), so comparing organizational domains is open to do.
func related(domain, host string) bool {
	d := strings.ToLower(strings.TrimSuffix(domain, "."))
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return d == h || strings.HasSuffix(h, "."+d) || strings.HasSuffix(d, "."+h) && strings.Contains(h, ".")
}

// mailtoHosts checks the part of a mailto: URI after the scheme (RFC 6068:
// to = addr-spec *("," addr-spec), then optional ?hfields) and returns the
// domains of its addresses, or a message saying what is wrong.
func mailtoHosts(rest string) ([]string, string) {
	to, _, _ := strings.Cut(rest, "?")
	if to == "" {
		return nil, "the mailto: URI has no address"
	}
	dec, err := url.PathUnescape(to)
	if err != nil {
		return nil, fmt.Sprintf("the mailto: address %q is not validly percent-encoded", msgtext.Clip(to))
	}
	var hosts []string
	for _, addr := range strings.Split(dec, ",") {
		host, msg := addrSpec(addr)
		if msg != "" {
			return nil, msg
		}
		hosts = append(hosts, host)
	}
	return hosts, ""
}

// addrSpec checks a mail address (RFC 5321, Section 4.1.2: Local-part "@"
// Domain, with the address literals of Section 4.1.3) and returns its
// domain.
func addrSpec(addr string) (string, string) {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return "", fmt.Sprintf("%q is not a mail address: it has no '@'", msgtext.Clip(addr))
	}
	local, domain := addr[:at], addr[at+1:]
	if msg := localPartSyntax(local); msg != "" {
		return "", fmt.Sprintf("mail address %q: %s", msgtext.Clip(addr), msg)
	}
	if strings.HasPrefix(domain, "[") && strings.HasSuffix(domain, "]") {
		lit := domain[1 : len(domain)-1]
		if v6, ok := strings.CutPrefix(lit, "IPv6:"); ok {
			lit = v6
		}
		if _, err := netip.ParseAddr(lit); err != nil {
			return "", fmt.Sprintf("mail address %q: %q is not an address literal", msgtext.Clip(addr), msgtext.Clip(domain))
		}
		return domain, ""
	}
	d := domain
	if !isASCII(d) {
		if !utf8.ValidString(d) {
			return "", fmt.Sprintf("mail address %q: the domain is not valid UTF-8", msgtext.Clip(addr))
		}
		a, err := idna.Lookup.ToASCII(d)
		if err != nil {
			return "", fmt.Sprintf("mail address %q: the domain is not a valid name: %v", msgtext.Clip(addr), err)
		}
		d = a
	}
	if msg := domainSyntax(d); msg != "" {
		return "", fmt.Sprintf("mail address %q: %s", msgtext.Clip(addr), msg)
	}
	if !strings.Contains(strings.TrimSuffix(d, "."), ".") {
		return "", fmt.Sprintf("mail address %q: %q is not a fully qualified domain name", msgtext.Clip(addr), d)
	}
	return d, ""
}

// localPartSyntax checks a Local-part (RFC 5321, Section 4.1.2): a
// Dot-string of atext, or a Quoted-string; UTF-8 is allowed (RFC 6531).
func localPartSyntax(local string) string {
	if local == "" {
		return "the part before '@' is empty"
	}
	if len(local) > 64 {
		// RFC 5321, Section 4.5.3.1.1
		return "the part before '@' is longer than 64 octets"
	}
	if len(local) >= 2 && local[0] == '"' && local[len(local)-1] == '"' {
		return ""
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "dots in the part before '@' must separate non-empty words"
	}
	for k := 0; k < len(local); k++ {
		c := local[k]
		if isAlnum(c) || c == '.' || c >= 0x80 || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0 {
			continue
		}
		return fmt.Sprintf("the character %q is not allowed before '@' (outside quotes)", c)
	}
	if !utf8.ValidString(local) {
		return "the part before '@' is not valid UTF-8"
	}
	return ""
}

// httpsHost checks an https: URI and returns its host.
func httpsHost(u string) (string, string) {
	pu, err := url.Parse(u)
	if err != nil {
		return "", fmt.Sprintf("%q is not a valid URL", msgtext.Clip(u))
	}
	if pu.Opaque != "" || pu.Host == "" {
		return "", fmt.Sprintf("%q has no host: write https://<host>/<path>", msgtext.Clip(u))
	}
	host := pu.Hostname()
	if _, err := netip.ParseAddr(host); err == nil {
		return host, ""
	}
	if msg := domainSyntax(host); msg != "" {
		return "", fmt.Sprintf("the host of %q: %s", msgtext.Clip(u), msg)
	}
	return host, ""
}

// domainSyntax checks an ASCII domain name against RFC 5321, Section 4.1.2
// (sub-domain = Let-dig [Ldh-str]) and the length limits of RFC 1035,
// Section 2.3.4. A final dot is allowed.
func domainSyntax(d string) string {
	d = strings.TrimSuffix(d, ".")
	if d == "" {
		return "the domain is empty"
	}
	if len(d) > 253 {
		return "the domain is longer than 253 characters"
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" {
			return "the domain has an empty label"
		}
		if len(label) > 63 {
			return fmt.Sprintf("label %q is longer than 63 characters", msgtext.Clip(label))
		}
		for k := 0; k < len(label); k++ {
			c := label[k]
			if !isAlnum(c) && (c != '-' || k == 0 || k == len(label)-1) {
				return fmt.Sprintf("label %q: only letters, digits and inner hyphens are allowed", msgtext.Clip(label))
			}
		}
	}
	return ""
}

func isASCII(s string) bool {
	for k := 0; k < len(s); k++ {
		if s[k] >= 0x80 {
			return false
		}
	}
	return true
}
