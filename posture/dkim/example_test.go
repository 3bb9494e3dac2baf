package dkim_test

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"

	"github.com/posturekit/posturekit/posture/dkim"
)

func ExampleParse() {
	// The Ed25519 key record of RFC 8463, Appendix A.2.
	rec, err := dkim.Parse("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rec.Key.Type, rec.Key.Bits, rec.Key.Format, rec.Revoked())
	// Output: ed25519 256 raw false
}

func ExampleFromPublicKey() {
	// The key of RFC 8032's first test vector; use ed25519.GenerateKey.
	seed, _ := hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	pub := ed25519.NewKeyFromSeed(seed).Public()
	rec, err := dkim.FromPublicKey(pub)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dkim.RecordName("brisbane", "football.example.com"), "TXT", rec.ZoneValue())
	fmt.Println(len(rec.Validate()), "findings")
	// Output:
	// brisbane._domainkey.football.example.com TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
	// 0 findings
}

func ExampleCheck() {
	// The 1024-bit example key of RFC 6376, Appendix C, in testing mode.
	rec, findings := dkim.Check("v=DKIM1; t=y; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYt" +
		"IxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhi" +
		"tdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB")
	fmt.Println(rec.Key.Type, rec.Key.Bits)
	for _, f := range findings {
		fmt.Println(f.Severity, f.Code, "-", f.RFC)
	}
	// Output:
	// rsa 1024
	// warning dkim.key_short - RFC 8301, Section 3.2
	// warning dkim.testing - RFC 6376, Section 3.6.1
}
