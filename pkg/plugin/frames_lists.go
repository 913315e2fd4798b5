package plugin

import (
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// The list frames are tables whose first field is the name, so each one also
// works as a template-variable query. Each column is one line: its name and
// what it holds of a row.

func meshesFrame(meshes []kuma.Mesh) *data.Frame {
	return listFrame("meshes",
		column("name", meshes, func(m kuma.Mesh) string { return m.Name }),
		column("mtls_backend", meshes, func(m kuma.Mesh) string { return m.MTLSBackend }),
		column("metrics_backend", meshes, func(m kuma.Mesh) string { return m.MetricsBackend }),
		column("meshservices_mode", meshes, func(m kuma.Mesh) string {
			if m.MeshServicesMode == "" {
				return string(kuma.MeshServicesDisabled)
			}
			return string(m.MeshServicesMode)
		}),
	)
}

func zonesFrame(zones []kuma.Zone) *data.Frame {
	return listFrame("zones",
		column("name", zones, func(z kuma.Zone) string { return z.Name }),
		column(models.ColumnEnabled, zones, func(z kuma.Zone) bool { return z.Enabled }),
		column(models.ColumnOnline, zones, func(z kuma.Zone) *bool { return z.Online }),
		column("version", zones, func(z kuma.Zone) string { return z.Version }),
		column("environment", zones, func(z kuma.Zone) string { return z.Environment }),
	)
}

func servicesFrame(services []kuma.Service) *data.Frame {
	return listFrame("services",
		column("name", services, func(s kuma.Service) string { return s.Name }),
		column("kind", services, func(s kuma.Service) string { return string(s.Kind) }),
		column("status", services, func(s kuma.Service) string { return s.Status }),
		column(models.ColumnDataplanesOnline, services, func(s kuma.Service) int64 { return int64(s.Online) }),
		column(models.ColumnDataplanesOffline, services, func(s kuma.Service) int64 { return int64(s.Offline) }),
		column(models.ColumnDataplanesTotal, services, func(s kuma.Service) int64 { return int64(s.Total) }),
		column("zones", services, func(s kuma.Service) string { return strings.Join(s.Zones, ",") }),
		column("address", services, func(s kuma.Service) string { return s.AddressPort }),
		column("kri", services, func(s kuma.Service) string { return s.KRI }),
	)
}

func dataplanesFrame(dps []kuma.Dataplane) *data.Frame {
	return listFrame("dataplanes",
		column("name", dps, shownName),
		column("services", dps, func(dp kuma.Dataplane) string { return strings.Join(dp.Services, ",") }),
		column("zone", dps, func(dp kuma.Dataplane) string { return dp.Zone }),
		column("gateway", dps, func(dp kuma.Dataplane) string { return dp.Gateway }),
		column(models.ColumnOnline, dps, func(dp kuma.Dataplane) bool { return dp.Online }),
		column("status", dps, func(dp kuma.Dataplane) string { return dp.Status }),
		column("kuma_dp_version", dps, func(dp kuma.Dataplane) string { return dp.KumaDPVersion }),
		column("envoy_version", dps, func(dp kuma.Dataplane) string { return dp.EnvoyVersion }),
		column("address", dps, func(dp kuma.Dataplane) string { return dp.Address }),
	)
}

func gatewaysFrame(rows []gateway) *data.Frame {
	return listFrame("gateways",
		column("name", rows, func(g gateway) string { return g.Name }),
		column("kind", rows, func(g gateway) string { return g.Kind }),
		column("services", rows, func(g gateway) string { return g.Services }),
		column("listeners", rows, func(g gateway) string { return g.Listeners }),
		column("status", rows, func(g gateway) string { return g.Status }),
		column(models.ColumnDataplanesOnline, rows, func(g gateway) int64 { return g.Online }),
		column(models.ColumnDataplanesTotal, rows, func(g gateway) int64 { return g.Total }),
	)
}

// column is the field name holding value(row) for every row, typed by what
// value returns.
func column[R, V any](name string, rows []R, value func(R) V) *data.Field {
	values := make([]V, len(rows))
	for i, r := range rows {
		values[i] = value(r)
	}
	return data.NewField(name, nil, values)
}

// listFrame is a table typed numeric-long (data plane contract), so that
// server-side expressions read each numeric cell as a number labelled by
// the row's string cells, while panels still show a table.
func listFrame(name string, fields ...*data.Field) *data.Frame {
	return data.NewFrame(name, fields...).SetMeta(&data.FrameMeta{
		PreferredVisualization: data.VisTypeTable,
		Type:                   data.FrameTypeNumericLong,
		TypeVersion:            data.FrameTypeVersion{0, 1},
	})
}
