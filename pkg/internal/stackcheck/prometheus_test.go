//go:build repocheck

package stackcheck

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
)

// promtoolEnv names a promtool binary to use instead of the one on PATH,
// e.g. one built with every service discovery.
const promtoolEnv = "KUMA_PROMTOOL"

func prometheusConfigPath(t *testing.T) string {
	return filepath.Join(repoRoot(t), "demo", "prometheus.yml")
}

func lookPromtool(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(promtoolEnv); p != "" {
		return p
	}
	p, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv(promtest.RequireEnv) == "1" {
			t.Fatalf("promtool not found and %s=1", promtest.RequireEnv)
		}
		t.Skip("promtool not on PATH")
	}
	return p
}

func promtoolCheck(t *testing.T, promtool, path string) (string, error) {
	t.Helper()
	out, err := exec.Command(promtool, "check", "config", path).CombinedOutput()
	return string(out), err
}

func TestPrometheusConfigPassesPromtool(t *testing.T) {
	promtool := lookPromtool(t)
	path := prometheusConfigPath(t)
	out, err := promtoolCheck(t, promtool, path)
	if err == nil {
		t.Logf("%s", out)
		return
	}
	// Distribution builds such as Debian's leave Kuma service discovery out.
	// Then promtool checks everything else, with the Kuma block swapped for
	// static targets, and TestKumaServiceDiscovery checks that block.
	require.Contains(t, out, "field kuma_sd_configs not found", "promtool rejected %s:\n%s", path, out)
	t.Logf("%s was built without kuma_sd_configs; checking the rest of the config with it", promtool)
	cfg := loadPrometheusConfig(t)
	for _, sc := range cfg["scrape_configs"].([]any) {
		sc := sc.(map[string]any)
		if _, ok := sc["kuma_sd_configs"]; ok {
			delete(sc, "kuma_sd_configs")
			sc["static_configs"] = []any{map[string]any{"targets": []any{"placeholder:5670"}}}
		}
	}
	stripped, err := yaml.Marshal(cfg)
	require.NoError(t, err)
	tmp := filepath.Join(t.TempDir(), "prometheus.yml")
	require.NoError(t, os.WriteFile(tmp, stripped, 0o600))
	out, err = promtoolCheck(t, promtool, tmp)
	require.NoError(t, err, "promtool rejected the config without its Kuma block:\n%s", out)
}

func loadPrometheusConfig(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(prometheusConfigPath(t))
	require.NoError(t, err)
	var cfg map[string]any
	require.NoError(t, yaml.Unmarshal(raw, &cfg))
	return cfg
}

// scrapeJob returns the scrape config named job.
func scrapeJob(t *testing.T, cfg map[string]any, job string) map[string]any {
	t.Helper()
	for _, sc := range cfg["scrape_configs"].([]any) {
		if sc := sc.(map[string]any); sc["job_name"] == job {
			return sc
		}
	}
	t.Fatalf("no scrape job %q", job)
	return nil
}

// kumaSDFields are the fields of Prometheus's kuma_sd_configs
// (discovery/xds/kuma.go) plus its HTTP client settings.
var kumaSDFields = map[string]bool{
	"server": true, "refresh_interval": true, "fetch_timeout": true, "client_id": true,
	"basic_auth": true, "authorization": true, "oauth2": true, "tls_config": true, "proxy_url": true,
	"no_proxy": true, "proxy_from_environment": true, "follow_redirects": true, "enable_http2": true,
}

func TestKumaServiceDiscovery(t *testing.T) {
	cfg := loadPrometheusConfig(t)
	services := loadCompose(t).Services
	sds := scrapeJob(t, cfg, "kuma-dataplanes")["kuma_sd_configs"].([]any)
	require.Len(t, sds, 1)
	sd := sds[0].(map[string]any)
	for k := range sd {
		assert.Truef(t, kumaSDFields[k], "kuma_sd_configs has no field %q", k)
	}
	server, err := url.Parse(sd["server"].(string))
	require.NoError(t, err)
	assert.Equal(t, "http", server.Scheme)
	assert.Equal(t, "5676", server.Port(), "MADS listens on 5676")
	assert.Contains(t, services, server.Hostname(), "MADS server is no compose service")
	for _, k := range []string{"refresh_interval", "fetch_timeout"} {
		if v, ok := sd[k]; ok {
			_, err := model.ParseDuration(v.(string))
			assert.NoError(t, err, k)
		}
	}

	// The relabeling gives the labels the plugin expects by default.
	var targets, labelmap []string
	for _, rc := range scrapeJob(t, cfg, "kuma-dataplanes")["relabel_configs"].([]any) {
		rc := rc.(map[string]any)
		if rc["action"] == "labelmap" {
			labelmap = append(labelmap, rc["regex"].(string))
			continue
		}
		src := rc["source_labels"].([]any)
		targets = append(targets, src[0].(string)+"->"+rc["target_label"].(string))
	}
	assert.Contains(t, targets, "__meta_kuma_mesh->mesh")
	assert.Contains(t, targets, "__meta_kuma_dataplane->dataplane")
	assert.Equal(t, []string{"__meta_kuma_label_(.+)"}, labelmap)
}

func TestControlPlaneIsScraped(t *testing.T) {
	cp := scrapeJob(t, loadPrometheusConfig(t), "kuma-cp")
	static := cp["static_configs"].([]any)[0].(map[string]any)
	target := static["targets"].([]any)[0].(string)
	host, port, _ := strings.Cut(target, ":")
	assert.Equal(t, "5680", port, "CP metrics are on the diagnostics port")
	assert.Contains(t, loadCompose(t).Services, host)
}
