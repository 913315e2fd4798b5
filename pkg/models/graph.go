package models

import "fmt"

// GroupByWorkload draws the service map with one node per workload (the
// kuma_workload label of Kuma 2.14's MeshMetric path) instead of one per
// service. A mesh-graph query takes GroupByService (the default) or it.
const GroupByWorkload TrafficGroupBy = "workload"

// ErrInvalidGraphGroupBy is a mesh-graph groupBy other than service or workload.
var ErrInvalidGraphGroupBy = userError("the service map's groupBy is not valid")

// GraphGroupBy returns what the service map draws one node per: service
// when groupBy is empty, else groupBy if it is service or workload.
func (q Query) GraphGroupBy() (TrafficGroupBy, error) {
	switch q.GroupBy {
	case "", GroupByService:
		return GroupByService, nil
	case GroupByWorkload:
		return GroupByWorkload, nil
	}
	return "", fmt.Errorf("%w: %q: use %q or %q", ErrInvalidGraphGroupBy, q.GroupBy, GroupByService, GroupByWorkload)
}
