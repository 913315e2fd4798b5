package envoysim

import (
	"math"
	"slices"
	"sort"
)

// EdgeTruth is what a scenario generated for one source → destination
// service pair, summed over the calling proxies. Tests compare the service
// map's numbers with it.
type EdgeTruth struct {
	Mesh        string
	Source      string // the callers' kuma_io_service, or their Proxy.Node
	Destination string // Call.To, or the cluster name when no proxy serves it
	// ClusterNames are the envoy_cluster_name values of the calls, sorted.
	ClusterNames []string
	TCP          bool
	// RequestsByClass is the number of requests per response code class
	// over the window; Requests is their sum and Rps the rate.
	RequestsByClass map[int]float64
	Requests        float64
	Rps             float64
	// SuccessPct is 100 × (requests that were not 5xx) / requests, or 0
	// without requests.
	SuccessPct float64
	// P50 and P99 are what histogram_quantile gives over the merged
	// envoy_cluster_upstream_rq_time buckets, in ms (NaN without requests).
	P50, P99 float64
	// Connections, TxBytes and RxBytes are caller-side totals over the
	// window; the *PerSec fields are the rates.
	Connections                  float64
	TxBytes, RxBytes             float64
	TxBytesPerSec, RxBytesPerSec float64
	// LatencyBuckets are the cumulative request counts over EnvoyBucketsMs.
	LatencyBuckets []float64
}

// Expected returns the truth of every edge in the scenario's Mesh, keyed by
// {source, destination}.
func (s Scenario) Expected() map[[2]string]EdgeTruth { return s.ExpectedFor(s.Mesh) }

// ExpectedFor returns the truth of the edges in mesh whose callers are in one
// of zones (all zones when none are given), keyed by {source, destination}.
func (s Scenario) ExpectedFor(mesh string, zones ...string) map[[2]string]EdgeTruth {
	w := s.window()
	out := map[[2]string]EdgeTruth{}
	for _, c := range s.Calls {
		p := s.proxy(c.From)
		if s.meshOf(p) != mesh || (len(zones) > 0 && !contains(zones, p.Zone)) {
			continue
		}
		key := [2]string{p.Source(), c.Destination()}
		e, ok := out[key]
		if !ok {
			e = EdgeTruth{Mesh: mesh, Source: key[0], Destination: key[1], TCP: true,
				RequestsByClass: map[int]float64{}, LatencyBuckets: make([]float64, len(EnvoyBucketsMs))}
		}
		if !contains(e.ClusterNames, c.ClusterName) {
			e.ClusterNames = append(e.ClusterNames, c.ClusterName)
			sort.Strings(e.ClusterNames)
		}
		cx, tx, rx := c.traffic()
		e.Connections += cx
		e.TxBytes += tx
		e.RxBytes += rx
		if !c.TCP {
			e.TCP = false
			for class, n := range c.Requests {
				e.RequestsByClass[class] += n
			}
			cum, _ := latencyHistogram(c.totalRequests(), c.LatencyMs)
			for i := range cum {
				e.LatencyBuckets[i] += cum[i]
			}
		}
		out[key] = e
	}
	for key, e := range out {
		e.Requests = 0
		for _, n := range e.RequestsByClass {
			e.Requests += n
		}
		e.Rps = e.Requests / w
		if e.Requests > 0 {
			e.SuccessPct = 100 * (e.Requests - e.RequestsByClass[5]) / e.Requests
		}
		e.P50 = BucketQuantile(0.5, EnvoyBucketsMs, e.LatencyBuckets)
		e.P99 = BucketQuantile(0.99, EnvoyBucketsMs, e.LatencyBuckets)
		e.TxBytesPerSec = e.TxBytes / w
		e.RxBytesPerSec = e.RxBytes / w
		out[key] = e
	}
	return out
}

// BucketQuantile computes the q-quantile of cumulative bucket counts the way
// PromQL's histogram_quantile does for classic histograms: linear
// interpolation inside the bucket holding the rank, the lower bound of the
// first bucket taken as 0, and the highest finite bound when the rank falls
// in +Inf. bounds must end with +Inf.
func BucketQuantile(q float64, bounds, cumulative []float64) float64 {
	n := len(cumulative)
	if n < 2 || cumulative[n-1] == 0 || math.IsNaN(q) {
		return math.NaN()
	}
	rank := q * cumulative[n-1]
	b := sort.Search(n-1, func(i int) bool { return cumulative[i] >= rank })
	if b == n-1 {
		return bounds[n-2]
	}
	if b == 0 && bounds[0] <= 0 {
		return bounds[0]
	}
	start, end, count := 0.0, bounds[b], cumulative[b]
	if b > 0 {
		start = bounds[b-1]
		count -= cumulative[b-1]
		rank -= cumulative[b-1]
	}
	return start + (end-start)*(rank/count)
}

// BucketOf returns the bounds (lower, upper] of the Envoy bucket that holds
// v ms, so tests can check a measured quantile lands in the right bucket.
func BucketOf(v float64) (lower, upper float64) {
	for i, le := range EnvoyBucketsMs {
		if v <= le {
			if i > 0 {
				lower = EnvoyBucketsMs[i-1]
			}
			return lower, le
		}
	}
	return EnvoyBucketsMs[len(EnvoyBucketsMs)-2], math.Inf(1)
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

// InboundRps is the rate of HTTP requests the proxies that served match
// received over the window, as their inbound listeners count them: each
// call's requests split evenly over its callees, as emitServer writes them.
// Dashboards that select proxies (not edges) are checked against it.
func (s Scenario) InboundRps(served func(Proxy) bool) float64 {
	var n float64
	for _, c := range s.Calls {
		callees := s.callees(c)
		if c.TCP || len(callees) == 0 {
			continue
		}
		for _, p := range callees {
			if served(p) {
				n += c.totalRequests() / float64(len(callees))
			}
		}
	}
	return n / s.window()
}
