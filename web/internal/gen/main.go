//go:build !js

// Command gen builds posturekit's offline page into a dist directory (see
// package pagebuild). "go generate ./web/..." and "make web" run it from
// the web directory:
//
//	go run ./internal/gen -out dist
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/posturekit/posturekit/web/internal/pagebuild"
)

func main() {
	out := flag.String("out", "dist", "the dist directory to build")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "gen: unexpected arguments %q (usage: gen [-out DIR])\n", flag.Args())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := pagebuild.Build(ctx, pagebuild.Options{Out: *out})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("web: built %s: %d files; posturekit.wasm %d bytes, gzip %d bytes\n", *out, len(res.Files), res.WasmSize, res.GzipSize)
}
