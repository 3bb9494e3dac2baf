//go:build !js

package headers

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxStylesheet bounds a .css file read for the URLs it loads.
const maxStylesheet = 16 << 20

// SiteCSPFromDir computes the policy of the static site built in dir: it
// reads every .html and .htm file below it as a page and every .css file
// as a stylesheet (see [SiteCSP]), in lexical order. Findings name files
// by their path relative to dir.
func SiteCSPFromDir(dir string, opts SiteCSPOptions) (*SiteCSPResult, error) {
	return siteCSPFromFS(os.DirFS(dir), opts)
}

func siteCSPFromFS(fsys fs.FS, opts SiteCSPOptions) (*SiteCSPResult, error) {
	s := NewSiteCSP(opts)
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir // .git and the like
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".html", ".htm":
			f, err := fsys.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			return s.AddPage(path, f)
		case ".css":
			info, err := d.Info()
			if err != nil {
				return err
			}
			if info.Size() > maxStylesheet {
				return nil
			}
			b, err := fs.ReadFile(fsys, path)
			if err != nil {
				return err
			}
			s.AddStylesheet(path, b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("headers: %w", err)
	}
	if s.pages == 0 {
		return nil, fmt.Errorf("headers: no .html file in the directory")
	}
	return s.Result(), nil
}
