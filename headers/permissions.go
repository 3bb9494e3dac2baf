package headers

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// PermissionsPolicy is a Permissions-Policy header (W3C Permissions
// Policy): for each powerful feature, the origins that may use it. It is
// an RFC 8941 dictionary: camera=(), geolocation=(self "https://maps.example"),
// fullscreen=*. It replaced Feature-Policy, whose grammar ("camera 'none'")
// browsers no longer read.
type PermissionsPolicy struct {
	Features []Feature `json:"features"`
}

// Feature is one member of a Permissions-Policy: the feature and its
// allowlist. Allow holds "*" (every origin), "self", "src" and origins
// ("https://maps.example"); an empty Allow disables the feature everywhere.
type Feature struct {
	Name  string   `json:"name"`
	Allow []string `json:"allow"`
}

// ErrPermissions: a Permissions-Policy value that is no RFC 8941
// dictionary; browsers ignore the whole header.
var ErrPermissions = errors.New("headers: bad Permissions-Policy")

// knownFeatures are the policy-controlled features browsers know (the W3C
// and WICG specifications that define them, and Chromium's list), with
// true for those now obsolete: browsers ignore these like unknown names.
var knownFeatures = map[string]bool{
	"accelerometer": false, "all-screens-capture": false, "ambient-light-sensor": false,
	"attribution-reporting": false, "autoplay": false, "battery": false, "bluetooth": false,
	"browsing-topics": false, "camera": false, "captured-surface-control": false,
	"ch-device-memory": false, "ch-downlink": false, "ch-dpr": false, "ch-ect": false,
	"ch-prefers-color-scheme": false, "ch-prefers-reduced-motion": false,
	"ch-prefers-reduced-transparency": false, "ch-rtt": false, "ch-save-data": false,
	"ch-ua": false, "ch-ua-arch": false, "ch-ua-bitness": false, "ch-ua-form-factors": false,
	"ch-ua-full-version": false, "ch-ua-full-version-list": false, "ch-ua-mobile": false,
	"ch-ua-model": false, "ch-ua-platform": false, "ch-ua-platform-version": false,
	"ch-ua-wow64": false, "ch-viewport-height": false, "ch-viewport-width": false, "ch-width": false,
	"clipboard-read": false, "clipboard-write": false, "compute-pressure": false,
	"cross-origin-isolated": false, "deferred-fetch": false, "deferred-fetch-minimal": false,
	"digital-credentials-get": false, "direct-sockets": false, "display-capture": false,
	"document-domain": false, "encrypted-media": false, "execution-while-not-rendered": false,
	"execution-while-out-of-viewport": false, "fullscreen": false, "gamepad": false,
	"geolocation": false, "gyroscope": false, "hid": false, "identity-credentials-get": false,
	"idle-detection": false, "join-ad-interest-group": false, "keyboard-map": false,
	"language-detector": false, "local-fonts": false, "magnetometer": false, "microphone": false,
	"midi": false, "otp-credentials": false, "payment": false, "picture-in-picture": false,
	"private-aggregation": false, "private-state-token-issuance": false,
	"private-state-token-redemption": false, "publickey-credentials-create": false,
	"publickey-credentials-get": false, "rewriter": false, "run-ad-auction": false,
	"screen-wake-lock": false, "serial": false, "shared-storage": false,
	"shared-storage-select-url": false, "smart-card": false, "speaker-selection": false,
	"storage-access": false, "summarizer": false, "sync-xhr": false, "translator": false,
	"unload": false, "usb": false, "web-share": false, "window-management": false,
	"writer": false, "xr-spatial-tracking": false,
	// Obsolete: renamed, removed or never shipped.
	"interest-cohort": true, "vr": true, "speaker": true, "wake-lock": true,
	"layout-animations": true, "legacy-image-formats": true, "oversized-images": true,
	"unoptimized-images": true, "unsized-media": true, "sync-script": true,
	"document-write": true, "lazyload": true, "vertical-scroll": true,
	"focus-without-user-activation": true, "conversion-measurement": true,
	"trust-token-redemption": true, "navigation-override": true,
}

// KnownFeatures returns the names of the features browsers enforce,
// sorted.
func KnownFeatures() []string {
	var out []string
	for f, obsolete := range knownFeatures {
		if !obsolete {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// ParsePermissionsPolicy reads a Permissions-Policy value. It fails when
// the value is no RFC 8941 dictionary (browsers then ignore the header:
// this is the usual fate of a Feature-Policy value sent under the new
// name). Members whose value is no allowlist are dropped here; use
// [CheckPermissionsPolicy] to hear about them.
func ParsePermissionsPolicy(text string) (*PermissionsPolicy, error) {
	p, _, err := parsePermissions(text)
	return p, err
}

func parsePermissions(text string) (*PermissionsPolicy, Findings, error) {
	members, err := parseSFXDictionary(text)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "structured field: ")
		if strings.Contains(text, "'") || strings.Contains(text, ";") && !strings.Contains(text, "=") {
			msg += `; this looks like Feature-Policy syntax ("camera 'none'"), which Permissions-Policy does not read`
		}
		return nil, nil, fmt.Errorf("%w: %s", ErrPermissions, msg)
	}
	var notes Findings
	note := func(code string, sev Severity, where, msg, fix string) {
		notes = append(notes, Finding{Code: code, Severity: sev, Header: HeaderPermissions, Where: where, Message: msg, Fix: fix})
	}
	p := &PermissionsPolicy{}
	for _, m := range members {
		f := Feature{Name: m.Key, Allow: []string{}}
		var items []sfxValue
		switch m.Value.Kind {
		case sfxInnerList:
			items = m.Value.Inner
		case sfxToken, sfxStr:
			items = []sfxValue{m.Value}
		default:
			note("headers.permissions_bad_allowlist", Warning, m.Key,
				fmt.Sprintf("%s has no allowlist (want *, self, () or a list in parentheses); browsers ignore it", m.Key),
				m.Key+"=()")
			continue
		}
		for _, it := range items {
			switch {
			case it.Kind == sfxToken && (it.Str == "*" || it.Str == "self" || it.Str == "src"):
				f.Allow = append(f.Allow, it.Str)
			case it.Kind == sfxStr:
				f.Allow = append(f.Allow, it.Str)
			case it.Kind == sfxToken && strings.Contains(it.Str, "://"):
				note("headers.permissions_unquoted_origin", Warning, m.Key,
					fmt.Sprintf("the origin %s in %s is not quoted, so browsers ignore it", it.Str, m.Key),
					fmt.Sprintf("write %q", it.Str))
			default:
				note("headers.permissions_bad_allowlist", Warning, m.Key,
					fmt.Sprintf("%s in %s is not *, self, src or a quoted origin; browsers ignore it", sfxText(it), m.Key),
					"use self or a quoted origin such as \"https://example.com\"")
			}
		}
		p.Features = append(p.Features, f)
	}
	return p, notes, nil
}

// sfxText shows an item as written, for messages.
func sfxText(v sfxValue) string {
	switch v.Kind {
	case sfxToken:
		return v.Str
	case sfxStr:
		return sfxString(v.Str)
	case sfxBoolean:
		if v.Bool {
			return "?1"
		}
		return "?0"
	case sfxInteger:
		return fmt.Sprint(v.Int)
	case sfxDecimal:
		return fmt.Sprint(v.Dec)
	}
	return "a byte sequence"
}

// String returns the header value: members joined by ", ", a feature on
// for every origin as name=*, otherwise name=(...) with self and src as
// tokens and origins as strings.
func (p *PermissionsPolicy) String() string {
	var b strings.Builder
	for i, f := range p.Features {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Name)
		b.WriteByte('=')
		if len(f.Allow) == 1 && f.Allow[0] == "*" {
			b.WriteByte('*')
			continue
		}
		b.WriteByte('(')
		for j, a := range f.Allow {
			if j > 0 {
				b.WriteByte(' ')
			}
			if a == "*" || a == "self" || a == "src" {
				b.WriteString(a)
			} else {
				b.WriteString(sfxString(a))
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Get returns the allowlist of the feature's last member (the one
// browsers use, RFC 8941, Section 4.2.2) and whether there is one.
func (p *PermissionsPolicy) Get(name string) ([]string, bool) {
	for i := len(p.Features) - 1; i >= 0; i-- {
		if p.Features[i].Name == name {
			return p.Features[i].Allow, true
		}
	}
	return nil, false
}

// Set gives the feature the allowlist (none: disabled everywhere),
// replacing every member of that name in place, or appending one.
func (p *PermissionsPolicy) Set(name string, allow ...string) {
	f := Feature{Name: name, Allow: append([]string{}, allow...)}
	i := slices.IndexFunc(p.Features, func(o Feature) bool { return o.Name == name })
	if i < 0 {
		p.Features = append(p.Features, f)
		return
	}
	p.Features[i] = f
	p.Features = append(p.Features[:i+1], slices.DeleteFunc(p.Features[i+1:], func(o Feature) bool { return o.Name == name })...)
}

// Disable sets each named feature to () (no origin may use it).
func (p *PermissionsPolicy) Disable(names ...string) {
	for _, n := range names {
		p.Set(n)
	}
}

// PowerfulFeatures are the features a static site seldom needs and
// [StrictPermissionsPolicy] turns off: sensors, devices, capture, payment,
// and the advertising and tracking interfaces.
var PowerfulFeatures = []string{
	"accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera",
	"clipboard-read", "display-capture", "encrypted-media", "geolocation", "gyroscope",
	"hid", "idle-detection", "join-ad-interest-group", "local-fonts", "magnetometer",
	"microphone", "midi", "otp-credentials", "payment", "publickey-credentials-create",
	"publickey-credentials-get", "run-ad-auction", "screen-wake-lock", "serial", "usb",
	"window-management", "xr-spatial-tracking",
}

// StrictPermissionsPolicy turns off every feature of [PowerfulFeatures]
// and keeps fullscreen and picture-in-picture to the site itself.
func StrictPermissionsPolicy() *PermissionsPolicy {
	p := &PermissionsPolicy{}
	p.Disable(PowerfulFeatures...)
	p.Set("fullscreen", "self")
	p.Set("picture-in-picture", "self")
	return p
}

// CheckPermissionsPolicy parses and lints a Permissions-Policy value.
func CheckPermissionsPolicy(text string) (*PermissionsPolicy, Findings) {
	p, notes, err := parsePermissions(text)
	if err != nil {
		return nil, Findings{{Code: "headers.permissions_invalid", Severity: Error, Header: HeaderPermissions,
			Message: strings.TrimPrefix(err.Error(), ErrPermissions.Error()+": ") + "; browsers ignore the whole header",
			Fix:     "write it as an RFC 8941 dictionary, e.g. camera=(), geolocation=(self)"}}
	}
	return p, append(notes, p.Lint()...)
}

// Lint checks the features (known, not obsolete, not repeated) and their
// allowlists (valid origins, * alone).
func (p *PermissionsPolicy) Lint() Findings {
	var out Findings
	add := func(code string, sev Severity, where, msg, fix string) {
		out = append(out, Finding{Code: code, Severity: sev, Header: HeaderPermissions, Where: where, Message: msg, Fix: fix})
	}
	seen := map[string]bool{}
	for _, f := range p.Features {
		obsolete, known := knownFeatures[f.Name]
		switch {
		case !known:
			add("headers.permissions_unknown_feature", Warning, f.Name,
				fmt.Sprintf("%q is not a policy-controlled feature browsers know; they ignore it", clip(f.Name)),
				"check the spelling, or remove it")
		case obsolete:
			add("headers.permissions_obsolete_feature", Info, f.Name,
				fmt.Sprintf("%s is obsolete (renamed or removed); browsers ignore it", f.Name), "remove it")
		}
		if seen[f.Name] {
			add("headers.permissions_duplicate_feature", Warning, f.Name,
				fmt.Sprintf("%s appears more than once; browsers use only the last", f.Name), "keep one "+f.Name)
		}
		seen[f.Name] = true
		if len(f.Allow) > 1 && slices.Contains(f.Allow, "*") {
			add("headers.permissions_star_with_origins", Info, f.Name,
				fmt.Sprintf("* in %s allows every origin, so the other entries add nothing", f.Name), "keep * alone, or list the origins")
		}
		for _, a := range f.Allow {
			if a == "*" || a == "self" || a == "src" {
				continue
			}
			if !isOrigin(a) {
				add("headers.permissions_bad_origin", Warning, f.Name,
					fmt.Sprintf("%q in %s is not an origin (scheme://host[:port], no path); browsers ignore it", clip(a), f.Name),
					"write the origin alone, e.g. \"https://example.com\"")
			}
		}
	}
	return out
}

// isOrigin reports whether s is a serialized origin (scheme://host[:port]),
// as Permissions Policy allowlists want.
func isOrigin(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != "" && u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil && !strings.HasSuffix(s, "/")
}
