package plugin

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// The lists are read here once for both of their readers: the list queries
// (handler_lists.go) and the editors' resource calls (resources.go).

func (d *Datasource) listMeshes(ctx context.Context) ([]kuma.Mesh, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	return cp.Meshes(ctx)
}

func (d *Datasource) listZones(ctx context.Context) ([]kuma.Zone, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	return cp.Zones(ctx)
}

// listServices returns the services of a mesh: service insights, plus the
// MeshService family when the mesh is Exclusive (its insights then list only
// delegated gateways).
func (d *Datasource) listServices(ctx context.Context, mesh string, zone *regexp.Regexp) ([]kuma.Service, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	m, err := cp.Mesh(ctx, mesh)
	if err != nil {
		return nil, err
	}
	services, err := cp.ServiceInsights(ctx, mesh)
	if err != nil {
		return nil, err
	}
	if m.Exclusive() {
		more, err := cp.MeshServices(ctx, mesh)
		if err != nil {
			return nil, err
		}
		services = append(services, more...)
	}
	if zone == nil {
		return services, nil
	}
	kept := services[:0]
	for _, s := range services {
		if len(s.Zones) == 0 || anyMatch(zone, s.Zones...) {
			kept = append(kept, s)
		}
	}
	return kept, nil
}

func (d *Datasource) listDataplanes(ctx context.Context, mesh, service string, zone *regexp.Regexp) ([]kuma.Dataplane, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	serviceFilter, err := compileNameFilter(service, nil)
	if err != nil {
		return nil, err
	}
	dps, err := cp.Dataplanes(ctx, mesh)
	if err != nil {
		return nil, err
	}
	var tags *regexp.Regexp
	if serviceFilter != nil {
		if tags, err = d.proxyTagFilter(ctx, mesh, serviceFilter); err != nil {
			return nil, err
		}
	}
	kept := dps[:0]
	for _, dp := range dps {
		if (serviceFilter == nil || anyMatch(serviceFilter, dp.Services...) || (tags != nil && anyMatch(tags, dp.Services...))) && (zone == nil || zone.MatchString(dp.Zone)) {
			kept = append(kept, dp)
		}
	}
	return kept, nil
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

// gateway is one row of the gateways list: a builtin MeshGateway or a
// delegated gateway service.
type gateway struct {
	Name, Kind, Services, Listeners, Status string
	Online, Total                           int64
	// Zones are where the gateway has proxies (its services' zones) or was
	// created; not a column, the zone filter reads it.
	Zones []string
}

// listGateways returns the gateways of a mesh with a proxy in, or created
// in, a zone that zone matches (nil: every gateway). A gateway whose zones
// the control plane does not report is always kept.
func (d *Datasource) listGateways(ctx context.Context, mesh string, zone *regexp.Regexp) ([]gateway, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	gws, err := cp.MeshGateways(ctx, mesh)
	if err != nil {
		return nil, err
	}
	services, err := cp.ServiceInsights(ctx, mesh)
	if err != nil {
		return nil, err
	}
	rows := gatewayRows(gws, services)
	if zone == nil {
		return rows, nil
	}
	kept := rows[:0]
	for _, r := range rows {
		if len(r.Zones) == 0 || anyMatch(zone, r.Zones...) {
			kept = append(kept, r)
		}
	}
	return kept, nil
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
		if gw.Zone != "" {
			row.Zones = []string{gw.Zone}
		}
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
				row.Zones = unionZones(row.Zones, s.Zones)
			}
		}
		rows = append(rows, row)
	}
	for _, s := range services {
		if s.Kind == kuma.ServiceGatewayDelegated {
			rows = append(rows, gateway{Name: s.Name, Kind: "delegated", Services: s.Name, Status: s.Status, Online: int64(s.Online), Total: int64(s.Total),
				Zones: unionZones(nil, s.Zones)})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows
}

// unionZones adds the zones of b missing from a, keeping them sorted.
func unionZones(a, b []string) []string {
	for _, z := range b {
		if !slices.Contains(a, z) {
			a = append(a, z)
		}
	}
	sort.Strings(a)
	return a
}
