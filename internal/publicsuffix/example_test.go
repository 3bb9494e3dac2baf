package publicsuffix_test

import (
	"fmt"

	"github.com/posturekit/posturekit/internal/publicsuffix"
)

func ExamplePublicSuffix() {
	for _, d := range []string{"www.example.co.uk", "foo.blogspot.com", "foo.cromulent"} {
		ps, icann := publicsuffix.PublicSuffix(d)
		fmt.Println(d, ps, icann)
	}
	// Output:
	// www.example.co.uk co.uk true
	// foo.blogspot.com blogspot.com false
	// foo.cromulent cromulent false
}

func ExampleEffectiveTLDPlusOne() {
	d, err := publicsuffix.EffectiveTLDPlusOne("foo.bar.golang.org")
	fmt.Println(d, err)
	_, err = publicsuffix.EffectiveTLDPlusOne("co.uk")
	fmt.Println(err)
	// Output:
	// golang.org <nil>
	// publicsuffix: domain "co.uk" is a public suffix, with no label before it
}
