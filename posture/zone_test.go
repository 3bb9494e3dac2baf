//go:build !js

package posture

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestZoneNamedCheckzone loads every golden kit's zone into BIND's
// named-checkzone (Debian bind9-utils), behind the SOA and NS records a
// real zone has.
func TestZoneNamedCheckzone(t *testing.T) {
	bin, err := exec.LookPath("named-checkzone")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("named-checkzone is missing: scripts/test installs bind9-utils")
		}
		t.Skip("named-checkzone not installed (apt-get install bind9-utils)")
	}
	for name, d := range kits(t) {
		t.Run(name, func(t *testing.T) {
			k, err := Build(d, now)
			require.NoError(t, err)
			// The rest of a real zone: SOA, NS, and addresses of the MX
			// hosts inside it (named-checkzone -m fail wants them).
			zone := "$ORIGIN " + k.Domain + ".\n$TTL 3600\n" +
				"@ SOA ns1.hosting.example. hostmaster.hosting.example. 1 7200 3600 1209600 3600\n" +
				"@ NS ns1.hosting.example.\n@ NS ns2.hosting.example.\n"
			for _, rr := range k.Records {
				for _, v := range rr.Values {
					if _, host, ok := strings.Cut(v, " "); ok && rr.Type == "MX" && strings.HasSuffix(host, "."+k.Domain) {
						zone += host + ". A 192.0.2.10\n"
					}
				}
			}
			zone += k.Zone()
			path := filepath.Join(t.TempDir(), "zone")
			require.NoError(t, os.WriteFile(path, []byte(zone), 0o644))
			// -k fail / -m fail / -n fail: names, MX and NS targets must be
			// valid host names; -i local: the zone's own integrity.
			out, err := exec.Command(bin, "-k", "fail", "-m", "fail", "-n", "fail", "-i", "local", k.Domain, path).CombinedOutput()
			require.NoError(t, err, "named-checkzone:\n%s\nzone:\n%s", out, zone)
			require.Contains(t, string(out), "OK")
			// Every record set made it in.
			n := 0
			for _, rr := range k.Records {
				n += len(rr.Values)
			}
			require.GreaterOrEqual(t, strings.Count(zone, " IN "), n)
		})
	}
}
