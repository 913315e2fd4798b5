package traffic

import (
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// TypeVersion is the data plane contract version of the frames, the one
// Grafana's server-side expressions read (docs/dataplane.md in the README).
var TypeVersion = data.FrameTypeVersion{0, 1}

// FrameOptions are what the frames need beyond the result.
type FrameOptions struct {
	Mesh string
	// Zone is the zone filter as the query gave it; "" when not filtered.
	Zone  string
	RefID string
}

// units and titles of the metrics.
var (
	units  = map[models.TrafficMetric]string{"requests": "reqps", "errors": "reqps", "success": "percent", "p50": "ms", "p90": "ms", "p99": "ms", "tcp_bytes": "Bps", "tcp_connections": "cps"}
	titles = map[models.TrafficMetric]string{"requests": "requests/s", "errors": "5xx/s", "success": "success %", "p50": "p50", "p90": "p90", "p99": "p99", "tcp_bytes": "TCP bytes/s", "tcp_connections": "TCP connections/s"}
)

// Frames returns one frame per series and metric: time series frames of
// the data plane contract's timeseries-multi type for a range result,
// numeric-multi frames for a numeric one. Without series it returns the
// contract's typed "no data" frame.
func (r *Result) Frames(opts FrameOptions) data.Frames {
	typ := data.FrameTypeTimeSeriesMulti
	if r.Numeric {
		typ = data.FrameTypeNumericMulti
	}
	meta := func() *data.FrameMeta {
		return &data.FrameMeta{Type: typ, TypeVersion: TypeVersion, ExecutedQueryString: strings.Join(r.Queries, "\n")}
	}
	var frames data.Frames
	for _, s := range r.Series {
		labels, name := r.labels(s, opts)
		for mi, mt := range r.Metrics {
			value := data.NewField(string(mt), labels, s.Values[mi]).SetConfig(&data.FieldConfig{
				Unit: units[mt], DisplayNameFromDS: name + " " + titles[mt],
			})
			f := data.NewFrame(string(mt), value)
			if !r.Numeric {
				f = data.NewFrame(string(mt), data.NewField("time", nil, r.Times), value)
			}
			f.RefID = opts.RefID
			frames = append(frames, f.SetMeta(meta()))
		}
	}
	if len(frames) == 0 {
		f := data.NewFrame("").SetMeta(meta())
		f.RefID = opts.RefID
		frames = data.Frames{f}
	}
	frames[0].Meta.Notices = r.notices(opts.Mesh)
	return frames
}

// labels are the series' labels and the name it is shown with.
func (r *Result) labels(s Series, opts FrameOptions) (data.Labels, string) {
	l := data.Labels{"mesh": opts.Mesh}
	if opts.Zone != "" {
		l["zone"] = opts.Zone
	}
	name := s.Name
	switch r.GroupBy {
	case models.GroupByEdge:
		l["source"], l["destination"] = s.Source, s.Destination
		name = s.Source + " → " + s.Destination
	default: // a service, or the service of a builtin gateway
		l["service"] = s.Name
	}
	return l, name
}

// notices are the service map's notices for what the queries answered.
func (r *Result) notices(mesh string) []data.Notice {
	return meshgraph.Notices(mesh, r.Unmapped, r.InvalidSamples, r.Warnings)
}
