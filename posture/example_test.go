package posture_test

import (
	"fmt"
	"time"

	"github.com/posturekit/posturekit/posture"
)

func ExampleBuild() {
	k, err := posture.Build(posture.Domain{Name: "parked.example", NoMail: true}, time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, rr := range k.Records {
		fmt.Println(rr.Name, rr.Type, rr.Values)
	}
	// Output:
	// parked.example MX [0 .]
	// parked.example TXT [v=spf1 -all]
	// *._domainkey.parked.example TXT [v=DKIM1; k=rsa; p=]
	// _dmarc.parked.example TXT [v=DMARC1; p=reject;]
}

func ExampleKit_Zone() {
	k, _ := posture.Build(posture.Domain{Name: "example.com", MX: []string{"mail.example.com"}, Reports: []string{"dmarc@example.com"}, MTASTSID: "1"}, time.Now())
	fmt.Print(k.Zone())
	// Output:
	// ; DNS records for example.com, made by posturekit. Add them to the zone of example.com
	// ; (its SOA and NS records are not part of the kit).
	// $ORIGIN example.com.
	// $TTL 3600
	//
	// ; the mail servers, in order of preference
	// @                        3600 IN MX    10 mail.example.com.
	//
	// ; SPF: the servers that may send mail as the domain
	// @                        3600 IN TXT   "v=spf1 mx -all"
	//
	// ; DMARC: what receivers do with mail that fails SPF and DKIM alignment, and where reports go
	// _dmarc                   3600 IN TXT   "v=DMARC1; p=none; rua=mailto:dmarc@example.com;"
	//
	// ; MTA-STS: announces the policy; change the id whenever the policy changes
	// _mta-sts                 3600 IN TXT   "v=STSv1; id=1;"
	//
	// ; TLS-RPT: where senders report TLS failures
	// _smtp._tls               3600 IN TXT   "v=TLSRPTv1; rua=mailto:dmarc@example.com"
}
