//go:build !cgo

package imageopt

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestNeedsCgo: built without cgo, the package says so clearly instead of
// failing to link or writing anything.
func TestNeedsCgo(t *testing.T) {
	if !errors.Is(Available(), ErrNeedsCgo) {
		t.Fatal("Available does not report ErrNeedsCgo")
	}
	src := encodePNG(t, quadrants(8, 8))
	if _, err := Convert(src, nil); !errors.Is(err, ErrNeedsCgo) {
		t.Errorf("Convert: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.png"), src, 0o644)
	rep, err := ConvertTree(context.Background(), []string{dir}, nil)
	if err != nil || rep.Summary.Failed != 1 || !errors.Is(rep.Files[0].Err, ErrNeedsCgo) {
		t.Errorf("ConvertTree: %v %+v", err, rep)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.webp")); err == nil {
		t.Error("a WebP was written")
	}
}
