//go:build js

package headers

// gofmt returns the generated go-middleware source as it is: it is written
// in gofmt's layout already, and every value in it is a strconv.Quote'd
// literal (TestGoMiddlewareFormatted and FuzzGoMiddlewareFormatted check
// that format.Source leaves it unchanged), so the browser build gives the
// command line's output without linking go/format.
func gofmt(src string) (string, error) {
	return src, nil
}
