package envoysim

import "time"

// Demo is the scenario of the recorded control-plane fixtures
// (testdata/kuma-cp-2.14.3): in mesh "default", zone "default", sidecars
// frontend-1/2, backend-1/2, redis-1/2 (TCP), the builtin gateway proxy
// edge-gateway-1 (MeshGateway edge-gateway) and the delegated gateway kong-1
// (service kong-gateway), plus frontend-3 in zone "zone-2" to test zone
// filters, and mesh "payments" where checkout-1 calls the two-service proxy
// ledger-1. Calls:
//
//	edge-gateway → frontend          HTTP, some 4xx
//	kong-gateway → frontend          HTTP, some 5xx
//	frontend → backend               HTTP from frontend-1, frontend-2 (split
//	                                 cluster name, as on the MeshMetric path)
//	                                 and frontend-3 (zone-2), 4xx and 5xx
//	backend → redis                  TCP only
//	frontend → httpbin               HTTP to an ExternalService (no proxy)
//	backend → mystery-svc            HTTP to a cluster no service explains
//	checkout → ledger_payments_svc_9000   HTTP in mesh payments
//
// Totals are rates times the window, so any window works.
func Demo(start, end time.Time) Scenario {
	w := end.Sub(start).Seconds()
	rq := func(byClass map[int]float64) map[int]float64 {
		out := map[int]float64{}
		for class, rps := range byClass {
			out[class] = rps * w
		}
		return out
	}
	return Scenario{
		Mesh:  "default",
		Start: start,
		End:   end,
		Proxies: []Proxy{
			{Name: "frontend-1", Service: "frontend", Zone: "default", Port: 8080},
			{Name: "frontend-2", Service: "frontend", Zone: "default", Port: 8080},
			{Name: "frontend-3", Service: "frontend", Zone: "zone-2", Port: 8080},
			{Name: "backend-1", Service: "backend", Zone: "default", Port: 3001},
			{Name: "backend-2", Service: "backend", Zone: "default", Port: 3001},
			{Name: "redis-1", Service: "redis", Zone: "default", Port: 6379},
			{Name: "redis-2", Service: "redis", Zone: "default", Port: 6379},
			{Name: "edge-gateway-1", Service: "edge-gateway", Zone: "default", Gateway: "edge-gateway"},
			{Name: "kong-1", Service: "kong-gateway", Zone: "default", Delegated: true},
			{Name: "checkout-1", Service: "checkout", Zone: "default", Mesh: "payments", Port: 8080},
			{Name: "ledger-1", Services: []string{"ledger_payments_svc_9000", "ledger-admin"}, Zone: "default", Mesh: "payments", Port: 9000},
		},
		Calls: []Call{
			{From: "edge-gateway-1", ClusterName: "frontend", To: "frontend", Requests: rq(map[int]float64{2: 10, 4: 0.2}), LatencyMs: 20},
			{From: "kong-1", ClusterName: "frontend", To: "frontend", Requests: rq(map[int]float64{2: 4, 5: 0.1}), LatencyMs: 20},
			{From: "frontend-1", ClusterName: "backend", To: "backend", Requests: rq(map[int]float64{2: 6, 4: 0.3, 5: 0.6}), LatencyMs: 50},
			{From: "frontend-2", ClusterName: "backend-0123456789abcdef", To: "backend", Requests: rq(map[int]float64{2: 5, 5: 0.5}), LatencyMs: 50},
			{From: "frontend-3", ClusterName: "backend", To: "backend", Requests: rq(map[int]float64{2: 2}), LatencyMs: 120},
			{From: "backend-1", ClusterName: "redis", To: "redis", TCP: true, Connections: 0.5 * w, TxBytes: 2000 * w, RxBytes: 8000 * w},
			{From: "backend-2", ClusterName: "redis", To: "redis", TCP: true, Connections: 0.5 * w, TxBytes: 1000 * w, RxBytes: 4000 * w},
			{From: "frontend-1", ClusterName: "httpbin", To: "httpbin", Requests: rq(map[int]float64{2: 1}), LatencyMs: 200},
			{From: "backend-2", ClusterName: "mystery-svc", Requests: rq(map[int]float64{2: 0.5}), LatencyMs: 5},
			{From: "checkout-1", ClusterName: "ledger_payments_svc_9000", To: "ledger_payments_svc_9000", Requests: rq(map[int]float64{2: 3, 5: 0.03}), LatencyMs: 8},
		},
		ControlPlane: &ControlPlane{},
	}
}
