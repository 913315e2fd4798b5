//go:build repocheck

package archivecheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltArchive checks the archive `npm run package` produced. It runs
// when KUMA_PLUGIN_ZIP names it; with KUMA_REQUIRE_ARCHIVE=1 (CI) a missing
// variable is a failure, not a skip.
func TestBuiltArchive(t *testing.T) {
	zipPath := os.Getenv("KUMA_PLUGIN_ZIP")
	if zipPath == "" {
		if os.Getenv("KUMA_REQUIRE_ARCHIVE") == "1" {
			t.Fatal("KUMA_REQUIRE_ARCHIVE=1 but KUMA_PLUGIN_ZIP is not set: run `npm run package` and point KUMA_PLUGIN_ZIP at the zip")
		}
		t.Skip("KUMA_PLUGIN_ZIP is not set: run `npm run package` and set it to the zip to check the real archive")
	}
	problems, err := Check(zipPath, Options{
		SchemaPath:      schemaPath,
		PackageJSONPath: filepath.Join(repoRoot, "package.json"),
	})
	require.NoError(t, err)
	assert.Empty(t, problems, joinProblems(problems))
	assert.Contains(t, filepath.Base(zipPath), pluginID+"-", "the zip is named <plugin id>-<version>.zip")
}
