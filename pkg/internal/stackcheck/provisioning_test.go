//go:build repocheck

package stackcheck

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// pluginDir is where Grafana installs the plugin, in the image and in a
// grafana-cli install alike.
const pluginDir = "/var/lib/grafana/plugins/kumahq-kuma-datasource"

// datasourceFile is the part of Grafana's datasource provisioning format the
// stack uses.
type datasourceFile struct {
	APIVersion        int `yaml:"apiVersion"`
	DeleteDatasources []struct {
		Name  string `yaml:"name"`
		OrgID int    `yaml:"orgId"`
	} `yaml:"deleteDatasources"`
	Datasources []provisionedDatasource `yaml:"datasources"`
}

type provisionedDatasource struct {
	Name           string            `yaml:"name"`
	UID            string            `yaml:"uid"`
	Type           string            `yaml:"type"`
	Access         string            `yaml:"access"`
	URL            string            `yaml:"url"`
	JSONData       map[string]any    `yaml:"jsonData"`
	SecureJSONData map[string]string `yaml:"secureJsonData"`
}

// grafanaEnv is the environment compose gives Grafana when the shell sets
// shellEnv (nil: a fresh clone with nothing set).
func grafanaEnv(t *testing.T, shellEnv map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for k, v := range loadCompose(t).Services["grafana"].Environment {
		env[k] = interpolate(v, envOf(shellEnv))
	}
	return env
}

// loadDatasources reads provisioning/datasources/kuma.yml and expands ${VAR}
// from env, as Grafana does with its own environment.
func loadDatasources(t *testing.T, env map[string]string) datasourceFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "provisioning", "datasources", "kuma.yml"))
	require.NoError(t, err)
	expanded := os.Expand(string(raw), func(k string) string { return env[k] })
	var f datasourceFile
	require.NoError(t, yaml.Unmarshal([]byte(expanded), &f))
	return f
}

func byUID(t *testing.T, f datasourceFile, uid string) provisionedDatasource {
	t.Helper()
	for _, ds := range f.Datasources {
		if ds.UID == uid {
			return ds
		}
	}
	t.Fatalf("no provisioned datasource with uid %q", uid)
	return provisionedDatasource{}
}

// instanceSettings is what Grafana hands the plugin for a provisioned entry.
func instanceSettings(t *testing.T, ds provisionedDatasource) backend.DataSourceInstanceSettings {
	t.Helper()
	jsonData, err := json.Marshal(ds.JSONData)
	require.NoError(t, err)
	return backend.DataSourceInstanceSettings{
		UID: ds.UID, Type: ds.Type, Name: ds.Name, URL: ds.URL,
		JSONData: jsonData, DecryptedSecureJSONData: ds.SecureJSONData,
	}
}

func TestProvisionedDatasourcesLoadIntoPluginSettings(t *testing.T) {
	tests := []struct {
		name      string
		shellEnv  map[string]string
		wantCP    string
		wantProm  string
		wantToken string
	}{
		{name: "a fresh clone points at the demo's control plane and Prometheus",
			wantCP: "http://kuma-control-plane:5681", wantProm: "http://prometheus:9090"},
		{name: "an existing Kuma is set through the environment",
			shellEnv: map[string]string{"KUMA_CP_URL": "https://cp.example.com:5682", "KUMA_PROMETHEUS_URL": "https://prom.example.com/prometheus", "KUMA_CP_TOKEN": "secret"},
			wantCP:   "https://cp.example.com:5682", wantProm: "https://prom.example.com/prometheus", wantToken: "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := loadDatasources(t, grafanaEnv(t, tt.shellEnv))
			assert.Equal(t, 1, f.APIVersion)

			prom := byUID(t, f, "prometheus")
			assert.Equal(t, "prometheus", prom.Type)
			assert.Equal(t, tt.wantProm, prom.URL)

			kuma := byUID(t, f, "kuma")
			require.Equal(t, "kumahq-kuma-datasource", kuma.Type)
			s := instanceSettings(t, kuma)
			cfg, err := models.LoadSettings(s)
			require.NoError(t, err)
			require.NoError(t, cfg.ValidateControlPlane())
			require.NoError(t, cfg.ValidatePrometheus())
			assert.Equal(t, tt.wantCP, cfg.ControlPlaneURL)
			assert.Equal(t, tt.wantProm, cfg.PrometheusURL, "the plugin queries the same Prometheus as the dashboards")
			assert.Equal(t, tt.wantToken, cfg.ControlPlaneToken)
			assert.Equal(t, models.DefaultLabelNames, cfg.LabelNames, "the demo relabeling gives the default label names")

			// timeout is read by the SDK's HTTP client options, as a number.
			opts, err := s.HTTPClientOptions(context.Background())
			require.NoError(t, err)
			require.NotNil(t, opts.Timeouts)
			assert.Equal(t, 30*time.Second, opts.Timeouts.Timeout)
		})
	}
}

func TestProvisionedDatasourcesReachComposeServices(t *testing.T) {
	services := loadCompose(t).Services
	f := loadDatasources(t, grafanaEnv(t, nil))
	urls := map[string]string{"prometheus": byUID(t, f, "prometheus").URL, "kuma": byUID(t, f, "kuma").URL}
	for uid, raw := range urls {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		require.Containsf(t, services, u.Hostname(), "datasource %s points at %s, which is no compose service", uid, raw)
	}
}

func TestDeleteDatasourcesNamesTheProvisionedOnes(t *testing.T) {
	f := loadDatasources(t, grafanaEnv(t, nil))
	var deleted, provisioned []string
	for _, d := range f.DeleteDatasources {
		deleted = append(deleted, d.Name)
	}
	for _, ds := range f.Datasources {
		provisioned = append(provisioned, ds.Name)
		assert.Equal(t, "proxy", ds.Access, ds.Name)
	}
	assert.ElementsMatch(t, provisioned, deleted)
}

func TestDashboardsProviderLoadsThePluginDashboards(t *testing.T) {
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "provisioning", "dashboards", "kuma.yml"))
	require.NoError(t, err)
	var f struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &f))
	require.Equal(t, 1, f.APIVersion)
	require.Len(t, f.Providers, 1)
	assert.Equal(t, "file", f.Providers[0].Type)
	assert.Equal(t, pluginDir+"/dashboards", f.Providers[0].Options.Path)

	// The Grafana image gets the plugin's build output at pluginDir, and the
	// build copies the repository's dashboards/ into it.
	dockerfile, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	require.NoError(t, err)
	assert.Contains(t, string(dockerfile), "COPY --from=frontend /src/dist/ "+pluginDir+"/")
	for _, uid := range []string{"kuma-mesh-map", "kuma-dataplane", "kuma-service-to-service", "kuma-cp", "kuma-service", "kuma-gateway",
		"kuma-zone-ingress-proxies", "kuma-zone-egress-proxies"} {
		assert.FileExists(t, filepath.Join(root, "dashboards", uid+".json"))
	}
	entries, err := os.ReadDir(filepath.Join(root, "provisioning", "dashboards"))
	require.NoError(t, err)
	for _, e := range entries {
		assert.True(t, strings.HasSuffix(e.Name(), ".yml") || strings.HasSuffix(e.Name(), ".yaml"), "stray file %s would be read as provisioning", e.Name())
	}
}
