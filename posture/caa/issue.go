package caa

import (
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/internal/msgtext"
)

// Issue is the value of an issue, issuewild, issuemail or issuevmc
// property: the issuer domain name of the CA it authorizes, and parameters
// that narrow the authorization (RFC 8659, Section 4.2; RFC 9495, Section
// 3).
type Issue struct {
	// IssuerDomain is the domain name a CA recognizes as its own, such as
	// "letsencrypt.org". Empty means no CA: alone, the record forbids
	// issuance.
	IssuerDomain string `json:"issuer_domain,omitempty"`
	// Params are the parameters in order. Their meaning is up to the CA,
	// except accounturi and validationmethods (RFC 8657).
	Params []Param `json:"params,omitempty"`
}

// Param is one parameter of an [Issue]: tag=value.
type Param struct {
	Tag   string `json:"tag"`
	Value string `json:"value"`
}

// The parameters RFC 8657 defines for issue and issuewild.
const (
	// ParamAccountURI limits the authorization to the CA account with
	// this URI (RFC 8657, Section 3), for ACME the account URL.
	ParamAccountURI = "accounturi"
	// ParamValidationMethods limits the authorization to the listed domain
	// validation methods, a comma-separated list of ACME method names such
	// as dns-01 (RFC 8657, Section 4).
	ParamValidationMethods = "validationmethods"
)

// ParseIssue parses the value of an issue-like property (RFC 8659, Section
// 4.2, with the names of erratum 7139):
//
//	issue-value = *WSP [issuer-domain-name *WSP]
//	   [";" *WSP [parameters *WSP]]
//	issuer-domain-name = label *("." label)
//	label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
//	parameters = (parameter *WSP ";" *WSP parameters) / parameter
//	parameter = parameter-tag *WSP "=" *WSP parameter-value
//	parameter-tag = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
//	parameter-value = *(%x21-3A / %x3C-7E)
//
// So "" and ";" name no CA, and a ';' may not end a list of parameters.
// The error is a [*SyntaxError] wrapping [ErrIssueSyntax] whose Offset is
// in value. CAs treat a value that does not parse as one naming no CA
// (RFC 8659, Section 4.2).
func ParseIssue(value string) (*Issue, error) {
	is, off, msg := parseIssue(value)
	if msg != "" {
		return nil, &SyntaxError{Offset: off, Msg: msg, Err: ErrIssueSyntax}
	}
	return is, nil
}

// String returns the value in canonical form: "ca.example",
// "ca.example; tag=value; tag=value", "; tag=value" or ";" (no CA).
// [ParseIssue] reads it back.
func (is *Issue) String() string {
	if is.IssuerDomain == "" && len(is.Params) == 0 {
		return ";"
	}
	var b strings.Builder
	b.WriteString(is.IssuerDomain)
	for _, p := range is.Params {
		b.WriteString("; ")
		b.WriteString(p.Tag)
		b.WriteByte('=')
		b.WriteString(p.Value)
	}
	return b.String()
}

// Param returns the value of the first parameter named tag (compared
// exactly, as CAs do) and whether there is one.
func (is *Issue) Param(tag string) (string, bool) {
	for _, p := range is.Params {
		if p.Tag == tag {
			return p.Value, true
		}
	}
	return "", false
}

// AccountURIs returns the values of the accounturi parameters. More than
// one makes the property unsatisfiable (RFC 8657, Section 3).
func (is *Issue) AccountURIs() []string {
	var out []string
	for _, p := range is.Params {
		if p.Tag == ParamAccountURI {
			out = append(out, p.Value)
		}
	}
	return out
}

// ValidationMethods returns the methods listed by the first
// validationmethods parameter, or nil when there is none (RFC 8657,
// Section 4).
func (is *Issue) ValidationMethods() []string {
	v, ok := is.Param(ParamValidationMethods)
	if !ok {
		return nil
	}
	if v == "" {
		return []string{}
	}
	return strings.Split(v, ",")
}

// parseIssue returns the parsed value, or the offset of the first problem
// and a message.
func parseIssue(v string) (*Issue, int, string) {
	is := &Issue{}
	i := skipWSP(v, 0)
	if i < len(v) && v[i] != ';' {
		end, msg := scanDomain(v, i)
		if msg != "" {
			return nil, end, msg
		}
		is.IssuerDomain = v[i:end]
		i = skipWSP(v, end)
		if i < len(v) && v[i] != ';' {
			return nil, i, afterDomainMsg(v, i)
		}
	}
	if i == len(v) {
		return is, 0, ""
	}
	// v[i] == ';'
	i = skipWSP(v, i+1)
	if i == len(v) {
		return is, 0, "" // "ca.example;" or ";"
	}
	for {
		p, end, msg := scanParam(v, i)
		if msg != "" {
			return nil, end, msg
		}
		is.Params = append(is.Params, p)
		i = skipWSP(v, end)
		if i == len(v) {
			return is, 0, ""
		}
		if v[i] != ';' {
			if v[i] < 0x21 || v[i] > 0x7e {
				return nil, i, fmt.Sprintf("parameter %s: character %q is not allowed; values are visible ASCII without ';'", p.Tag, v[i])
			}
			return nil, i, fmt.Sprintf("unexpected %q after parameter %s: parameters are separated by ';' and their values have no spaces", msgtext.Clip(v[i:]), p.Tag)
		}
		semi := i
		i = skipWSP(v, i+1)
		if i == len(v) {
			return nil, semi, "a ';' after the last parameter: remove it (the grammar allows a final ';' only after the issuer name)"
		}
	}
}

func skipWSP(v string, i int) int {
	for i < len(v) && isWSP(v[i]) {
		i++
	}
	return i
}

// scanLabel reads label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT)) at
// v[i] and returns its end, or the offset of the problem and a message.
func scanLabel(v string, i int, what string) (int, string) {
	start := i
	if i == len(v) || !isAlnum(v[i]) {
		return i, ""
	}
	for i < len(v) && (isAlnum(v[i]) || v[i] == '-') {
		i++
	}
	if v[i-1] == '-' {
		return i - 1, fmt.Sprintf("%s %q ends with '-'", what, v[start:i])
	}
	return i, ""
}

// scanDomain reads issuer-domain-name at v[i].
func scanDomain(v string, i int) (int, string) {
	start := i
	if strings.Contains(v[i:min(len(v), i+12)], "://") {
		return i, fmt.Sprintf("%q is a URL; the issuer is a domain name, such as letsencrypt.org", msgtext.Clip(v[i:]))
	}
	for {
		if i == len(v) || !isAlnum(v[i]) {
			return i, labelStartMsg(v, i, start)
		}
		end, msg := scanLabel(v, i, "label")
		if msg != "" {
			return end, msg
		}
		i = end
		if i == len(v) || v[i] != '.' {
			return i, ""
		}
		i++
		if i == len(v) || isWSP(v[i]) || v[i] == ';' {
			return i - 1, fmt.Sprintf("issuer domain name %q ends with a dot: write it without the final dot", v[start:i])
		}
	}
}

// labelStartMsg explains a character where a label should begin.
func labelStartMsg(v string, i, start int) string {
	if i == len(v) {
		return "empty label in the issuer domain name"
	}
	c := v[i]
	switch {
	case c == '.':
		return fmt.Sprintf("empty label in the issuer domain name %q", msgtext.Clip(v[start:]))
	case c == '"':
		return "the value contains a '\"': quote the value once, as in 0 issue \"letsencrypt.org\""
	case c >= 0x80:
		return "the issuer domain name is not ASCII: write it in A-label (xn--) form"
	case c == '*':
		return "the issuer is a CA's domain name, not a wildcard; to authorize wildcard certificates, use the issuewild tag"
	}
	return fmt.Sprintf("%q cannot start a label of the issuer domain name: labels are letters, digits and inner hyphens", c)
}

// afterDomainMsg explains what follows the issuer domain name when it is
// not ';'.
func afterDomainMsg(v string, i int) string {
	switch c := v[i]; {
	case isAlnum(c) || c == ',':
		return "two issuer names in one value: publish one record per CA"
	case c == '"':
		return "the value contains a '\"': quote the value once, as in 0 issue \"letsencrypt.org\""
	case c == '_':
		return "'_' is not allowed in an issuer domain name"
	case c == ':' || c == '/':
		return fmt.Sprintf("unexpected %q: the issuer is a bare domain name, without port or path", c)
	case c >= 0x80:
		return "the issuer domain name is not ASCII: write it in A-label (xn--) form"
	}
	return fmt.Sprintf("unexpected %q in the issuer domain name; parameters follow a ';'", msgtext.Clip(v[i:]))
}

// scanParam reads parameter = parameter-tag *WSP "=" *WSP parameter-value
// at v[i].
func scanParam(v string, i int) (Param, int, string) {
	start := i
	if !isAlnum(v[i]) {
		if v[i] == ';' {
			return Param{}, i, "empty parameter: two ';' with nothing between"
		}
		return Param{}, i, fmt.Sprintf("parameter names are letters, digits and inner hyphens, not %q", msgtext.Clip(v[i:]))
	}
	end, msg := scanLabel(v, i, "parameter name")
	if msg != "" {
		return Param{}, end, msg
	}
	tag := v[start:end]
	if end < len(v) && v[end] != '=' && v[end] != ';' && !isWSP(v[end]) {
		return Param{}, end, fmt.Sprintf("parameter name %q: only letters, digits and inner hyphens are allowed, not %q", msgtext.Clip(v[start:end+1]), v[end])
	}
	i = skipWSP(v, end)
	if i == len(v) || v[i] != '=' {
		return Param{}, i, fmt.Sprintf("parameter %q has no '=': write %s=value", tag, tag)
	}
	i = skipWSP(v, i+1)
	vstart := i
	for i < len(v) && isParamValueChar(v[i]) {
		i++
	}
	return Param{Tag: tag, Value: v[vstart:i]}, i, ""
}

// isParamValueChar: parameter-value = *(%x21-3A / %x3C-7E), visible ASCII
// but ';'.
func isParamValueChar(c byte) bool {
	return c >= 0x21 && c <= 0x7e && c != ';'
}
