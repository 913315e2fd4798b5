package envoysim

import (
	"fmt"
	"time"
)

// emitClientLean writes the caller-side series of a call that the service
// map reads, as emitClient labels them: no _sum or _count, no gauges, no
// callee side (the map reads only callers and gateway listeners).
func (s Scenario) emitClientLean(r *registry, c Call) {
	p := s.proxy(c.From)
	l := s.clusterLabels(p, c.ClusterName)
	cx, tx, rx := c.traffic()
	r.counter("envoy_cluster_upstream_cx_total", l, cx)
	r.counter("envoy_cluster_upstream_cx_tx_bytes_total", l, tx)
	r.counter("envoy_cluster_upstream_cx_rx_bytes_total", l, rx)
	if c.TCP {
		return
	}
	n := c.totalRequests()
	r.counter("envoy_cluster_upstream_rq_total", l, n)
	s.emitClasses(r, "envoy_cluster_upstream_rq_xx", l, c, 1)
	cum, _ := latencyHistogram(n, c.LatencyMs)
	f := r.family("envoy_cluster_upstream_rq_time", "histogram")
	for i, le := range EnvoyBucketsMs {
		r.add(f, "envoy_cluster_upstream_rq_time_bucket", l.with("le", formatLe(le)), cum[i], cum[i], le)
	}
	if p.Gateway != "" {
		s.emitClasses(r, "envoy_http_downstream_rq_xx", s.hcmLabels(p, p.PrimaryService()), c, 1)
	}
}

// emitClasses writes one counter per response code class of call c (class
// 2 always), scaled by scale.
func (s Scenario) emitClasses(r *registry, name string, l labels, c Call, scale float64) {
	for class := 1; class <= 5; class++ {
		if v, ok := c.Requests[class]; ok || class == 2 {
			r.counter(name, l.with("envoy_response_code_class", fmt.Sprint(class)), v*scale)
		}
	}
}

// Synthetic is a lean mesh of services services in mesh "default", one
// sidecar each (svc-0000-1 serving svc-0000, …), alternately in zones
// zone-1 and zone-2. Service i calls the perService services after it
// (wrapping around); one call in ten is TCP-only, the others answer 2xx and
// a little 5xx with a median latency between 5 and 95 ms. It is the shape of
// the performance benchmarks: 1,000 services give 10,000 edges with ten.
func Synthetic(services, perService int, start, end time.Time) Scenario {
	w := end.Sub(start).Seconds()
	s := Scenario{Mesh: "default", Start: start, End: end, Lean: true}
	name := func(i int) string { return fmt.Sprintf("svc-%04d", i%services) }
	for i := range services {
		s.Proxies = append(s.Proxies, Proxy{Name: name(i) + "-1", Service: name(i), Zone: fmt.Sprintf("zone-%d", i%2+1)})
	}
	for i := range services {
		for k := 1; k <= perService; k++ {
			c := Call{From: name(i) + "-1", ClusterName: name(i + k), To: name(i + k)}
			if (i+k)%10 == 0 {
				c.TCP, c.Connections, c.TxBytes, c.RxBytes = true, 0.1*w, 1000*w, 4000*w
			} else {
				rps := float64(1 + (i+k)%7)
				c.Requests = map[int]float64{2: rps * w, 5: rps * w * float64((i+k)%5) / 100}
				c.LatencyMs = float64(5 + (i*7+k)%10*10)
			}
			s.Calls = append(s.Calls, c)
		}
	}
	return s
}
