package envoysim

import "time"

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
