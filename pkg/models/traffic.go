package models

// TrafficGroupBy says what one series of a traffic query is.
type TrafficGroupBy string

const (
	// GroupByService: what each service received from the mesh.
	GroupByService TrafficGroupBy = "service"
	// GroupByEdge: what each source sent to each destination.
	GroupByEdge TrafficGroupBy = "edge"
	// GroupByGateway: what entered each builtin gateway through its listeners.
	GroupByGateway TrafficGroupBy = "gateway"
)

// TrafficMetric is one number a traffic query computes per series.
type TrafficMetric string

const (
	MetricRequests       TrafficMetric = "requests"        // requests/s
	MetricErrors         TrafficMetric = "errors"          // 5xx responses/s
	MetricSuccess        TrafficMetric = "success"         // 100·(total−5xx)/total, 100 without requests
	MetricP50            TrafficMetric = "p50"             // latency in ms
	MetricP90            TrafficMetric = "p90"             // latency in ms
	MetricP99            TrafficMetric = "p99"             // latency in ms
	MetricTCPBytes       TrafficMetric = "tcp_bytes"       // bytes/s sent plus received
	MetricTCPConnections TrafficMetric = "tcp_connections" // connections opened/s
)

// TrafficMetrics lists every metric in the order editors show them.
var TrafficMetrics = []TrafficMetric{
	MetricRequests, MetricErrors, MetricSuccess, MetricP50, MetricP90, MetricP99, MetricTCPBytes, MetricTCPConnections,
}

// DefaultTrafficMetrics are computed when a query names none.
var DefaultTrafficMetrics = []TrafficMetric{MetricRequests, MetricSuccess, MetricP99}

// IsTCP reports whether the metric comes from the TCP counters.
func (m TrafficMetric) IsTCP() bool { return m == MetricTCPBytes || m == MetricTCPConnections }

// IsLatency reports whether the metric is a latency quantile.
func (m TrafficMetric) IsLatency() bool { return m == MetricP50 || m == MetricP90 || m == MetricP99 }

// Formats of a traffic query's result.
const (
	// FormatTimeSeries returns one time series per series and metric.
	FormatTimeSeries = "timeseries"
	// FormatInstant returns one number per series and metric over the range.
	FormatInstant = "instant"
)

// Errors of traffic queries.
var (
	ErrInvalidTrafficQuery = userError("the traffic query is not valid")
	ErrInvalidServiceRegEx = userError("the service filter is not a valid regular expression")
)

// ErrInvalidValueColumn is a list query's valueColumn that names no numeric
// or boolean column of the table.
var ErrInvalidValueColumn = userError("unknown value column")
