package plugin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// The list frames are tables whose first field is the name, so each one also
// works as a template-variable query.

func meshesFrame(meshes []kuma.Mesh) *data.Frame {
	names, mtls, metrics, msMode := make([]string, len(meshes)), make([]string, len(meshes)), make([]string, len(meshes)), make([]string, len(meshes))
	for i, m := range meshes {
		names[i], mtls[i], metrics[i] = m.Name, m.MTLSBackend, m.MetricsBackend
		msMode[i] = string(m.MeshServicesMode)
		if msMode[i] == "" {
			msMode[i] = string(kuma.MeshServicesDisabled)
		}
	}
	return listFrame("meshes",
		data.NewField("name", nil, names),
		data.NewField("mtls_backend", nil, mtls),
		data.NewField("metrics_backend", nil, metrics),
		data.NewField("meshservices_mode", nil, msMode),
	)
}

func zonesFrame(zones []kuma.Zone) *data.Frame {
	n := len(zones)
	names, versions, envs := make([]string, n), make([]string, n), make([]string, n)
	enabled, online := make([]bool, n), make([]*bool, n)
	for i, z := range zones {
		names[i], enabled[i], online[i], versions[i], envs[i] = z.Name, z.Enabled, z.Online, z.Version, z.Environment
	}
	return listFrame("zones",
		data.NewField("name", nil, names),
		data.NewField("enabled", nil, enabled),
		data.NewField("online", nil, online),
		data.NewField("version", nil, versions),
		data.NewField("environment", nil, envs),
	)
}

func servicesFrame(services []kuma.Service) *data.Frame {
	n := len(services)
	names, kinds, statuses, zones, addresses := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	kris := make([]string, n)
	online, offline, total := make([]int64, n), make([]int64, n), make([]int64, n)
	for i, s := range services {
		names[i], kinds[i], statuses[i], addresses[i] = s.Name, string(s.Kind), s.Status, s.AddressPort
		zones[i], kris[i] = strings.Join(s.Zones, ","), s.KRI
		online[i], offline[i], total[i] = int64(s.Online), int64(s.Offline), int64(s.Total)
	}
	return listFrame("services",
		data.NewField("name", nil, names),
		data.NewField("kind", nil, kinds),
		data.NewField("status", nil, statuses),
		data.NewField("dataplanes_online", nil, online),
		data.NewField("dataplanes_offline", nil, offline),
		data.NewField("dataplanes_total", nil, total),
		data.NewField("zones", nil, zones),
		data.NewField("address", nil, addresses),
		data.NewField("kri", nil, kris),
	)
}

func dataplanesFrame(dps []kuma.Dataplane) *data.Frame {
	n := len(dps)
	names, services, zones, gateways, statuses, dpVersions, envoyVersions, addresses :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	online := make([]bool, n)
	for i, dp := range dps {
		names[i] = shownName(dp)
		services[i], zones[i], gateways[i] = strings.Join(dp.Services, ","), dp.Zone, dp.Gateway
		online[i], statuses[i], dpVersions[i], envoyVersions[i], addresses[i] = dp.Online, dp.Status, dp.KumaDPVersion, dp.EnvoyVersion, dp.Address
	}
	return listFrame("dataplanes",
		data.NewField("name", nil, names),
		data.NewField("services", nil, services),
		data.NewField("zone", nil, zones),
		data.NewField("gateway", nil, gateways),
		data.NewField("online", nil, online),
		data.NewField("status", nil, statuses),
		data.NewField("kuma_dp_version", nil, dpVersions),
		data.NewField("envoy_version", nil, envoyVersions),
		data.NewField("address", nil, addresses),
	)
}

// gateway is one row of the gateways list: a builtin MeshGateway or a
// delegated gateway service.
type gateway struct {
	Name, Kind, Services, Listeners, Status string
	Online, Total                           int64
}

// gatewayRows joins MeshGateways with the service insights of their services
// (for dataplane counts) and adds the delegated gateway services.
func gatewayRows(gws []kuma.MeshGateway, services []kuma.Service) []gateway {
	byName := make(map[string]kuma.Service, len(services))
	for _, s := range services {
		byName[s.Name] = s
	}
	rows := make([]gateway, 0, len(gws))
	for _, gw := range gws {
		row := gateway{Name: gw.Name, Kind: "builtin", Services: strings.Join(gw.Services, ",")}
		listeners := make([]string, 0, len(gw.Listeners))
		for _, l := range gw.Listeners {
			listeners = append(listeners, fmt.Sprintf("%s:%d", l.Protocol, l.Port))
		}
		row.Listeners = strings.Join(listeners, ",")
		for _, svc := range gw.Services {
			if s, ok := byName[svc]; ok {
				row.Online += int64(s.Online)
				row.Total += int64(s.Total)
				row.Status = s.Status
			}
		}
		rows = append(rows, row)
	}
	for _, s := range services {
		if s.Kind == kuma.ServiceGatewayDelegated {
			rows = append(rows, gateway{Name: s.Name, Kind: "delegated", Services: s.Name, Status: s.Status, Online: int64(s.Online), Total: int64(s.Total)})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows
}

func gatewaysFrame(rows []gateway) *data.Frame {
	n := len(rows)
	names, kinds, services, listeners, statuses := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	online, total := make([]int64, n), make([]int64, n)
	for i, r := range rows {
		names[i], kinds[i], services[i], listeners[i], statuses[i], online[i], total[i] = r.Name, r.Kind, r.Services, r.Listeners, r.Status, r.Online, r.Total
	}
	return listFrame("gateways",
		data.NewField("name", nil, names),
		data.NewField("kind", nil, kinds),
		data.NewField("services", nil, services),
		data.NewField("listeners", nil, listeners),
		data.NewField("status", nil, statuses),
		data.NewField("dataplanes_online", nil, online),
		data.NewField("dataplanes_total", nil, total),
	)
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

// shownName is the name a dataplane is listed under, in tables and in the
// editors' pickers alike: its display name when a synced copy has a hashed
// one.
func shownName(dp kuma.Dataplane) string {
	if dp.DisplayName != "" {
		return dp.DisplayName
	}
	return dp.Name
}
