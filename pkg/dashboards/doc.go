// Package dashboards defines the Grafana dashboards shipped with the Kuma
// datasource as Go code (grafana-foundation-sdk) and renders them to the
// JSON files under dashboards/ at the repository root.
//
// Every dashboard selects its datasources through the template variables
// ${prometheus} and ${kuma}, so the JSON imports into any Grafana without
// editing. The variants for public dashboards (public.go, written to
// dashboards/public/) name both datasources by uid and use no variables,
// which public dashboards do not resolve. Prometheus label names are the defaults of the Kuma docs
// (mesh, kuma_io_service, kuma_io_zone, dataplane, kuma_io_mesh_gateway).
package dashboards

//go:generate go run ./cmd/generate
