//go:build repocheck

package stackcheck

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// controlPlaneService is the compose service that runs kuma-cp.
const controlPlaneService = "kuma-control-plane"

// cpAddress returns the --cp-address of a kuma-dp command, or "" when the
// command does not run kuma-dp.
func cpAddress(cmd []string) string {
	if len(cmd) == 0 || cmd[0] != "run" {
		return ""
	}
	for i, arg := range cmd {
		if v, ok := strings.CutPrefix(arg, "--cp-address="); ok {
			return v
		}
		if arg == "--cp-address" && i+1 < len(cmd) {
			return cmd[i+1]
		}
	}
	return ""
}

func TestCPAddress(t *testing.T) {
	tests := []struct {
		cmd  []string
		want string
	}{
		{[]string{"run", "--cp-address=https://cp:5678", "--dns-enabled=false"}, "https://cp:5678"},
		{[]string{"run", "--cp-address", "https://cp:5678"}, "https://cp:5678"},
		{[]string{"run"}, ""},
		{[]string{"serve", "--cp-address=https://cp:5678"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, cpAddress(tt.cmd), "%q", tt.cmd)
	}
}

// kuma-cp generates its data plane server certificate for os.Hostname(),
// localhost and its IPs (pkg/core/bootstrap/autoconfig.go), and the
// bootstrap server rejects a kuma-dp whose --cp-address host is not among
// them (SANMismatchErr in pkg/xds/bootstrap/generator.go). In compose the
// hostname is the container id unless set, so the CP service must set it
// to the name the proxies dial.
func TestDataplanesDialTheControlPlaneByItsHostname(t *testing.T) {
	services := loadCompose(t).Services
	cp, ok := services[controlPlaneService]
	require.True(t, ok, "no %s service", controlPlaneService)
	proxies := 0
	for name, svc := range services {
		addr := cpAddress(svc.Command)
		if addr == "" {
			continue
		}
		proxies++
		u, err := url.Parse(addr)
		require.NoError(t, err, name)
		assert.Equalf(t, "https", u.Scheme, "%s: the DP server speaks TLS only", name)
		assert.Equalf(t, "5678", u.Port(), "%s: the DP server port", name)
		assert.Equalf(t, controlPlaneService, u.Hostname(), "%s dials a host that is not the control plane", name)
		assert.Equalf(t, u.Hostname(), cp.Hostname, "%s dials %s, which the CP certificate does not name", name, u.Hostname())
	}
	assert.GreaterOrEqual(t, proxies, 5, "every demo proxy runs kuma-dp")
}

func TestControlPlaneSettings(t *testing.T) {
	env := loadCompose(t).Services[controlPlaneService].Environment
	// Names from pkg/config/app/kuma-cp (envconfig tags) in kumahq/kuma.
	assert.Equal(t, "none", env["KUMA_DP_SERVER_AUTHN_DP_PROXY_TYPE"], "proxies start without dataplane tokens")
	assert.Equal(t, "true", env["KUMA_DEFAULTS_SKIP_MESH_CREATION"], "the seeder creates mesh default")
	for k := range env {
		assert.Truef(t, strings.HasPrefix(k, "KUMA_"), "%s is no kuma-cp setting", k)
	}
}
