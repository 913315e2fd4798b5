//go:build repocheck

package stackcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

// The subset of the Compose specification the stack uses. Forms the stack
// does not use (list-style environment, long port syntax) fail to decode,
// which is the point: the checks below only understand these forms.
type composeFile struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
}

type composeService struct {
	Image       string                       `yaml:"image"`
	Build       *composeBuild                `yaml:"build"`
	Command     []string                     `yaml:"command"`
	Restart     string                       `yaml:"restart"`
	Ports       []string                     `yaml:"ports"`
	Volumes     []string                     `yaml:"volumes"`
	Environment map[string]string            `yaml:"environment"`
	Healthcheck *composeHealthcheck          `yaml:"healthcheck"`
	DependsOn   map[string]composeDependency `yaml:"depends_on"`
	NetworkMode string                       `yaml:"network_mode"`
	Hostname    string                       `yaml:"hostname"`
}

type composeBuild struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
	Target     string `yaml:"target"`
}

type composeHealthcheck struct {
	Test    []string `yaml:"test"`
	Disable bool     `yaml:"disable"`
}

type composeDependency struct {
	Condition string `yaml:"condition"`
}

// repoRoot is the repository's top folder.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := repo.Root()
	require.NoError(t, err)
	return root
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "docker-compose.yaml"))
	require.NoError(t, err)
	var c composeFile
	require.NoError(t, yaml.Unmarshal(raw, &c), "docker-compose.yaml does not parse")
	require.NotEmpty(t, c.Services)
	return c
}

// interpolation matches Compose's ${VAR}, ${VAR:-default} and ${VAR-default}.
var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}`)

// interpolate resolves Compose variables the way `docker compose` does, with
// lookup standing in for the shell environment.
func interpolate(s string, lookup func(string) (string, bool)) string {
	return interpolation.ReplaceAllStringFunc(s, func(m string) string {
		p := interpolation.FindStringSubmatch(m)
		v, ok := lookup(p[1])
		switch {
		case p[2] == ":-" && (!ok || v == ""):
			return p[3]
		case p[2] == "-" && !ok:
			return p[3]
		}
		return v
	})
}

// envOf returns a lookup over a fixed environment (nil: nothing is set).
func envOf(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestInterpolate(t *testing.T) {
	env := envOf(map[string]string{"SET": "x", "EMPTY": ""})
	tests := []struct{ in, want string }{
		{"${SET:-d}", "x"},
		{"${UNSET:-d}", "d"},
		{"${EMPTY:-d}", "d"},
		{"${EMPTY-d}", ""},
		{"${UNSET-d}", "d"},
		{"${UNSET}", ""},
		{"a ${SET} b", "a x b"},
		{"${UNSET:-http://h:1/p}", "http://h:1/p"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, interpolate(tt.in, env), tt.in)
	}
}

// imagePinned reports whether an image reference names a fixed version: a
// digest, or a tag other than latest and without variables.
func imagePinned(ref string) bool {
	if strings.Contains(ref, "@sha256:") {
		return true
	}
	if strings.Contains(ref, "$") {
		return false
	}
	name := ref[strings.LastIndex(ref, "/")+1:]
	i := strings.LastIndex(name, ":")
	return i > 0 && i < len(name)-1 && name[i+1:] != "latest"
}

func TestImagePinned(t *testing.T) {
	for ref, want := range map[string]bool{
		"prom/prometheus:v2.55.1":            true,
		"kumahq/kuma-dp:2.14.3":              true,
		"grafana/grafana@sha256:0123abcd":    true,
		"localhost:5000/grafana:12.4.0":      true,
		"grafana/grafana":                    false,
		"grafana/grafana:latest":             false,
		"localhost:5000/grafana":             false,
		"grafana/grafana:${GRAFANA_VERSION}": false,
	} {
		require.Equal(t, want, imagePinned(ref), ref)
	}
}

// dockerfileImages returns the external base images of a Dockerfile (ARG
// defaults resolved, build stages and scratch left out) and its stage names.
func dockerfileImages(t *testing.T, path string) (images []string, stages map[string]bool) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	args := map[string]string{}
	stages = map[string]bool{}
	for line := range strings.SplitSeq(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "ARG":
			if k, v, ok := strings.Cut(f[1], "="); ok {
				args[k] = v
			}
		case "FROM":
			img := os.Expand(f[1], func(k string) string { return args[k] })
			if len(f) >= 4 && strings.EqualFold(f[2], "AS") {
				stages[f[3]] = true
			}
			if img != "scratch" && !stages[img] {
				images = append(images, img)
			}
		}
	}
	return images, stages
}

func TestComposeImagesArePinned(t *testing.T) {
	root := repoRoot(t)
	for name, svc := range loadCompose(t).Services {
		if svc.Image != "" {
			require.Truef(t, imagePinned(svc.Image), "service %s: image %q is not pinned to a version", name, svc.Image)
			continue
		}
		require.NotNilf(t, svc.Build, "service %s has neither image nor build", name)
		dockerfile := filepath.Join(root, svc.Build.Context, "Dockerfile")
		if svc.Build.Dockerfile != "" {
			dockerfile = filepath.Join(root, svc.Build.Context, svc.Build.Dockerfile)
		}
		images, stages := dockerfileImages(t, dockerfile)
		require.NotEmptyf(t, images, "service %s: %s has no base image", name, dockerfile)
		for _, img := range images {
			require.Truef(t, imagePinned(img), "service %s: base image %q in %s is not pinned", name, img, dockerfile)
		}
		if svc.Build.Target != "" {
			require.Truef(t, stages[svc.Build.Target], "service %s: no stage %q in %s", name, svc.Build.Target, dockerfile)
		}
	}
}

func TestComposePathsExist(t *testing.T) {
	root := repoRoot(t)
	for name, svc := range loadCompose(t).Services {
		if svc.Build != nil {
			require.DirExistsf(t, filepath.Join(root, svc.Build.Context), "service %s: build context", name)
		}
		for _, v := range svc.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") {
				continue // a named volume
			}
			_, err := os.Stat(filepath.Join(root, src))
			require.NoErrorf(t, err, "service %s: bind-mounted path %s", name, src)
		}
	}
}

// publishedHost returns the host address of a short-syntax port mapping
// ("" when the port is published on every interface).
func publishedHost(port string) (string, error) {
	port, _, _ = strings.Cut(port, "/")
	parts := strings.Split(port, ":")
	switch len(parts) {
	case 1, 2:
		return "", nil
	case 3:
		return parts[0], nil
	}
	return "", fmt.Errorf("unexpected port syntax %q", port)
}

func TestOnlyGrafanaListensPublicly(t *testing.T) {
	for name, svc := range loadCompose(t).Services {
		for _, p := range svc.Ports {
			host, err := publishedHost(p)
			require.NoError(t, err, name)
			loopback := host == "127.0.0.1" || host == "[::1]" || host == "::1"
			require.Truef(t, loopback || name == "grafana", "service %s publishes %q on a non-loopback address", name, p)
		}
	}
	require.Contains(t, loadCompose(t).Services["grafana"].Ports, "3000:3000")
}

func TestServicesHaveHealthChecks(t *testing.T) {
	c := loadCompose(t)
	// One-shot jobs that others wait for with service_completed_successfully
	// exit by design, so they need no health check.
	oneShot := map[string]bool{}
	for _, svc := range c.Services {
		for dep, d := range svc.DependsOn {
			if d.Condition == "service_completed_successfully" {
				oneShot[dep] = true
			}
		}
	}
	for name, svc := range c.Services {
		for dep, d := range svc.DependsOn {
			require.Containsf(t, c.Services, dep, "service %s depends on unknown %s", name, dep)
			if d.Condition == "service_healthy" {
				require.NotNilf(t, c.Services[dep].Healthcheck, "%s waits for %s to be healthy, which has no health check", name, dep)
			}
		}
		if mode, ok := strings.CutPrefix(svc.NetworkMode, "service:"); ok {
			require.Containsf(t, c.Services, mode, "service %s shares the network of unknown %s", name, mode)
		}
		if oneShot[name] {
			require.Equalf(t, "no", svc.Restart, "one-shot %s must not restart", name)
			continue
		}
		require.NotNilf(t, svc.Healthcheck, "service %s has no health check", name)
		require.Falsef(t, svc.Healthcheck.Disable, "service %s disables its health check", name)
		require.NotEmptyf(t, svc.Healthcheck.Test, "service %s has an empty health check", name)
	}
}

func TestGrafanaSettings(t *testing.T) {
	root := repoRoot(t)
	g := loadCompose(t).Services["grafana"]
	env := g.Environment
	require.Equal(t, "kumahq-kuma-datasource", env["GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS"], "unsigned loading for this plugin only")
	require.Equal(t, "true", env["GF_AUTH_ANONYMOUS_ENABLED"])
	require.Equal(t, "Viewer", env["GF_AUTH_ANONYMOUS_ORG_ROLE"])
	require.Contains(t, env["GF_LOG_FILTERS"], "plugin.kumahq-kuma-datasource:debug")
	require.Contains(t, g.Volumes, "./provisioning:/etc/grafana/provisioning:ro", "the demo must use the documented provisioning folder")

	// The home dashboard is a file of the installed plugin, which the build
	// copies from the repository's dashboards/ folder.
	home, ok := strings.CutPrefix(env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"], pluginDir+"/")
	require.True(t, ok, "home dashboard outside the plugin folder")
	require.FileExists(t, filepath.Join(root, home))
	require.Equal(t, "dashboards/kuma-mesh-map.json", home)
}
