package repo

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRootFindsTheModule(t *testing.T) {
	root, err := Root()
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(root, "go.mod"))
	assert.DirExists(t, filepath.Join(root, "testdata"))
}

func TestRootFailsOutsideAModule(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := Root()
	assert.Error(t, err)
}
