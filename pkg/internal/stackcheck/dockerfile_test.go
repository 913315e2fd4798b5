//go:build repocheck

package stackcheck

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dockerfiles are the Dockerfiles of the stack, relative to the repository.
var dockerfiles = []string{"Dockerfile", filepath.Join("demo", "Dockerfile")}

// platformArgs are BuildKit's automatic platform build arguments.
var platformArgs = map[string]bool{
	"TARGETPLATFORM": true, "TARGETOS": true, "TARGETARCH": true, "TARGETVARIANT": true,
	"BUILDPLATFORM": true, "BUILDOS": true, "BUILDARCH": true, "BUILDVARIANT": true,
}

// argDefault splits an ARG instruction's operand into name and default.
func argDefault(operand string) (name string, hasDefault bool) {
	name, _, hasDefault = strings.Cut(operand, "=")
	return name, hasDefault
}

func TestArgDefault(t *testing.T) {
	for in, want := range map[string]bool{"TARGETARCH": false, "TARGETARCH=amd64": true, "X=": true} {
		name, got := argDefault(in)
		assert.Equal(t, want, got, in)
		assert.NotContains(t, name, "=")
	}
}

// A default on an automatic platform argument is kept as if the user had
// set it, so an arm64 build would get an amd64 plugin binary
// (docker/buildx#510).
func TestPlatformArgsHaveNoDefault(t *testing.T) {
	root := repoRoot(t)
	for _, df := range dockerfiles {
		raw, err := os.ReadFile(filepath.Join(root, df))
		require.NoError(t, err)
		for n, line := range strings.Split(string(raw), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 || !strings.EqualFold(f[0], "ARG") {
				continue
			}
			name, hasDefault := argDefault(f[1])
			assert.Falsef(t, platformArgs[name] && hasDefault, "%s:%d gives %s a default", df, n+1, name)
		}
	}
}

// The backend stage runs these mage targets; the SDK's build package
// defines them, so a renamed target only shows when mage lists them.
func TestDockerfileMageTargetsExist(t *testing.T) {
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	require.NoError(t, err)
	var targets []string
	for line := range strings.SplitSeq(string(raw), "\n") {
		_, after, ok := strings.Cut(line, "github.com/magefile/mage ")
		if !ok {
			continue
		}
		for f := range strings.FieldsSeq(after) {
			if !strings.HasPrefix(f, "-") {
				targets = append(targets, strings.ToLower(f))
				break
			}
		}
	}
	require.NotEmpty(t, targets, "the Dockerfile runs no mage target")

	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	cmd := exec.Command(goBin, "run", "github.com/magefile/mage", "-l")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "MAGEFILE_CACHE="+t.TempDir())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "mage -l:\n%s", out)
	listed := map[string]bool{}
	for line := range strings.SplitSeq(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			listed[strings.ToLower(strings.TrimSuffix(f[0], "*"))] = true
		}
	}
	for _, target := range targets {
		assert.Truef(t, listed[target], "mage has no target %q:\n%s", target, out)
	}
}

// npm ci, the frontend stage's install, refuses a lockfile whose root
// dependencies differ from package.json.
func TestLockfileMatchesPackageJSON(t *testing.T) {
	root := repoRoot(t)
	type deps struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	var pkg struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		deps
	}
	var lock struct {
		Name            string          `json:"name"`
		Version         string          `json:"version"`
		LockfileVersion int             `json:"lockfileVersion"`
		Packages        map[string]deps `json:"packages"`
	}
	for path, v := range map[string]any{"package.json": &pkg, "package-lock.json": &lock} {
		raw, err := os.ReadFile(filepath.Join(root, path))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, v), path)
	}
	assert.Equal(t, pkg.Name, lock.Name)
	assert.Equal(t, pkg.Version, lock.Version)
	assert.GreaterOrEqual(t, lock.LockfileVersion, 2, "npm ci of Node 22 reads the packages map")
	rootPkg, ok := lock.Packages[""]
	require.True(t, ok, "package-lock.json has no root package")
	assert.Equal(t, pkg.Dependencies, rootPkg.Dependencies, "dependencies")
	assert.Equal(t, pkg.DevDependencies, rootPkg.DevDependencies, "devDependencies")
}
