package meshgraph

import (
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// workloadCP is a fakeCP that lists proxies with their workloads.
type workloadCP struct {
	*fakeCP
	dps []kuma.DataplaneIdentity
}

func (w *workloadCP) DataplaneIdentities(context.Context, string) ([]kuma.DataplaneIdentity, error) {
	return w.dps, nil
}

func dp(name, zone, workload, service string) kuma.DataplaneIdentity {
	return kuma.DataplaneIdentity{Name: name, Zone: zone, Workload: workload,
		InboundTags: []map[string]string{{serviceTag: service, "kuma.io/zone": zone}}}
}

// workloadWorld: web calls backend, which two workloads back (backend and
// backend-canary), and both call db; the second web proxy is scraped the
// legacy way, with kuma_io_service and no kuma_workload.
func workloadWorld() (*workloadCP, *fakeMetrics) {
	cp := &workloadCP{
		fakeCP: &fakeCP{mesh: kuma.Mesh{Name: "default"}, insights: []kuma.Service{
			svc("web", kuma.ServiceInternal, 2, 0, "zone-1"),
			svc("backend", kuma.ServiceInternal, 3, 0, "zone-1", "zone-2"),
			svc("db", kuma.ServiceInternal, 1, 0, "zone-1"),
			svc("idle", kuma.ServiceInternal, 1, 0, "zone-2"),
		}},
		dps: []kuma.DataplaneIdentity{
			dp("web-1", "zone-1", "web", "web"), dp("web-2", "zone-1", "web", "web"),
			dp("backend-1", "zone-1", "backend", "backend"), dp("backend-2", "zone-2", "backend", "backend"),
			dp("backend-canary-1", "zone-1", "backend-canary", "backend"),
			dp("db-1", "zone-1", "db", "db"),
			dp("idle-1", "zone-2", "", "idle"),
		},
	}
	m := &fakeMetrics{}
	add := func(n float64, kv ...string) {
		m.total = append(m.total, sample(n, append(kv, "kuma_io_mesh", "default")...))
		m.classes = append(m.classes, sample(n, append(kv, "envoy_response_code_class", "2")...))
	}
	add(100, "kuma_workload", "web", "zone", "zone-1", "envoy_cluster_name", "backend")
	add(30, "kuma_io_service", "web", "kuma_io_zone", "zone-1", "envoy_cluster_name", "backend")
	add(40, "kuma_workload", "backend", "zone", "zone-1", "envoy_cluster_name", "db")
	add(20, "kuma_workload", "backend", "zone", "zone-2", "envoy_cluster_name", "db")
	add(10, "kuma_workload", "backend-canary", "zone", "zone-1", "envoy_cluster_name", "db")
	add(5, "kuma_workload", "cron", "zone", "zone-2", "envoy_cluster_name", "db")
	return cp, m
}

func TestBuildByWorkload(t *testing.T) {
	cp, m := workloadWorld()
	g := build(t, cp, m, Options{ByWorkload: true})

	assert.Equal(t, []string{"backend", "backend (service)", "backend-canary", "cron", "db", "idle", "web"}, nodeIDs(g),
		"one node per workload; backend, served by two workloads, stays a service node renamed away from the workload")
	assert.Equal(t, []string{"backend->db", "backend-canary->db", "cron->db", "web->backend (service)"}, edgeIDs(g))

	assert.InDelta(t, 130, edge(t, g, "web->backend (service)").Requests.Total, 1e-9,
		"the legacy web proxy joins its workload: service web is backed by workload web alone")
	assert.InDelta(t, 60, edge(t, g, "backend->db").Requests.Total, 1e-9, "a workload adds up its zones")
	assert.Equal(t, []string{"zone-1", "zone-2"}, edge(t, g, "backend->db").SourceZones)
	assert.InDelta(t, 75, node(t, g, "db").Received.Total, 1e-9, "db is backed by workload db alone: it is that workload")

	web := node(t, g, "web")
	assert.Equal(t, KindWorkload, web.Kind)
	assert.True(t, web.KnownToCP)
	assert.Equal(t, 2, web.Total)
	assert.Equal(t, "web", web.Service, "links open the service the workload backs")
	backend := node(t, g, "backend")
	assert.Equal(t, []string{"zone-1", "zone-2"}, backend.Zones)
	svcNode := node(t, g, "backend (service)")
	assert.Equal(t, kuma.ServiceInternal, svcNode.Kind)
	assert.Equal(t, "backend", svcNode.Service)
	assert.Equal(t, 3, svcNode.Total)
	assert.Equal(t, kuma.ServiceInternal, node(t, g, "idle").Kind, "a service whose proxies have no workload label stays a service")
	cron := node(t, g, "cron")
	assert.False(t, cron.KnownToCP)
	assert.Equal(t, []string{"zone-2"}, cron.Zones)

	assert.Equal(t, []string{"web"}, g.WithoutWorkload)
	notices := g.Frames(FrameOptions{Mesh: "default"})[0].Meta.Notices
	require.Len(t, notices, 1)
	assert.Contains(t, notices[0].Text, "1 caller(s) carry no kuma_workload label, so they are drawn by service: web.")
}

func TestBuildByServiceIsUnchangedByWorkloads(t *testing.T) {
	cp, m := workloadWorld()
	g := build(t, cp, m, Options{})
	assert.Equal(t, []string{"backend->db", "cron->db", "web->backend"}, edgeIDs(g))
	assert.InDelta(t, 70, edge(t, g, "backend->db").Requests.Total, 1e-9, "both workloads call as service backend")
	assert.Empty(t, g.WithoutWorkload)
	assert.Empty(t, g.Frames(FrameOptions{Mesh: "default"})[0].Meta.Notices)
}

func TestBuildByWorkloadZoneFilter(t *testing.T) {
	cp, m := workloadWorld()
	g := build(t, cp, m, Options{ByWorkload: true, Zone: regexp.MustCompile("^(?:zone-2)$"), HideIdle: true})
	assert.Equal(t, []string{"backend->db", "cron->db"}, edgeIDs(g))
	assert.InDelta(t, 20, edge(t, g, "backend->db").Requests.Total, 1e-9)
}
