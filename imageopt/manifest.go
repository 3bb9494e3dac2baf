package imageopt

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// ManifestName is the manifest's file name: in the output folder, or, when
// WebP files are written beside their sources, in the folder that holds
// every path given.
const ManifestName = ".posturekit-webp.json"

// maxManifestSize bounds the manifest read back (about 300 bytes an entry).
const maxManifestSize = 256 << 20

// manifest records, for each source, the hash of its content, the options
// it was converted with, and what came of it, so that a later run with
// the same source and options does not encode it again. Paths are
// slash-separated and relative to the manifest's folder, so that a tree
// can move (e.g. between CI checkouts).
type manifest struct {
	Version int                       `json:"version"`
	Entries map[string]*manifestEntry `json:"entries"`
	// changed is set when an entry was added or replaced.
	changed bool
}

const manifestVersion = 1

type manifestEntry struct {
	SourceSHA256 string `json:"source_sha256"`
	Options      string `json:"options"`
	Action       Action `json:"action"`
	Format       Format `json:"format,omitempty"`
	Reason       string `json:"reason,omitempty"`
	Output       string `json:"output,omitempty"`
	OutputSHA256 string `json:"output_sha256,omitempty"`
	BytesIn      int64  `json:"bytes_in"`
	BytesOut     int64  `json:"bytes_out"`
}

// loadManifest reads a manifest; a missing, unreadable or foreign one is
// an empty manifest (everything is encoded again), never an error.
func loadManifest(path string) *manifest {
	m := &manifest{Version: manifestVersion, Entries: map[string]*manifestEntry{}}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxManifestSize {
		return m
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return m
	}
	var read manifest
	if json.Unmarshal(b, &read) != nil || read.Version != manifestVersion || read.Entries == nil {
		return m
	}
	for k, e := range read.Entries {
		if e != nil {
			m.Entries[k] = e
		}
	}
	return m
}

// save writes the manifest atomically. Entries whose source is gone are
// dropped, and the WebP files they record removed (when unchanged), so a
// deleted image leaves no orphan behind.
func (m *manifest) save(path string) error {
	dir := filepath.Dir(path)
	for k := range m.Entries {
		src := filepath.FromSlash(k)
		if !filepath.IsAbs(src) {
			src = filepath.Join(dir, src)
		}
		if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
			// The source is gone: so is the WebP made from it, unless
			// someone changed that since.
			if e := m.Entries[k]; e.Output != "" {
				out := filepath.FromSlash(e.Output)
				if !filepath.IsAbs(out) {
					out = filepath.Join(dir, out)
				}
				if sameHash(out, e.OutputSHA256) {
					os.Remove(out)
				}
			}
			delete(m.Entries, k)
			m.changed = true
		}
	}
	if !m.changed {
		if _, err := os.Stat(path); err == nil {
			return nil // as it was read
		}
	}
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(b, '\n'))
}

// writeAtomic writes data to path through a temporary file in the same
// folder and a rename, so that path is at every moment either absent, the
// old file, or the whole new one: never half written, even when the
// process is killed. (Not synced to disk: a power cut may still lose the
// file, though not leave it half written on journalling file systems that
// order the rename after the data, as ext4 does for replacing renames.)
func writeAtomic(path string, data []byte) (err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+name+".*"+tempSuffix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// tempSuffix ends the names of temporary files.
const tempSuffix = ".posturekit-tmp"
