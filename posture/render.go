package posture

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/posturekit/posturekit/internal/zonetext"
)

// RR is one DNS record set of a kit: a name, a type, a TTL and its values in
// the type's zone-file presentation (for TXT, the text itself, unquoted and
// unsplit: the renderers quote and split it).
type RR struct {
	// Name is the fully qualified owner name, without the final dot.
	Name string `json:"name"`
	// Type is the record type: "TXT", "MX", "CAA", "CNAME".
	Type string `json:"type"`
	// TTL in seconds.
	TTL int `json:"ttl"`
	// Values holds one entry per record of the set.
	Values []string `json:"values"`
	// Purpose says in a few words why the record is there.
	Purpose string `json:"purpose"`
}

// SplitTXT cuts a TXT value into character-strings of at most 255 bytes.
// Resolvers join them back without spaces (RFC 7208, Section 3.3; RFC 6376,
// Section 3.6.2.2), so the cut may fall anywhere.
func SplitTXT(v string) []string { return zonetext.Split(v) }

// rdata returns the zone-file form of one value of rr, for zone files and
// Route53 (which takes the same presentation).
func (rr *RR) rdata(v string) string {
	switch rr.Type {
	case "TXT":
		return zonetext.Quote(v)
	case "MX":
		// "10 mail.example.com" -> fully qualified target.
		if pref, host, ok := strings.Cut(v, " "); ok {
			return pref + " " + fqdn(host)
		}
	case "CNAME", "NS":
		return fqdn(v)
	}
	return v
}

// Line renders value, one of the set's values, as a zone-file line with the
// owner name and the data fully qualified: "name. TTL IN TYPE data", a TXT
// value quoted and split into strings of at most 255 bytes (RFC 1035,
// Section 3.3.14). It is the form for a zone whose $ORIGIN is unknown.
func (rr RR) Line(value string) string {
	return fmt.Sprintf("%s %d IN %s %s", fqdn(rr.Name), rr.TTL, rr.Type, rr.rdata(value))
}

func fqdn(s string) string {
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// Zone renders the records as a BIND zone-file fragment for the domain's
// zone, with $ORIGIN and $TTL, owner names relative to the origin and each
// record's purpose as a comment. Records of other zones (see
// [Kit.External]) are listed as comments, to be published there.
func (k *Kit) Zone() string {
	var b strings.Builder
	fmt.Fprintf(&b, "; DNS records for %s, made by posturekit. Add them to the zone of %s\n", k.Domain, k.Domain)
	fmt.Fprintf(&b, "; (its SOA and NS records are not part of the kit).\n")
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL %d\n", fqdn(k.Domain), k.TTL)
	for _, rr := range k.Records {
		fmt.Fprintf(&b, "\n; %s\n", rr.Purpose)
		owner := relName(rr.Name, k.Domain)
		for _, v := range rr.Values {
			fmt.Fprintf(&b, "%-24s %d IN %-5s %s\n", owner, rr.TTL, rr.Type, rr.rdata(v))
		}
	}
	if len(k.External) > 0 {
		b.WriteString("\n; Records for other zones (publish them there):\n")
		for _, rr := range k.External {
			fmt.Fprintf(&b, "; %s\n", rr.Purpose)
			for _, v := range rr.Values {
				fmt.Fprintf(&b, ";   %s\n", rr.Line(v))
			}
		}
	}
	return b.String()
}

// relName writes name relative to origin: "@" for the apex.
func relName(name, origin string) string {
	if strings.EqualFold(name, origin) {
		return "@"
	}
	if strings.HasSuffix(strings.ToLower(name), "."+strings.ToLower(origin)) {
		return name[:len(name)-len(origin)-1]
	}
	return fqdn(name)
}

// route53 types for the ChangeBatch JSON of "aws route53
// change-resource-record-sets --change-batch file://...".
type (
	r53Batch struct {
		Comment string      `json:"Comment"`
		Changes []r53Change `json:"Changes"`
	}
	r53Change struct {
		Action            string `json:"Action"`
		ResourceRecordSet struct {
			Name            string     `json:"Name"`
			Type            string     `json:"Type"`
			TTL             int        `json:"TTL"`
			ResourceRecords []r53Value `json:"ResourceRecords"`
		} `json:"ResourceRecordSet"`
	}
	r53Value struct {
		Value string `json:"Value"`
	}
)

// Route53 renders the domain's records as a Route 53 change batch (UPSERT
// of each record set), the file given to
// "aws route53 change-resource-record-sets --hosted-zone-id ZONE --change-batch file://kit.json".
// Route 53 takes values in zone-file presentation: TXT values quoted and
// split into 255-byte strings.
func (k *Kit) Route53() ([]byte, error) {
	batch := r53Batch{Comment: "posturekit kit for " + k.Domain}
	for _, rr := range k.Records {
		var c r53Change
		c.Action = "UPSERT"
		c.ResourceRecordSet.Name = fqdn(rr.Name)
		c.ResourceRecordSet.Type = rr.Type
		c.ResourceRecordSet.TTL = rr.TTL
		for _, v := range rr.Values {
			c.ResourceRecordSet.ResourceRecords = append(c.ResourceRecordSet.ResourceRecords, r53Value{rr.rdata(v)})
		}
		batch.Changes = append(batch.Changes, c)
	}
	b, err := json.MarshalIndent(batch, "", "  ")
	return append(b, '\n'), err
}

// Terraform renders the domain's records as aws_route53_record resources
// for the AWS provider, with the hosted zone as the variable zone_id. For a
// TXT value longer than 255 bytes the provider wants the strings joined by
// "\"\"" inside one value, which is what it gets.
func (k *Kit) Terraform() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# DNS records for %s, made by posturekit.\n\n", k.Domain)
	b.WriteString("variable \"zone_id\" {\n  description = \"The Route 53 hosted zone of " + k.Domain + "\"\n  type        = string\n}\n")
	used := map[string]int{}
	for _, rr := range k.Records {
		id := resourceID(rr, k.Domain)
		used[id]++
		if n := used[id]; n > 1 {
			id += "_" + strconv.Itoa(n)
		}
		fmt.Fprintf(&b, "\n# %s\nresource \"aws_route53_record\" %s {\n", rr.Purpose, hclString(id))
		fmt.Fprintf(&b, "  zone_id = var.zone_id\n  name    = %s\n  type    = %s\n  ttl     = %d\n  records = [\n", hclString(rr.Name), hclString(rr.Type), rr.TTL)
		for _, v := range rr.Values {
			val := v
			switch rr.Type {
			case "TXT":
				val = strings.Join(SplitTXT(v), `""`)
			case "MX", "CNAME":
				val = rr.rdata(v)
			}
			fmt.Fprintf(&b, "    %s,\n", hclString(val))
		}
		b.WriteString("  ]\n}\n")
	}
	return b.String()
}

// resourceID makes a Terraform resource name from the record: type and
// owner, letters, digits and underscores only.
func resourceID(rr RR, domain string) string {
	owner := relName(rr.Name, domain)
	if owner == "@" {
		owner = "apex"
	}
	owner = strings.ReplaceAll(owner, "*", "wildcard")
	id := strings.ToLower(rr.Type) + "_" + owner
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, id)
}

// hclString quotes s as an HCL string literal: '"' and '\' escaped, and
// "${" and "%{" doubled so that Terraform does not read them as
// interpolation or directives.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '$', '%':
			b.WriteByte(c)
			if i+1 < len(s) && s[i+1] == '{' {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// sortRecords orders record sets by name (apex first) then type, so every
// output is stable.
func sortRecords(rrs []RR, domain string) {
	sort.SliceStable(rrs, func(i, j int) bool {
		a, b := rrs[i], rrs[j]
		ai, bi := strings.EqualFold(a.Name, domain), strings.EqualFold(b.Name, domain)
		if ai != bi {
			return ai
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Type < b.Type
	})
}
