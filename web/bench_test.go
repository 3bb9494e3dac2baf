//go:build !js

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/posturekit/posturekit/internal/servertest"
)

// coldStartLoads is how many fresh loads each b.N iteration measures, per
// form of the page; the metrics are their medians.
const coldStartLoads = 3

// BenchmarkColdStart measures, in headless Chromium, the time from
// navigation to the first posturekit.run returning, for the page served
// by NewHandler over HTTP on loopback and for the page opened from disk,
// each load in a fresh browser context (no HTTP or code cache). The target
// is 350 ms. Metrics (medians): ms/cold-start and ms/cold-start-file, and
// for the served page ms/instantiated (the module compiled and
// instantiated) and ms/go-ready (posturekit.ready resolved).
func BenchmarkColdStart(b *testing.B) {
	modules := servertest.Playwright(b)
	dist := builtDist(b)
	srv := httptest.NewServer(NewHandler(os.DirFS(dist)))
	defer srv.Close()
	served, file := srv.URL+"/", "file://"+filepath.ToSlash(dist)+"/index.html"
	script, err := filepath.Abs("testdata/coldstart.js")
	if err != nil {
		b.Fatal(err)
	}
	flags, _ := json.Marshal(servertest.ChromiumFlags)
	type load struct{ Cold, Instantiated, Ready float64 }
	var all = map[string][]load{}
	b.ResetTimer()
	for range b.N {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		cmd := exec.CommandContext(ctx, "node", script, string(flags), strconv.Itoa(coldStartLoads), served, file)
		cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		cancel()
		if err != nil {
			b.Fatalf("node coldstart.js: %v\n%s", err, stderr.Bytes())
		}
		var got map[string][]load
		if err := json.Unmarshal(out, &got); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		for url, l := range got {
			all[url] = append(all[url], l...)
		}
	}
	b.StopTimer()
	median := func(l []load, f func(load) float64) float64 {
		v := make([]float64, len(l))
		for i, x := range l {
			v[i] = f(x)
		}
		slices.Sort(v)
		if len(v) == 0 {
			return -1
		}
		return v[len(v)/2]
	}
	cold := func(l load) float64 { return l.Cold }
	b.ReportMetric(median(all[served], cold), "ms/cold-start")
	b.ReportMetric(median(all[file], cold), "ms/cold-start-file")
	b.ReportMetric(median(all[served], func(l load) float64 { return l.Instantiated }), "ms/instantiated")
	b.ReportMetric(median(all[served], func(l load) float64 { return l.Ready }), "ms/go-ready")
	b.Logf("cold start, served: %v", all[served])
	b.Logf("cold start, file://: %v", all[file])
}
