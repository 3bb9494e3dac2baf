//go:build !js

package command

import (
	"fmt"
	"os"
	"path/filepath"
)

func init() { ttlWriteFile = ttlWriteFileAtomic }

// ttlWriteFileAtomic writes data to name through a temporary file in the same
// directory and a rename, so that readers see the old file or the new one,
// never a part.
func ttlWriteFileAtomic(name string, data []byte) error {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
