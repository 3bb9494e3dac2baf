//go:build !js

package publicsuffix

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestTableCurrent checks table.go is what gen.go makes from the x/net
// module go.mod requires: after updating golang.org/x/net, run go generate.
func TestTableCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run gen.go")
	}
	out, err := exec.Command("go", "run", "gen.go", "-o", "-").Output()
	if err != nil {
		t.Fatalf("go run gen.go: %v", err)
	}
	have, err := os.ReadFile("table.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(have) {
		t.Fatal("table.go is not what gen.go makes from golang.org/x/net: run go generate ./internal/publicsuffix")
	}
	if !strings.Contains(Version, "public_suffix_list.dat") {
		t.Errorf("Version %q names no list", Version)
	}
}
