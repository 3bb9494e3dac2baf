package command

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/mtasts"
)

// RecordKind is one kind of record "record validate" knows: a function
// from the record's text to its parsed form (any JSON-able value, nil when
// nothing could be read) and its findings.
type RecordKind struct {
	Name  string // as typed on the command line, e.g. "spf"
	Short string // one line for the help text
	Check func(text string) (record any, findings finding.List)
}

var (
	kindsMu sync.Mutex
	kinds   = map[string]RecordKind{}
)

// RegisterKind adds a record kind to "record validate". Each record package
// registers from a file of its own in this package.
func RegisterKind(k RecordKind) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if _, dup := kinds[k.Name]; dup {
		panic("command: duplicate record kind " + k.Name)
	}
	kinds[k.Name] = k
}

func kindNames() []string {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	var names []string
	for n := range kinds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// RecordResult is the result of "record validate".
type RecordResult struct {
	Valid    bool         `json:"valid"`
	Kind     string       `json:"kind"`
	Record   any          `json:"record,omitempty"`
	Findings finding.List `json:"findings"`
}

func init() {
	RegisterKind(RecordKind{Name: "mta-sts", Short: "the _mta-sts TXT record (RFC 8461)", Check: func(text string) (any, finding.List) {
		r, l := mtasts.CheckRecord(text)
		if r == nil {
			return nil, l
		}
		return r, l
	}})
	Register(&Command{
		Path:  []string{"record", "validate"},
		Short: "validate a DNS security record or security.txt",
		Long: `Validate one record: KIND is the kind of record and VALUE its text, or "-"
to read it from standard input. A TXT value is given as published, with the
strings of a multi-string record joined (the way resolvers deliver them); a
CAA value is written as in a zone file: FLAGS TAG "VALUE".

Exit status: 0 when valid, 1 when a finding has severity error.`,
		Args: Args{Usage: "KIND VALUE|-", Min: 2, Max: 2},
		Run:  runRecordValidate,
	})
}

func runRecordValidate(_ context.Context, in *Input) (*Output, error) {
	name := strings.ToLower(in.Args[0])
	kindsMu.Lock()
	k, ok := kinds[name]
	kindsMu.Unlock()
	if !ok {
		return nil, Usagef("record validate: unknown kind %q; want one of %s", in.Args[0], strings.Join(kindNames(), ", "))
	}
	text := in.Args[1]
	if text == "-" {
		b, err := in.ReadAll("-", maxInput)
		if err != nil {
			return nil, err
		}
		text = string(b)
		if name != "securitytxt" {
			// A value piped in usually ends with the shell's newline.
			text = strings.TrimRight(text, "\r\n")
		}
	}
	res := &RecordResult{Kind: name}
	res.Record, res.Findings = k.Check(text)
	if res.Findings == nil {
		res.Findings = finding.List{}
	}
	res.Valid = !res.Findings.HasErrors()
	var b strings.Builder
	if res.Valid {
		fmt.Fprintf(&b, "%s: valid\n", name)
	}
	writeFindings(&b, res.Findings, res.Valid)
	return &Output{Value: res, Text: b.String(), Failed: !res.Valid}, nil
}
