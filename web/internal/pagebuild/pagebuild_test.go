//go:build !js

package pagebuild

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/internal/command"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecordKinds keeps the page's list of record kinds equal to what
// "record validate" knows: each is accepted, and the command's list of
// kinds (in its message for an unknown one) is exactly the page's.
func TestRecordKinds(t *testing.T) {
	c := command.Lookup("record validate")
	require.NotNil(t, c)
	run := func(kind string) error {
		in, err := command.NewInput(c, []string{kind, "x"}, nil, nil)
		require.NoError(t, err)
		_, err = c.Run(context.Background(), in)
		return err
	}
	var names []string
	for _, k := range RecordKinds {
		assert.NoError(t, run(k.Value), "record validate %s", k.Value)
		names = append(names, k.Value)
	}
	err := run("no-such-kind")
	require.Error(t, err)
	_, list, ok := strings.Cut(err.Error(), "want one of ")
	require.True(t, ok, "the message lists the kinds: %v", err)
	known := strings.Split(list, ", ")
	slices.Sort(known)
	slices.Sort(names)
	assert.Equal(t, known, names, "the page's kinds are the command's")
}

func TestRenderIndex(t *testing.T) {
	out, err := renderIndex([]byte(`<select>{{range .Presets}}<option value="{{.Value}}" title="{{.Title}}">{{.Label}}</option>{{end}}</select>`))
	require.NoError(t, err)
	assert.Contains(t, string(out), `<option value="web" title="posturekit&#39;s own offline page`)
	_, err = renderIndex([]byte(`{{range .Nope}}{{end}}`))
	assert.ErrorContains(t, err, "web/src/index.html")
}

func TestBuildRefuses(t *testing.T) {
	_, err := Build(context.Background(), Options{})
	assert.ErrorContains(t, err, "no output directory")
	_, err = Build(context.Background(), Options{Out: t.TempDir(), Go: "/nonexistent/go"})
	assert.ErrorContains(t, err, "/nonexistent/go")
	// A failed build leaves the old page as it was.
	out := filepath.Join(t.TempDir(), "dist")
	require.NoError(t, os.MkdirAll(out, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(out, "index.html"), []byte("old"), 0o644))
	_, err = Build(context.Background(), Options{Out: out, Root: t.TempDir()})
	assert.ErrorContains(t, err, "./wasm", "a directory that is not the module")
	b, err := os.ReadFile(filepath.Join(out, "index.html"))
	require.NoError(t, err)
	assert.Equal(t, "old", string(b))
	left, err := filepath.Glob(filepath.Join(filepath.Dir(out), ".dist.new-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary directory left behind")
}
