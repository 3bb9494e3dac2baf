//go:build !js

package servertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Chromium is where Debian's chromium package installs the browser.
const Chromium = "/usr/bin/chromium"

// ChromiumFlags start Debian's Chromium headless, without a sandbox (the
// tests run as root) and without any traffic of its own: without the
// background-networking flags it tries to reach Google's hosts, which a
// closed network refuses.
var ChromiumFlags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--no-first-run"}

// Need skips the test with msg, or fails it when CI is set: CI must run
// every test.
func Need(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set, so this is a failure)", msg)
	}
	t.Skip(msg)
}

// Playwright returns the node_modules directory that holds playwright-core:
// $PLAYWRIGHT_NODE_MODULES, or ~/.cache/posturekit-node/node_modules (where
// scripts/test installs it). It skips the test (fails it under CI) when
// Node.js, Chromium or playwright-core is missing. Scripts find the module
// with NODE_PATH set to the directory.
func Playwright(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		Need(t, "node not found: install Debian's nodejs to run the browser tests")
	}
	if _, err := os.Stat(Chromium); err != nil {
		Need(t, "no "+Chromium+": install Debian's chromium to run the browser tests")
	}
	dir := os.Getenv("PLAYWRIGHT_NODE_MODULES")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "posturekit-node", "node_modules")
	}
	cmd := exec.Command("node", "-e", "require.resolve('playwright-core')")
	cmd.Env = append(os.Environ(), "NODE_PATH="+dir)
	if err := cmd.Run(); err != nil {
		Need(t, "playwright-core not found in "+dir+": npm install --prefix "+filepath.Dir(dir)+" playwright-core")
	}
	return dir
}
