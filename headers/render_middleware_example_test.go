//go:build !js

package headers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/posturekit/posturekit/headers"
)

func ExampleMiddleware() {
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private") // replaced by the site's
		http.NotFound(w, r)
	})
	handler := headers.Middleware(exampleSite())(files)
	for _, path := range []string{"/", "/assets/app.css"} {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("X-Content-Type-Options"))
	}
	// Output:
	// / 404 no-cache nosniff
	// /assets/app.css 404 public, max-age=31536000, immutable nosniff
}
