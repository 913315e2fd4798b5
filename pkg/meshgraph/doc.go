// Package meshgraph builds the service map of one mesh for a time window by
// joining the control plane's services with Envoy metrics in Prometheus, and
// turns it into the nodes and edges frames of Grafana's node graph panel.
//
// Every Build runs the same fixed number of PromQL queries, whatever the
// mesh size; zone filtering, cluster-name mapping, rollup and histogram
// quantiles happen in Go so that the query count stays fixed.
//
// Start reading at build.go, which calls the other files in this order:
//
//   - catalog.go reads the mesh's services from the control plane, while
//     promql.go builds the PromQL texts and queries.go runs them;
//   - join.go sums the series into edges, naming them with the lookups of
//     clusters.go (Envoy cluster names), meshservices.go, workloads.go and
//     zoneproxies.go;
//   - graph.go turns the sums into sorted nodes and edges;
//   - frames.go turns the Graph into data frames, links and notices.
//
// types.go holds the types every file uses (Options, Graph, Node, Edge) and
// the interfaces of the control plane and Prometheus; samples.go the checks
// every sample passes before the join, quantile.go the histogram quantiles
// and limits.go the errors of Prometheus' query limits. naming.go exports
// the naming for pkg/traffic; cluster_pattern.go and proxy_services.go
// serve dashboards' template variables.
package meshgraph
