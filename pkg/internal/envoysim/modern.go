package envoysim

import (
	"strings"
	"time"
)

// Exclusive is the scenario of the recorded global control plane with an
// Exclusive mesh (testdata/kuma-cp-2.14.3-exclusive): mesh "modern", proxies
// web-1, api-1 and db-1 in zone-1 and api-2 in zone-2, with the cluster
// names their Envoys were given (envoy-names.json), plus web-u1, a zone-1
// web proxy with unified naming (envoy-names-unified.json). Every
// MeshService cluster names its zone, so api's two copies are two nodes:
//
//	web → api (zone-1)      modern_api__zone-1_msvc_8080, some 5xx
//	web → api (zone-2)      modern_api__zone-2_msvc_8080 (cross-zone) and,
//	                        from web-u1, kri_msvc_modern_zone-2__api_8080
//	web → api-mz            modern_api-mz___mzsvc_8080 (MeshMultiZoneService:
//	                        both zones serve it)
//	api → db                modern_db__zone-1_msvc_5432, TCP, from api-1
//	                        and (cross-zone) api-2
//	api → payments-ext      modern_payments-ext___extsvc_443 (no proxy)
func Exclusive(start, end time.Time) Scenario {
	rq, w := perSecond(start, end)
	return Scenario{
		Mesh: "modern", Start: start, End: end,
		Proxies: []Proxy{
			{Name: "web-1", Service: "web", Zone: "zone-1"},
			{Name: "web-u1", Service: "web", Zone: "zone-1", UnifiedNaming: true},
			{Name: "api-1", Service: "api", Zone: "zone-1", Node: "api (zone-1)"},
			{Name: "db-1", Service: "db", Zone: "zone-1", Port: 5432},
			{Name: "api-2", Service: "api", Zone: "zone-2", Node: "api (zone-2)"},
		},
		Calls: []Call{
			{From: "web-1", ClusterName: "modern_api__zone-1_msvc_8080", To: "api", ToZone: "zone-1", Node: "api (zone-1)",
				Requests: rq(map[int]float64{2: 8, 5: 0.4}), LatencyMs: 30},
			{From: "web-1", ClusterName: "modern_api__zone-2_msvc_8080", To: "api", ToZone: "zone-2", Node: "api (zone-2)",
				Requests: rq(map[int]float64{2: 2, 4: 0.1}), LatencyMs: 90},
			{From: "web-u1", ClusterName: "kri_msvc_modern_zone-2__api_8080", To: "api", ToZone: "zone-2", Node: "api (zone-2)",
				Requests: rq(map[int]float64{2: 1}), LatencyMs: 90},
			{From: "web-1", ClusterName: "modern_api-mz___mzsvc_8080", To: "api", Node: "api-mz",
				Requests: rq(map[int]float64{2: 3}), LatencyMs: 40},
			{From: "api-1", ClusterName: "modern_db__zone-1_msvc_5432", To: "db", TCP: true,
				Connections: 0.2 * w, TxBytes: 500 * w, RxBytes: 3000 * w},
			{From: "api-2", ClusterName: "modern_db__zone-1_msvc_5432", To: "db", TCP: true,
				Connections: 0.1 * w, TxBytes: 200 * w, RxBytes: 1000 * w},
			{From: "api-1", ClusterName: "modern_payments-ext___extsvc_443", Node: "payments-ext",
				Requests: rq(map[int]float64{2: 0.5, 5: 0.05}), LatencyMs: 250},
		},
	}
}

// Kubernetes is the scenario of the Kubernetes fixture built from Kuma's
// source (testdata/kuma-cp-2.14.3-k8s-built): mesh "default" with Exclusive
// MeshServices generated from Services in namespace kuma-demo. Proxies are
// scraped with the Kubernetes tag <service>_<namespace>_svc_<port>, while
// their nodes are the MeshServices "frontend", "redis" and backend's copies
// in zone-1 and zone-2:
//
//	frontend → backend (zone-1)   default_backend_kuma-demo_zone-1_msvc_3001
//	frontend → backend (zone-2)   kri_msvc_default_zone-2_kuma-demo_backend_http
//	                              (unified naming, port name as section) from
//	                              a proxy on the MeshMetric path, known only
//	                              by kuma_workload="frontend" and zone
//	backend → redis               default_redis_kuma-demo_zone-1_msvc_6379,
//	                              TCP, from both zones
func Kubernetes(start, end time.Time) Scenario {
	rq, w := perSecond(start, end)
	const backend, frontend, redis = "backend_kuma-demo_svc_3001", "frontend_kuma-demo_svc_8080", "redis_kuma-demo_svc_6379"
	return Scenario{
		Mesh: "default", Start: start, End: end,
		Proxies: []Proxy{
			{Name: "frontend-7d9f5.kuma-demo", Service: frontend, Zone: "zone-1", Node: "frontend"},
			{Name: "frontend-8c2a1.kuma-demo", Service: frontend, Zone: "zone-1", Node: "frontend", UnifiedNaming: true,
				MeshMetric: true, Workload: "frontend"},
			{Name: "backend-5b6c7.kuma-demo", Service: backend, Zone: "zone-1", Port: 3001, Node: "backend (zone-1)"},
			{Name: "backend-9e8f7.kuma-demo", Service: backend, Zone: "zone-2", Port: 3001, Node: "backend (zone-2)"},
			{Name: "redis-0.kuma-demo", Service: redis, Zone: "zone-1", Port: 6379, Node: "redis"},
		},
		Calls: []Call{
			{From: "frontend-7d9f5.kuma-demo", ClusterName: "default_backend_kuma-demo_zone-1_msvc_3001", To: backend, ToZone: "zone-1",
				Node: "backend (zone-1)", Requests: rq(map[int]float64{2: 6, 5: 0.3}), LatencyMs: 25},
			{From: "frontend-8c2a1.kuma-demo", ClusterName: "kri_msvc_default_zone-2_kuma-demo_backend_http", To: backend, ToZone: "zone-2",
				Node: "backend (zone-2)", Requests: rq(map[int]float64{2: 2, 4: 0.2}), LatencyMs: 80},
			{From: "backend-5b6c7.kuma-demo", ClusterName: "default_redis_kuma-demo_zone-1_msvc_6379", To: redis, Node: "redis", TCP: true,
				Connections: 0.3 * w, TxBytes: 800 * w, RxBytes: 4000 * w},
			{From: "backend-9e8f7.kuma-demo", ClusterName: "default_redis_kuma-demo_zone-1_msvc_6379", To: redis, Node: "redis", TCP: true,
				Connections: 0.1 * w, TxBytes: 300 * w, RxBytes: 1500 * w},
		},
	}
}

// perSecond turns per-second rates into totals over the window.
func perSecond(start, end time.Time) (func(map[int]float64) map[int]float64, float64) {
	w := end.Sub(start).Seconds()
	return func(byClass map[int]float64) map[int]float64 {
		out := map[int]float64{}
		for class, rps := range byClass {
			out[class] = rps * w
		}
		return out
	}, w
}

// UnifiedMeshMetric is the world of the Kubernetes fixture
// (testdata/kuma-cp-2.14.3-k8s-built) with every proxy on the MeshMetric
// path and unified naming: callers carry only mesh, zone, kuma_proxy_role
// and kuma_workload (no kuma_io_service), inbound clusters are
// self_inbound_dp_<port>, the admin cluster system_envoy_admin, and
// outbound clusters kri_msvc_ names with the port name as section. A
// workload is resolved in its own zone, so backend's two copies call redis
// as two nodes:
//
//	frontend → backend (zone-1)      kri_msvc_default_zone-1_kuma-demo_backend_http
//	frontend → backend (zone-2)      kri_msvc_default_zone-2_kuma-demo_backend_http
//	backend (zone-1) → redis         kri_msvc_default_zone-1_kuma-demo_redis_tcp, TCP
//	backend (zone-2) → redis         the same cluster, TCP, cross-zone
func UnifiedMeshMetric(start, end time.Time) Scenario {
	rq, w := perSecond(start, end)
	const backend, frontend, redis = "backend_kuma-demo_svc_3001", "frontend_kuma-demo_svc_8080", "redis_kuma-demo_svc_6379"
	unified := func(p Proxy) Proxy {
		p.UnifiedNaming, p.MeshMetric = true, true
		return p
	}
	return Scenario{
		Mesh: "default", Start: start, End: end,
		Proxies: []Proxy{
			unified(Proxy{Name: "frontend-7d9f5.kuma-demo", Service: frontend, Zone: "zone-1", Node: "frontend", Workload: "frontend"}),
			unified(Proxy{Name: "frontend-8c2a1.kuma-demo", Service: frontend, Zone: "zone-1", Node: "frontend", Workload: "frontend"}),
			unified(Proxy{Name: "backend-5b6c7.kuma-demo", Service: backend, Zone: "zone-1", Port: 3001, Node: "backend (zone-1)", Workload: "backend"}),
			unified(Proxy{Name: "backend-9e8f7.kuma-demo", Service: backend, Zone: "zone-2", Port: 3001, Node: "backend (zone-2)", Workload: "backend"}),
			unified(Proxy{Name: "redis-0.kuma-demo", Service: redis, Zone: "zone-1", Port: 6379, Node: "redis", Workload: "redis"}),
		},
		Calls: []Call{
			{From: "frontend-7d9f5.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_backend_http", To: backend, ToZone: "zone-1",
				Node: "backend (zone-1)", Requests: rq(map[int]float64{2: 5, 5: 0.5}), LatencyMs: 20},
			{From: "frontend-8c2a1.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_backend_http", To: backend, ToZone: "zone-1",
				Node: "backend (zone-1)", Requests: rq(map[int]float64{2: 3, 4: 0.3}), LatencyMs: 20},
			{From: "frontend-8c2a1.kuma-demo", ClusterName: "kri_msvc_default_zone-2_kuma-demo_backend_http", To: backend, ToZone: "zone-2",
				Node: "backend (zone-2)", Requests: rq(map[int]float64{2: 1.5, 5: 0.1}), LatencyMs: 70},
			{From: "backend-5b6c7.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_redis_tcp", To: redis, Node: "redis", TCP: true,
				Connections: 0.4 * w, TxBytes: 900 * w, RxBytes: 5000 * w},
			{From: "backend-9e8f7.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_redis_tcp", To: redis, Node: "redis", TCP: true,
				Connections: 0.2 * w, TxBytes: 400 * w, RxBytes: 2000 * w},
		},
	}
}

// ExclusiveMultizone is the recorded Exclusive world (mesh "modern" over
// zone-1 and zone-2, testdata/kuma-cp-2.14.3-exclusive, whose CP also has
// mesh "default") with the traffic that crosses zones and meshes:
//
//	web → api-mz              the MeshMultiZoneService, legacy
//	                          (modern_api-mz___mzsvc_8080) and unified
//	                          (kri_mzsvc_modern___api-mz_8080) names
//	web → api (zone-2)        cross-zone MeshService copy
//	zone-ingress → db         a zone ingress of zone-2 forwarding to db
//	                          through <mesh>_<service> (modern_db), TCP, and
//	                          a second one on the MeshMetric path with
//	                          unified naming, labelled only with
//	                          kuma_proxy_role="zone-ingress" and zone
//	zone-egress → payments-ext  a zone egress of zone-1 forwarding to the
//	                          MeshExternalService (modern_payments-ext)
//	web → backend (mesh default)  a cross-mesh cluster <service>_<mesh>
//
// The zone proxies are labelled with kuma_io_service "zone-ingress" and
// "zone-egress": the control plane lists them as zone proxies, not as a
// mesh's services, so their nodes are known from the metrics only.
func ExclusiveMultizone(start, end time.Time) Scenario {
	rq, w := perSecond(start, end)
	return Scenario{
		Mesh: "modern", Start: start, End: end,
		Proxies: []Proxy{
			{Name: "web-1", Service: "web", Zone: "zone-1"},
			{Name: "web-u1", Service: "web", Zone: "zone-1", UnifiedNaming: true},
			{Name: "api-1", Service: "api", Zone: "zone-1", Node: "api (zone-1)"},
			{Name: "api-2", Service: "api", Zone: "zone-2", Node: "api (zone-2)"},
			{Name: "db-1", Service: "db", Zone: "zone-1", Port: 5432},
			{Name: "zone-ingress-2", Service: "zone-ingress", Zone: "zone-2", Delegated: true},
			{Name: "zone-ingress-u2", Service: "zone-ingress", Zone: "zone-2", Delegated: true, MeshMetric: true, UnifiedNaming: true,
				Role: "zone-ingress"},
			{Name: "zone-egress-1", Service: "zone-egress", Zone: "zone-1", Delegated: true},
		},
		Calls: []Call{
			{From: "web-1", ClusterName: "modern_api-mz___mzsvc_8080", To: "api", Node: "api-mz",
				Requests: rq(map[int]float64{2: 4, 5: 0.2}), LatencyMs: 35},
			{From: "web-u1", ClusterName: "kri_mzsvc_modern___api-mz_8080", To: "api", Node: "api-mz",
				Requests: rq(map[int]float64{2: 1}), LatencyMs: 35},
			{From: "web-1", ClusterName: "modern_api__zone-2_msvc_8080", To: "api", ToZone: "zone-2", Node: "api (zone-2)",
				Requests: rq(map[int]float64{2: 2, 4: 0.2}), LatencyMs: 90},
			{From: "zone-ingress-2", ClusterName: "modern_db", To: "db", TCP: true,
				Connections: 0.1 * w, TxBytes: 300 * w, RxBytes: 1200 * w},
			{From: "zone-ingress-u2", ClusterName: "modern_db", To: "db", TCP: true,
				Connections: 0.05 * w, TxBytes: 100 * w, RxBytes: 700 * w},
			{From: "zone-egress-1", ClusterName: "modern_payments-ext", Node: "payments-ext",
				Requests: rq(map[int]float64{2: 0.6, 5: 0.06}), LatencyMs: 240},
			{From: "web-1", ClusterName: "backend_default", Node: "backend (mesh default)",
				Requests: rq(map[int]float64{2: 0.8}), LatencyMs: 60},
		},
	}
}

// Workloads is the world of UnifiedMeshMetric, with a canary: the proxy
// backend-canary-6f8d2 (kuma.io/workload "backend-canary", zone-1) backs the
// MeshService backend of zone-1 next to workload "backend"
// (testdata/kuma-cp-2.14.3-k8s-built). Its nodes are those of the map
// grouped by workload: a caller is its kuma_workload, a destination is the
// workload that alone backs it, and backend (zone-1), backed by two
// workloads, stays a MeshService node, since a caller's metrics do not say
// which workload served a request:
//
//	frontend → backend (zone-1)   kri_msvc_default_zone-1_kuma-demo_backend_http
//	frontend → backend            kri_msvc_default_zone-2_kuma-demo_backend_http
//	                              (backend's zone-2 copy: workload backend alone)
//	backend → redis               kri_msvc_default_zone-1_kuma-demo_redis_tcp,
//	                              TCP, from zone-1 and zone-2
//	backend-canary → redis        the same cluster, TCP
func Workloads(start, end time.Time) Scenario {
	rq, w := perSecond(start, end)
	const backend, frontend, redis = "backend_kuma-demo_svc_3001", "frontend_kuma-demo_svc_8080", "redis_kuma-demo_svc_6379"
	proxy := func(name, service, zone string, port int, workload string) Proxy {
		return Proxy{Name: name, Service: service, Zone: zone, Port: port, Node: workload, Workload: workload,
			UnifiedNaming: true, MeshMetric: true}
	}
	return Scenario{
		Mesh: "default", Start: start, End: end,
		Proxies: []Proxy{
			proxy("frontend-7d9f5.kuma-demo", frontend, "zone-1", 0, "frontend"),
			proxy("frontend-8c2a1.kuma-demo", frontend, "zone-1", 0, "frontend"),
			proxy("backend-5b6c7.kuma-demo", backend, "zone-1", 3001, "backend"),
			proxy("backend-canary-6f8d2.kuma-demo", backend, "zone-1", 3001, "backend-canary"),
			proxy("backend-9e8f7.kuma-demo", backend, "zone-2", 3001, "backend"),
			proxy("redis-0.kuma-demo", redis, "zone-1", 6379, "redis"),
		},
		Calls: []Call{
			{From: "frontend-7d9f5.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_backend_http", To: backend, ToZone: "zone-1",
				Node: "backend (zone-1)", Requests: rq(map[int]float64{2: 7, 5: 0.7}), LatencyMs: 20},
			{From: "frontend-8c2a1.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_backend_http", To: backend, ToZone: "zone-1",
				Node: "backend (zone-1)", Requests: rq(map[int]float64{2: 2, 4: 0.2}), LatencyMs: 25},
			{From: "frontend-8c2a1.kuma-demo", ClusterName: "kri_msvc_default_zone-2_kuma-demo_backend_http", To: backend, ToZone: "zone-2",
				Node: "backend", Requests: rq(map[int]float64{2: 1.2, 5: 0.3}), LatencyMs: 75},
			{From: "backend-5b6c7.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_redis_tcp", To: redis, Node: "redis", TCP: true,
				Connections: 0.5 * w, TxBytes: 1000 * w, RxBytes: 6000 * w},
			{From: "backend-9e8f7.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_redis_tcp", To: redis, Node: "redis", TCP: true,
				Connections: 0.2 * w, TxBytes: 300 * w, RxBytes: 2500 * w},
			{From: "backend-canary-6f8d2.kuma-demo", ClusterName: "kri_msvc_default_zone-1_kuma-demo_redis_tcp", To: redis, Node: "redis", TCP: true,
				Connections: 0.1 * w, TxBytes: 150 * w, RxBytes: 900 * w},
		},
	}
}

// MeshMetricWorkloads is the world of Kubernetes with the sidecars on the
// MeshMetric path of Kuma 2.14 but legacy naming, so their metrics carry
// kuma_workload next to the MADS labels, and with the canary
// backend-canary-6f8d2 (workload "backend-canary") next to workload
// "backend" in zone-1 (testdata/kuma-cp-2.14.3-k8s-built). backend's
// inbound requests split by workload and zone:
//
//	backend (zone-1)         3.15 req/s, half of frontend's 6.3, 0.15 of them 5xx
//	backend-canary (zone-1)  3.15 req/s, the other half, 0.15 of them 5xx
//	backend (zone-2)         2.2 req/s from the unified-naming frontend
func MeshMetricWorkloads(start, end time.Time) Scenario {
	s := Kubernetes(start, end)
	var proxies []Proxy
	for _, p := range s.Proxies {
		if !p.UnifiedNaming {
			p.MeshMetric = true
			p.Workload = strings.SplitN(p.Name, "-", 2)[0]
		}
		proxies = append(proxies, p)
		if p.Name == "backend-5b6c7.kuma-demo" {
			canary := p
			canary.Name, canary.Workload = "backend-canary-6f8d2.kuma-demo", "backend-canary"
			proxies = append(proxies, canary)
		}
	}
	s.Proxies = proxies
	return s
}
