// Package dnssectest runs a real DNSSEC-signed DNS hierarchy on the
// loopback interface for tests: zones signed offline with BIND's
// dnssec-keygen and dnssec-signzone, served by Knot DNS (knotd), and
// Unbound as the validating resolver that trusts the hierarchy's own root
// key. Nothing leaves 127.0.0.1 and nothing listens on port 53: Unbound
// reaches every zone through stub-zone entries that name Knot's port.
//
// For most uses, call [Start] with the zones under test, then
// [Hierarchy.Resolver] for the address of a validating resolver:
//
//	h := dnssectest.Start(t,
//		dnssectest.Zone{Name: "example.test", Signing: dnssectest.Signed},
//		dnssectest.Zone{Name: "bad.example.test", Signing: dnssectest.BadSignature},
//	)
//	addr := h.Resolver(t, true) // "127.0.0.1:port"
//
// The test is skipped when knotd, unbound or the BIND tools are missing,
// and fails instead when the environment variable CI is set (scripts/test
// installs them: apt packages knot, unbound, bind9-utils). The servers are
// stopped when the test ends.
package dnssectest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Signing says how a zone is signed and what its parent publishes.
type Signing int

// The ways to sign a zone. The DNSSEC outcome a validating resolver
// reaches is in each comment (RFC 4035, Section 4.3).
const (
	// Unsigned: not signed, no DS at the parent. Insecure.
	Unsigned Signing = iota
	// Signed: signed, DS at the parent. Secure.
	Signed
	// SignedNoDS: signed, but the parent has no DS (an island of
	// security, as when the DS was never sent to the registrar).
	// Insecure.
	SignedNoDS
	// BadSignature: signed, DS at the parent, then every signature
	// except those over the DNSKEY set corrupted. Bogus.
	BadSignature
	// Expired: signed with signatures that expired a day ago. Bogus.
	Expired
	// NotYetValid: signed with signatures valid from ten days on. Bogus.
	NotYetValid
	// DSWithoutKey: DS at the parent, zone served unsigned, as when DNSSEC
	// is turned off without removing the DS. Bogus.
	DSWithoutKey
	// WrongDS: signed, but the DS at the parent is that of another key,
	// as after a key rollover without the registrar's update. Bogus.
	WrongDS
)

// String returns the name of the constant, such as "Signed".
func (s Signing) String() string {
	names := [...]string{"Unsigned", "Signed", "SignedNoDS", "BadSignature", "Expired", "NotYetValid", "DSWithoutKey", "WrongDS"}
	if s >= 0 && int(s) < len(names) {
		return names[s]
	}
	return fmt.Sprintf("Signing(%d)", int(s))
}

// hasKeys reports whether zones signed this way get keys.
func (s Signing) hasKeys() bool { return s != Unsigned }

// dsAtParent reports whether the parent publishes the zone's DS.
func (s Signing) dsAtParent() bool { return s != Unsigned && s != SignedNoDS }

// signed reports whether the zone is served with signatures.
func (s Signing) signed() bool { return s.hasKeys() && s != DSWithoutKey }

// A Zone is one zone of the hierarchy.
type Zone struct {
	// Name is the zone's apex, such as "example.test". The root zone is
	// always there, signed; give it here only to add records to it.
	Name string
	// Records are master-file lines; relative names are relative to
	// Name, the default TTL is 300. Start adds the SOA, the NS record
	// "ns.<Name>" with address 127.0.0.1, the keys and signatures, and the
	// delegations (NS, glue, DS) of the zones below.
	Records string
	// Signing is how the zone is signed.
	Signing Signing
}

// A Hierarchy is a running authoritative server for a set of zones under
// a signed root.
type Hierarchy struct {
	// AuthAddr is Knot's address, "127.0.0.1:port", for UDP and TCP.
	AuthAddr string
	// Dir holds the zone files, keys, configurations and logs.
	Dir string
	// TrustAnchor is the DS record of the root zone.
	TrustAnchor string
	// DS holds the SHA-256 DS records published for each zone (key: the
	// zone's fully qualified name) or, for SignedNoDS, that would be, as
	// zone-file lines made by dnssec-dsfromkey.
	DS map[string][]string
	// KeyDS holds the DS records of each zone's own key signing key: the
	// same as DS except for WrongDS zones.
	KeyDS map[string][]string

	zones []zoneState
}

type zoneState struct {
	Zone
	fqdn string
	file string // the file Knot serves
}

// Required returns the programs the package runs; a test can check
// them before it starts other servers.
func Required() []string {
	return []string{"knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey"}
}

// lookPath finds a program in PATH or in the sbin directories, which a
// normal user's PATH often leaves out.
func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("dnssectest: %s not found in PATH or sbin", name)
}

// skipWithout skips t when a program is missing, or fails it in CI.
func skipWithout(t testing.TB) map[string]string {
	t.Helper()
	paths := map[string]string{}
	var missing []string
	for _, name := range Required() {
		p, err := lookPath(name)
		if err != nil {
			missing = append(missing, name)
			continue
		}
		paths[name] = p
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("%s not installed (apt-get install knot unbound bind9-utils)", strings.Join(missing, ", "))
		if os.Getenv("CI") != "" {
			t.Fatal(msg + ": scripts/test installs them")
		}
		t.Skip(msg)
	}
	return paths
}

// Start signs the zones, serves them with knotd on a free loopback port,
// and stops it when the test ends. It skips the test when a program is
// missing (see the package comment).
func Start(t testing.TB, zones ...Zone) *Hierarchy {
	t.Helper()
	bins := skipWithout(t)
	h := &Hierarchy{Dir: t.TempDir(), DS: map[string][]string{}, KeyDS: map[string][]string{}}

	hasRoot := false
	for _, z := range zones {
		fqdn := dns.CanonicalName(z.Name)
		if _, ok := dns.IsDomainName(fqdn); !ok || z.Name == "" {
			t.Fatalf("dnssectest: zone name %q is not a domain name", z.Name)
		}
		if fqdn == "." {
			hasRoot = true
			z.Signing = Signed
		}
		h.zones = append(h.zones, zoneState{Zone: z, fqdn: fqdn})
	}
	if !hasRoot {
		h.zones = append(h.zones, zoneState{Zone: Zone{Name: ".", Signing: Signed}, fqdn: "."})
	}
	// Children first: a parent needs its children's DS records.
	slices.SortFunc(h.zones, func(a, b zoneState) int {
		if c := dns.CountLabel(b.fqdn) - dns.CountLabel(a.fqdn); c != 0 {
			return c
		}
		return strings.Compare(a.fqdn, b.fqdn)
	})
	for i := range h.zones {
		if err := h.prepare(bins, i); err != nil {
			t.Fatalf("dnssectest: zone %s: %v", h.zones[i].fqdn, err)
		}
	}
	h.TrustAnchor = h.DS["."][0]
	h.startKnot(t, bins["knotd"])
	return h
}

// parentOf returns the index of the closest enclosing zone of zone i.
func (h *Hierarchy) parentOf(i int) int {
	best := -1
	for j, p := range h.zones {
		if j == i || !dns.IsSubDomain(p.fqdn, h.zones[i].fqdn) || p.fqdn == h.zones[i].fqdn {
			continue
		}
		if best < 0 || dns.CountLabel(p.fqdn) > dns.CountLabel(h.zones[best].fqdn) {
			best = j
		}
	}
	return best
}

// nsName is the name server name of a zone.
func nsName(fqdn string) string {
	if fqdn == "." {
		return "a.root-servers.test."
	}
	return "ns." + fqdn
}

// prepare writes, keys and signs zone i; its children are done.
func (h *Hierarchy) prepare(bins map[string]string, i int) error {
	z := &h.zones[i]
	base := strings.TrimSuffix(z.fqdn, ".")
	if base == "" {
		base = "root"
	}
	src := filepath.Join(h.Dir, base+".src")
	z.file = filepath.Join(h.Dir, base+".zone")

	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n", z.fqdn)
	fmt.Fprintf(&b, "@ SOA %s hostmaster.%s 1 3600 600 86400 300\n", nsName(z.fqdn), strings.TrimPrefix(z.fqdn, "."))
	fmt.Fprintf(&b, "@ NS %s\n%s A 127.0.0.1\n", nsName(z.fqdn), nsName(z.fqdn))
	b.WriteString(z.Records)
	b.WriteString("\n")
	for j, c := range h.zones {
		if h.parentOf(j) != i {
			continue
		}
		fmt.Fprintf(&b, "%s NS %s\n%s A 127.0.0.1\n", c.fqdn, nsName(c.fqdn), nsName(c.fqdn))
		if c.Signing.dsAtParent() {
			for _, ds := range h.DS[c.fqdn] {
				b.WriteString(ds + "\n")
			}
		}
	}
	if err := os.WriteFile(src, []byte(b.String()), 0o644); err != nil {
		return err
	}
	if !z.Signing.hasKeys() {
		return copyZone(src, z.file, z.fqdn, nil)
	}

	keys := filepath.Join(h.Dir, "keys")
	if err := os.MkdirAll(keys, 0o755); err != nil {
		return err
	}
	ksk, err := run(h.Dir, bins["dnssec-keygen"], "-q", "-a", "ECDSAP256SHA256", "-f", "KSK", "-K", keys, z.fqdn)
	if err != nil {
		return err
	}
	if _, err := run(h.Dir, bins["dnssec-keygen"], "-q", "-a", "ECDSAP256SHA256", "-K", keys, z.fqdn); err != nil {
		return err
	}
	dsKey := filepath.Join(keys, strings.TrimSpace(ksk)+".key")
	own, err := dsFromKey(h.Dir, bins["dnssec-dsfromkey"], dsKey)
	if err != nil {
		return err
	}
	h.KeyDS[z.fqdn] = own
	h.DS[z.fqdn] = own
	if z.Signing == WrongDS {
		// A key of the zone's name that signs nothing.
		other := filepath.Join(h.Dir, "other-keys")
		if err := os.MkdirAll(other, 0o755); err != nil {
			return err
		}
		k, err := run(h.Dir, bins["dnssec-keygen"], "-q", "-a", "ECDSAP256SHA256", "-f", "KSK", "-K", other, z.fqdn)
		if err != nil {
			return err
		}
		if h.DS[z.fqdn], err = dsFromKey(h.Dir, bins["dnssec-dsfromkey"], filepath.Join(other, strings.TrimSpace(k)+".key")); err != nil {
			return err
		}
	}
	if !z.Signing.signed() {
		return copyZone(src, z.file, z.fqdn, nil)
	}

	now := time.Now().UTC()
	start, end := now.Add(-time.Hour), now.Add(30*24*time.Hour)
	args := []string{"-S", "-K", keys, "-o", z.fqdn, "-f", z.file + ".signed"}
	switch z.Signing {
	case Expired:
		start, end = now.Add(-30*24*time.Hour), now.Add(-24*time.Hour)
		args = append(args, "-P") // Its own check would reject the dates.
	case NotYetValid:
		start, end = now.Add(10*24*time.Hour), now.Add(40*24*time.Hour)
		args = append(args, "-P")
	}
	const stamp = "20060102150405"
	args = append(args, "-s", start.Format(stamp), "-e", end.Format(stamp), src)
	if _, err := run(h.Dir, bins["dnssec-signzone"], args...); err != nil {
		return err
	}
	var change func(dns.RR)
	if z.Signing == BadSignature {
		change = corruptSignature
	}
	return copyZone(z.file+".signed", z.file, z.fqdn, change)
}

// dsFromKey returns the SHA-256 DS record of the key in file, as
// dnssec-dsfromkey writes it.
func dsFromKey(dir, prog, file string) ([]string, error) {
	out, err := run(dir, prog, "-2", file)
	if err != nil {
		return nil, err
	}
	var ds []string
	for line := range strings.Lines(out) {
		if line = strings.TrimSpace(line); line != "" {
			ds = append(ds, line)
		}
	}
	return ds, nil
}

// corruptSignature flips a bit of an RRSIG's signature, except over the
// DNSKEY set, so that validation of the data fails but the keys are found.
func corruptSignature(rr dns.RR) {
	sig, ok := rr.(*dns.RRSIG)
	if !ok || sig.TypeCovered == dns.TypeDNSKEY {
		return
	}
	raw, err := base64.StdEncoding.DecodeString(sig.Signature)
	if err != nil || len(raw) == 0 {
		return
	}
	raw[len(raw)/2] ^= 0x01
	sig.Signature = base64.StdEncoding.EncodeToString(raw)
}

// copyZone parses the zone file src and writes its records, one per
// line, to dst, after change (if not nil) has seen each.
func copyZone(src, dst, origin string, change func(dns.RR)) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	zp := dns.NewZoneParser(f, origin, src)
	var b strings.Builder
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if change != nil {
			change(rr)
		}
		b.WriteString(rr.String() + "\n")
	}
	if err := zp.Err(); err != nil {
		return err
	}
	return os.WriteFile(dst, []byte(b.String()), 0o644)
}

// run runs a program in dir and returns its standard output.
func run(dir, prog string, args ...string) (string, error) {
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %v: %s", filepath.Base(prog), strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// startKnot writes knotd's configuration and starts it.
func (h *Hierarchy) startKnot(t testing.TB, knotd string) {
	t.Helper()
	conf := filepath.Join(h.Dir, "knot.conf")
	h.AuthAddr = startServer(t, "knotd", func(port int) *exec.Cmd {
		var b strings.Builder
		fmt.Fprintf(&b, "server:\n  rundir: %q\n  listen: 127.0.0.1@%d\n  udp-workers: 1\n  tcp-workers: 1\n  background-workers: 1\n", h.Dir, port)
		fmt.Fprintf(&b, "log:\n  - target: stderr\n    any: info\n")
		fmt.Fprintf(&b, "database:\n  storage: %q\n", filepath.Join(h.Dir, "knotdb"))
		fmt.Fprintf(&b, "template:\n  - id: default\n    storage: %q\n    zonefile-sync: -1\n    zonefile-load: whole\n    journal-content: none\n", h.Dir)
		b.WriteString("zone:\n")
		for _, z := range h.zones {
			fmt.Fprintf(&b, "  - domain: %q\n    file: %q\n", z.fqdn, z.file)
		}
		if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return exec.Command(knotd, "-c", conf)
	}, ".")
}

// Resolver starts an Unbound resolver for the hierarchy and returns its
// address, "127.0.0.1:port". With validate, it validates from the root's
// key (module-config "validator iterator") and reports Extended DNS
// Errors (RFC 8914); without, it only resolves (module-config
// "iterator"), though it still asks with the DO bit. It is stopped when
// the test ends.
func (h *Hierarchy) Resolver(t testing.TB, validate bool) string {
	t.Helper()
	bins := skipWithout(t)
	name := "unbound-iterator"
	modules := "iterator"
	if validate {
		name, modules = "unbound-validator", "validator iterator"
	}
	dir, err := os.MkdirTemp(h.Dir, name+"-")
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "unbound.conf")
	return startServer(t, name, func(port int) *exec.Cmd {
		var b strings.Builder
		fmt.Fprintf(&b, "server:\n")
		for _, line := range []string{
			fmt.Sprintf("interface: 127.0.0.1@%d", port),
			fmt.Sprintf("port: %d", port),
			fmt.Sprintf("directory: %q", dir),
			fmt.Sprintf("pidfile: %q", filepath.Join(dir, "unbound.pid")),
			`chroot: ""`,
			`username: ""`,
			"use-syslog: no",
			"logfile: \"\"", // Standard error, which the test keeps.
			"verbosity: 1",
			"val-log-level: 2",
			"ede: yes",
			"do-ip6: no",
			"do-not-query-localhost: no",
			"num-threads: 1",
			"so-reuseport: no",
			"access-control: 127.0.0.0/8 allow",
			fmt.Sprintf("module-config: %q", modules),
			// Tests run fast: no retries of servers marked bad for long.
			"infra-host-ttl: 1",
			"serve-expired: no",
			"qname-minimisation: no",
			"harden-referral-path: no",
			// Unbound answers names under these itself (RFC 6761):
			// here they are the test's zones.
			`local-zone: "test." nodefault`,
			`local-zone: "invalid." nodefault`,
		} {
			fmt.Fprintf(&b, "  %s\n", line)
		}
		if validate {
			fmt.Fprintf(&b, "  trust-anchor: %q\n", h.TrustAnchor)
		}
		// Stub zones send every zone's queries to Knot's port (RFC 1034
		// delegations would send them to port 53).
		host, p, _ := net.SplitHostPort(h.AuthAddr)
		for _, z := range h.zones {
			fmt.Fprintf(&b, "stub-zone:\n  name: %q\n  stub-addr: %s@%s\n", z.fqdn, host, p)
		}
		b.WriteString("remote-control:\n  control-enable: no\n")
		if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return exec.Command(bins["unbound"], "-d", "-c", conf)
	}, ".")
}

// startServer starts the command made for a free port and waits until it
// answers a query for probe's SOA; it stops it when the test ends. A
// server that exits at once (the port was taken meanwhile) is started
// again on another port.
func startServer(t testing.TB, name string, command func(port int) *exec.Cmd, probe string) string {
	t.Helper()
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		cmd := command(port)
		var log lockedBuffer
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Start(); err != nil {
			t.Fatalf("dnssectest: starting %s: %v", name, err)
		}
		exited := make(chan struct{})
		var waitErr error
		go func() { waitErr = cmd.Wait(); close(exited) }()
		addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(port))
		err = waitReady(addr, probe, exited)
		if err != nil {
			select {
			case <-exited:
				err = fmt.Errorf("%v: %v", err, waitErr)
			default:
			}
		}
		if err == nil {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
				if t.Failed() {
					t.Logf("%s log:\n%s", name, log.String())
				}
			})
			return addr
		}
		_ = cmd.Process.Kill()
		<-exited
		lastErr = fmt.Errorf("%v; log:\n%s", err, log.String())
	}
	t.Fatalf("dnssectest: %s did not start: %v", name, lastErr)
	return ""
}

// waitReady asks addr for probe's SOA until it answers, the process
// exits, or 15 seconds pass.
func waitReady(addr, probe string, exited <-chan struct{}) error {
	c := &dns.Client{Timeout: 200 * time.Millisecond}
	m := new(dns.Msg)
	m.SetQuestion(probe, dns.TypeSOA)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("exited")
		default:
		}
		if r, _, err := c.Exchange(m, addr); err == nil && r.Rcode == dns.RcodeSuccess {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("no answer within 15s")
}

// lockedBuffer collects a server's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freePort returns a loopback port free for both UDP and TCP just now.
func freePort() (int, error) {
	for range 10 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		l.Close()
		if err != nil {
			continue
		}
		pc.Close()
		return port, nil
	}
	return 0, errors.New("dnssectest: no free loopback port")
}
