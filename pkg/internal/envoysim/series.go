package envoysim

// CounterSeries is one labelled set of counters a scenario generates, with
// the labels Prometheus stores it under and its totals over the window, so
// that unit tests can answer queries the way Prometheus would without
// running one (counters grow linearly, so every rate is total/window).
type CounterSeries struct {
	Labels map[string]string
	// RequestsByClass counts requests per response code class (1–5).
	RequestsByClass map[int]float64
	// LatencyBuckets are cumulative request counts over EnvoyBucketsMs.
	LatencyBuckets []float64
	// Connections, TxBytes and RxBytes are the caller's TCP counters.
	Connections, TxBytes, RxBytes float64
}

// ClientSeries returns the caller-side envoy_cluster_upstream_* series of
// every call, labelled as emitClient labels them.
func (s Scenario) ClientSeries() []CounterSeries {
	out := make([]CounterSeries, 0, len(s.Calls))
	for _, c := range s.Calls {
		p := s.proxy(c.From)
		cx, tx, rx := c.traffic()
		cs := CounterSeries{Labels: s.clusterLabels(p, c.ClusterName), Connections: cx, TxBytes: tx, RxBytes: rx}
		if !c.TCP {
			cs.RequestsByClass = c.Requests
			cs.LatencyBuckets, _ = latencyHistogram(c.totalRequests(), c.LatencyMs)
		}
		out = append(out, cs)
	}
	return out
}

// GatewaySeries returns the envoy_http_downstream_rq_* series of the
// listeners of builtin gateway proxies, for the requests entering them.
func (s Scenario) GatewaySeries() []CounterSeries {
	var out []CounterSeries
	for _, c := range s.Calls {
		p := s.proxy(c.From)
		if p.Gateway == "" || c.TCP {
			continue
		}
		cum, _ := latencyHistogram(c.totalRequests(), c.LatencyMs)
		out = append(out, CounterSeries{Labels: s.hcmLabels(p, p.PrimaryService()), RequestsByClass: c.Requests, LatencyBuckets: cum})
	}
	return out
}
