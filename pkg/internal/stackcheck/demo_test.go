//go:build repocheck

package stackcheck

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// dataplane is the part of a Kuma Dataplane resource the demo sets.
type dataplane struct {
	Type       string `yaml:"type"`
	Mesh       string `yaml:"mesh"`
	Name       string `yaml:"name"`
	Networking struct {
		Address string `yaml:"address"`
		Inbound []struct {
			Port           int               `yaml:"port"`
			ServicePort    int               `yaml:"servicePort"`
			ServiceAddress string            `yaml:"serviceAddress"`
			Tags           map[string]string `yaml:"tags"`
		} `yaml:"inbound"`
		Outbound []struct {
			Port int               `yaml:"port"`
			Tags map[string]string `yaml:"tags"`
		} `yaml:"outbound"`
		Gateway *struct {
			Type string            `yaml:"type"`
			Tags map[string]string `yaml:"tags"`
		} `yaml:"gateway"`
	} `yaml:"networking"`
}

// demoProxy is a data plane proxy of the compose file, with the service
// whose network namespace it runs in.
type demoProxy struct {
	netns string
	dp    dataplane
}

// demoProxies reads the Dataplane file that each kuma-dp service mounts.
func demoProxies(t *testing.T) map[string]demoProxy {
	t.Helper()
	root := repoRoot(t)
	out := map[string]demoProxy{}
	for name, svc := range loadCompose(t).Services {
		for _, v := range svc.Volumes {
			src, dst, _ := strings.Cut(v, ":")
			if !strings.HasPrefix(dst, "/kuma/dataplane.yaml") {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(root, src))
			require.NoError(t, err)
			var dp dataplane
			require.NoError(t, yaml.Unmarshal(raw, &dp), src)
			netns := name
			if s, ok := strings.CutPrefix(svc.NetworkMode, "service:"); ok {
				netns = s
			}
			out[name] = demoProxy{netns: netns, dp: dp}
		}
	}
	require.GreaterOrEqual(t, len(out), 5, "the demo runs at least five proxies")
	return out
}

func TestDemoDataplanesMatchTheirServices(t *testing.T) {
	services := loadCompose(t).Services
	proxies := demoProxies(t)
	provided := map[string]bool{}
	for _, p := range proxies {
		for _, in := range p.dp.Networking.Inbound {
			provided[in.Tags["kuma.io/service"]] = true
		}
	}
	gateways := 0
	for name, p := range proxies {
		dp := p.dp
		assert.Equal(t, "Dataplane", dp.Type, name)
		assert.Equal(t, "default", dp.Mesh, name)
		// The CP resolves the address and Prometheus scrapes <address>:5670,
		// so it must be the compose name of the proxy's network namespace.
		assert.Equalf(t, p.netns, dp.Networking.Address, "%s: address", name)
		if dp.Networking.Gateway != nil {
			gateways++
			assert.Equal(t, "BUILTIN", dp.Networking.Gateway.Type)
			continue
		}
		app := services[p.netns]
		outbounds := map[int]string{}
		for _, o := range dp.Networking.Outbound {
			outbounds[o.Port] = o.Tags["kuma.io/service"]
			assert.Truef(t, provided[o.Tags["kuma.io/service"]], "%s: outbound to %q, which no proxy serves", name, o.Tags["kuma.io/service"])
		}
		// Every local upstream the app calls is an outbound of its proxy.
		for _, port := range localUpstreamPorts(app.Command) {
			assert.Containsf(t, outbounds, port, "%s calls 127.0.0.1:%d, which its proxy does not serve", p.netns, port)
		}
		require.Lenf(t, dp.Networking.Inbound, 1, "%s: inbounds", name)
		host, port := listenAddr(app.Command)
		assert.Equalf(t, port, dp.Networking.Inbound[0].ServicePort, "%s: servicePort is where the app listens", name)
		// Since Kuma 1.8 (kumahq/kuma#4750) an inbound without serviceAddress
		// forwards to the Dataplane address, not to 127.0.0.1.
		assert.Equalf(t, host, dp.Networking.Inbound[0].ServiceAddress, "%s: serviceAddress is where the app listens", name)
	}
	assert.Equal(t, 1, gateways, "one builtin gateway proxy")
}

// localUpstreamPorts returns the 127.0.0.1 ports in the -upstreams,
// -tcp-upstreams and -load flags of a demo command.
func localUpstreamPorts(cmd []string) []int {
	var ports []int
	for _, arg := range cmd {
		_, list, ok := strings.Cut(arg, "=")
		if !ok || !(strings.HasPrefix(arg, "-upstreams=") || strings.HasPrefix(arg, "-tcp-upstreams=") || strings.HasPrefix(arg, "-load=")) {
			continue
		}
		for u := range strings.SplitSeq(list, ",") {
			u = strings.TrimPrefix(u, "http://")
			if rest, ok := strings.CutPrefix(u, "127.0.0.1:"); ok {
				p, _ := strconv.Atoi(strings.TrimRight(rest, "/"))
				ports = append(ports, p)
			}
		}
	}
	return ports
}

// listenAddr is the host and port of a demo command's -listen flag
// (default 127.0.0.1:8080, as in demo/serve.go).
func listenAddr(cmd []string) (string, int) {
	for _, arg := range cmd {
		if addr, ok := strings.CutPrefix(arg, "-listen="); ok {
			i := strings.LastIndex(addr, ":")
			p, _ := strconv.Atoi(addr[i+1:])
			return addr[:i], p
		}
	}
	return "127.0.0.1", 8080
}

func TestDemoGatewayRoutesToAMeshedService(t *testing.T) {
	root := repoRoot(t)
	read := func(name string) map[string]any {
		raw, err := os.ReadFile(filepath.Join(root, "demo", "kuma", "resources", name))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(raw, &m), name)
		return m
	}
	mesh := read("00-mesh-default.json")
	backend := mesh["metrics"].(map[string]any)["backends"].([]any)[0].(map[string]any)
	assert.EqualValues(t, 5670, backend["conf"].(map[string]any)["port"], "metrics on the port Prometheus scrapes")

	gw := read("10-meshgateway-edge-gateway.json")
	selector := gw["selectors"].([]any)[0].(map[string]any)["match"].(map[string]any)
	route := read("20-meshhttproute-edge-gateway-route.json")
	spec := route["spec"].(map[string]any)
	assert.Equal(t, gw["name"], spec["targetRef"].(map[string]any)["name"])
	rule := spec["to"].([]any)[0].(map[string]any)["rules"].([]any)[0].(map[string]any)
	dest := rule["default"].(map[string]any)["backendRefs"].([]any)[0].(map[string]any)["name"]

	var gatewayTags map[string]string
	served := map[string]bool{}
	for _, p := range demoProxies(t) {
		if g := p.dp.Networking.Gateway; g != nil {
			gatewayTags = g.Tags
		}
		for _, in := range p.dp.Networking.Inbound {
			served[in.Tags["kuma.io/service"]] = true
		}
	}
	assert.Equal(t, selector["kuma.io/service"], gatewayTags["kuma.io/service"], "the MeshGateway selects the gateway proxy")
	assert.Truef(t, served[dest.(string)], "the gateway routes to %v, which no proxy serves", dest)
}

// TestDemoModule vets and tests the demo workload, a module of its own that
// `go test ./...` at the repository root does not reach.
func TestDemoModule(t *testing.T) {
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	dir := filepath.Join(repoRoot(t), "demo")
	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command(goBin, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoErrorf(t, err, "go %s in demo/:\n%s", strings.Join(args, " "), out)
		t.Logf("go %s: %s", strings.Join(args, " "), strings.TrimSpace(string(out)))
	}
}
