package headers

import (
	"bytes"
	"fmt"
	"testing"

	"golang.org/x/net/html"
)

// tokenizerAttrs is what the tokenizer's TagAttr gives for the first
// start tag of s.
func tokenizerAttrs(s []byte) (string, bool) {
	z := html.NewTokenizer(bytes.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return "", false
		case html.StartTagToken, html.SelfClosingTagToken:
			var b bytes.Buffer
			for {
				k, v, more := z.TagAttr()
				if k == nil {
					break
				}
				fmt.Fprintf(&b, "%q=%q ", k, v)
				if !more {
					break
				}
			}
			return b.String(), true
		}
	}
}

// rawAttrsOf is what parseRawAttrs gives for the first start tag of s.
func rawAttrsOf(s []byte) (string, bool, bool) {
	z := html.NewTokenizer(bytes.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return "", false, false
		case html.StartTagToken, html.SelfClosingTagToken:
			var out [maxRawAttrs]rawAttr
			n, ok := parseRawAttrs(z.Raw(), &out)
			var b bytes.Buffer
			for _, a := range out[:n] {
				fmt.Fprintf(&b, "%q=%q ", a.k, a.v)
			}
			return b.String(), ok, true
		}
	}
}

func TestParseRawAttrs(t *testing.T) {
	for _, s := range []string{
		`<img src=a.png alt='b c' width="3">`,
		`<p a b=c d = "e" f= g h='i'j k>`,
		`<input/value=x/>`,
		`<a href=x/ =y ==z a=1 a=2 hidden>`,
		`<div onclick="x()"style="y">`,
		`<img src="unfinished`,
		`<x a='`,
		`<br/>`,
		"<p\ta\f=\nb>",
		`<a Href=x>`,
		`<a href="a&amp;b">`,
	} {
		want, _ := tokenizerAttrs([]byte(s))
		got, ok, _ := rawAttrsOf([]byte(s))
		if ok && got != want {
			t.Errorf("%s:\n raw       %s\n tokenizer %s", s, got, want)
		}
	}
}

// FuzzParseRawAttrs: the raw attribute reader agrees with TagAttr
// whenever it does not give up.
func FuzzParseRawAttrs(f *testing.F) {
	f.Add([]byte(`<img src=a.png alt='b c' width="3">`))
	f.Add([]byte(`<p a b=c d = "e" f= g h='i'j k/>`))
	f.Add([]byte(`<a href=x/ =y ==z a=1 a=2 hidden>`))
	f.Fuzz(func(t *testing.T, s []byte) {
		got, ok, found := rawAttrsOf(s)
		if !found || !ok {
			return
		}
		if want, _ := tokenizerAttrs(s); got != want {
			t.Fatalf("%q:\n raw       %s\n tokenizer %s", s, got, want)
		}
	})
}
