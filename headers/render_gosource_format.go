//go:build !js

package headers

import (
	"fmt"
	"go/format"
)

// gofmt formats the generated go-middleware source, which also proves it
// parses. The browser build has its own gofmt that leaves go/format
// (about 0.25 MB of brotli) out.
func gofmt(src string) (string, error) {
	out, err := format.Source([]byte(src))
	if err != nil {
		return "", fmt.Errorf("headers: go-middleware: generated code does not parse: %w", err)
	}
	return string(out), nil
}
