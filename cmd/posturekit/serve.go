package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/posturekit/posturekit/web"
	"github.com/spf13/cobra"
)

// defaultServeAddr is loopback only: the page is for the person at this
// machine; --addr opens it wider on purpose.
const defaultServeAddr = "127.0.0.1:8080"

// newServe is "posturekit serve": the offline page (package web) over
// HTTP, until SIGINT. It is not in the command table: the browser build
// has no server.
func newServe(stdout io.Writer) *cobra.Command {
	cc := &cobra.Command{
		Use:   "serve",
		Short: "serve the offline page (every generator and validator in the browser)",
		Long: `Serve posturekit's offline page: every generator and validator of this
command line, run by the browser from a WebAssembly build, with nothing sent
anywhere. The page is sent with the headers of "posturekit headers build
--preset web" (a strict CSP, HSTS and the rest).

The address is 127.0.0.1:8080 unless --addr says otherwise (":0" picks a
free port). The URL is printed (with --json, as {"url": ...}); the server
stops on an interrupt (Ctrl-C).

The page is built into this binary by "make web" before "go build"; the
same files in web/dist work from any static host, and web/dist/index.html
opened from disk works too.

Exit status: 0 after an interrupt, 2 when the page is not built or the
address cannot be used.`,
		Args: cobra.NoArgs,
	}
	fs := cc.Flags()
	addr := fs.String("addr", defaultServeAddr, "the HOST:PORT to listen on")
	jsonOut := fs.Bool("json", false, `print the URL as JSON ({"url": ...})`)
	cc.RunE = func(cc *cobra.Command, _ []string) error {
		h, err := web.Handler()
		if err != nil {
			return errors.New("serve: the page is not built: run make web, then build posturekit again")
		}
		return serve(cc.Context(), *addr, *jsonOut, stdout, h)
	}
	return cc
}

// serve listens on addr, prints the URL and serves h until ctx is done.
func serve(ctx context.Context, addr string, jsonOut bool, stdout io.Writer, h http.Handler) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("serve: --addr %q: want HOST:PORT, e.g. %s", addr, defaultServeAddr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %v", err)
	}
	url := "http://" + displayAddr(ln.Addr().(*net.TCPAddr)) + "/"
	if jsonOut {
		b, _ := json.Marshal(map[string]string{"url": url})
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprintf(stdout, "posturekit: serving the page at %s (Ctrl-C stops)\n", url)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %v", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("serve: stopping: %v", err)
	}
	<-done
	return nil
}

// displayAddr is the address to put in the URL: an unspecified address
// (":8080", "0.0.0.0") is reached on loopback.
func displayAddr(a *net.TCPAddr) string {
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		if ip != nil && ip.To4() == nil {
			ip = net.IPv6loopback
		} else {
			ip = net.IPv4(127, 0, 0, 1)
		}
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}
