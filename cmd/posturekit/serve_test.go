package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/posturekit/posturekit/web"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startServe runs serve in the background and returns the URL it prints
// and a function that interrupts it and returns its error.
func startServe(t *testing.T, jsonOut bool, run func(ctx context.Context, stdout io.Writer) error) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, pw)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err, "serve printed no URL")
	go io.Copy(io.Discard, pr)
	var url string
	if jsonOut {
		var v map[string]string
		require.NoError(t, json.Unmarshal([]byte(line), &v), "%q", line)
		url = v["url"]
	} else {
		_, rest, ok := strings.Cut(line, "serving the page at ")
		require.True(t, ok, "%q", line)
		url, _, _ = strings.Cut(rest, " ")
	}
	require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), "%q", line)
	return url, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop on interrupt")
			return nil
		}
	}
}

func TestServe(t *testing.T) {
	dist := fstest.MapFS{
		"index.html":      {Data: []byte("<!doctype html><title>posturekit</title>")},
		"wasm_exec.js":    {Data: []byte("//")},
		"posturekit.wasm": {Data: []byte("\x00asm\x01\x00\x00\x00")},
	}
	for _, jsonOut := range []bool{false, true} {
		url, stop := startServe(t, jsonOut, func(ctx context.Context, w io.Writer) error {
			return serve(ctx, "127.0.0.1:0", jsonOut, w, web.NewHandler(dist))
		})
		resp, err := http.Get(url + "posturekit.wasm")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "'wasm-unsafe-eval'")
		require.NoError(t, stop(), "an interrupt is a clean stop")
		_, err = http.Get(url)
		assert.Error(t, err, "the server is gone")
	}
}

func TestServeBadAddr(t *testing.T) {
	h := http.NotFoundHandler()
	err := serve(context.Background(), "nonsense", false, io.Discard, h)
	assert.ErrorContains(t, err, `--addr "nonsense": want HOST:PORT`)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	err = serve(context.Background(), ln.Addr().String(), false, io.Discard, h)
	assert.ErrorContains(t, err, "address already in use")
}

func TestDisplayAddr(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:8080": "127.0.0.1:8080", "0.0.0.0:80": "127.0.0.1:80", "[::]:81": "[::1]:81", "[::1]:82": "[::1]:82", "192.0.2.1:83": "192.0.2.1:83",
	} {
		a, err := net.ResolveTCPAddr("tcp", in)
		require.NoError(t, err)
		assert.Equal(t, want, displayAddr(a), in)
	}
	assert.Equal(t, "127.0.0.1:84", displayAddr(&net.TCPAddr{Port: 84}))
}

// TestServeCommand runs "posturekit serve" as a user does: with the page
// built into the binary it serves it until interrupted (exit 0); without,
// it says how to build it (exit 2).
func TestServeCommand(t *testing.T) {
	if _, err := web.Handler(); err != nil {
		var stdout, stderr strings.Builder
		code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr)
		assert.Equal(t, exitFailure, code)
		assert.Contains(t, stderr.String(), "the page is not built: run make web")
		t.Log("web/dist is not built: serve says so")
		return
	}
	url, stop := startServe(t, false, func(ctx context.Context, w io.Writer) error {
		var stderr strings.Builder
		if code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), w, &stderr); code != exitOK {
			return &exitError{code, stderr.String()}
		}
		return nil
	})
	resp, err := http.Get(url)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(page), "posturekit")
	assert.NoError(t, stop())
}

type exitError struct {
	code   int
	stderr string
}

func (e *exitError) Error() string { return e.stderr }
