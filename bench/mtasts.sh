#!/usr/bin/env bash
# Compares posturekit's MTA-STS parsers with mox's, in one run on this
# machine, and prints the ratios (posturekit / mox; below 1 is better).
# Needs the Go module proxy for mox the first time.
set -euo pipefail
cd "$(dirname "$0")"
go mod tidy >/dev/null 2>&1 || go get github.com/mjl-/mox@v0.0.17
go test -run TestPeersDiffer -count=1 .
out=$(go test -run '^$' -bench . -benchmem -count "${COUNT:-5}" .)
echo "$out" | grep -E '^Benchmark'
echo "$out" | awk '
/^Benchmark/ {
	split($1, p, "/"); name = p[1]; sub(/-[0-9]+$/, "", p[2]); impl = p[2]
	for (i = 2; i <= NF; i++) {
		if ($i == "ns/op") { ns[name, impl] += $(i-1); n[name, impl]++ }
		if ($i == "allocs/op") { al[name, impl] += $(i-1) }
	}
	names[name] = 1
}
END {
	printf "\n%-22s %14s %14s %12s %16s %16s\n", "benchmark", "posturekit ns", "mox ns", "time ratio", "posturekit allocs", "mox allocs"
	for (nm in names) {
		a = "impl=posturekit"; b = "impl=mox"
		pn = ns[nm, a] / n[nm, a]; mn = ns[nm, b] / n[nm, b]
		printf "%-22s %14.0f %14.0f %12.2f %16.1f %16.1f\n", nm, pn, mn, pn / mn, al[nm, a] / n[nm, a], al[nm, b] / n[nm, b]
	}
}'
