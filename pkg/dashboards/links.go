package dashboards

import (
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Dashboard uids, fixed because links and provisioning refer to them. None
// is a uid of Kuma's official dashboards (kumactl install observability,
// kumahq/kuma dashboards/grafana), so both sets can be imported together;
// the Mesh dashboard left "kuma-mesh" to Kuma 2.14's Mesh Drilldown, the
// others kept their uids so saved links still open them.
const (
	UIDMesh             = "kuma-mesh-map"
	UIDDataplane        = "kuma-dataplane"
	UIDServiceToService = "kuma-service-to-service"
	UIDCP               = "kuma-cp"
	UIDService          = "kuma-service"
	UIDGateway          = "kuma-gateway"
	UIDZoneIngress      = "kuma-zone-ingress-proxies"
	UIDZoneEgress       = "kuma-zone-egress-proxies"
)

// dashURL links to another Kuma dashboard carrying the datasources, mesh,
// zone and time range, plus the given var-<name>=<value> parameters; a
// var-zone parameter replaces the current zone selection.
func dashURL(uid string, params ...string) string {
	zone := "${zone:queryparam}"
	for _, p := range params {
		if strings.HasPrefix(p, "var-zone=") {
			zone = p
		}
	}
	parts := []string{"var-prometheus=${prometheus}", "var-kuma=${kuma}", "var-mesh=${mesh}", zone}
	for _, p := range params {
		if p != zone {
			parts = append(parts, p)
		}
	}
	parts = append(parts, "${__url_time_range}")
	return "/d/" + uid + "/?" + strings.Join(parts, "&")
}

func param(name, value string) string { return "var-" + name + "=" + value }

func dataLink(title, url string) cog.Builder[dashboard.DashboardLink] {
	return dashboard.NewDashboardLinkBuilder(title).Type(dashboard.DashboardLinkTypeLink).Url(url)
}

// Data links from a series or a table row; value is a Grafana field
// reference such as ${__field.labels.kuma_io_service} or ${__data.fields.name}.

func serviceLink(value string) []cog.Builder[dashboard.DashboardLink] {
	return []cog.Builder[dashboard.DashboardLink]{
		dataLink("Kuma Service: "+value, dashURL(UIDService, param("service", value))),
	}
}

// dataplaneLink opens a dataplane in its own zone: dataplane names are
// unique per zone only.
func dataplaneLink(value, zone string) []cog.Builder[dashboard.DashboardLink] {
	return []cog.Builder[dashboard.DashboardLink]{
		dataLink("Kuma Dataplane: "+value, dashURL(UIDDataplane, param("zone", zone), param("dataplane", value))),
	}
}

// pairLink opens Service to Service; destination may be a service or a
// cluster name, which the dashboard resolves through the Kuma datasource.
func pairLink(source, destination string) []cog.Builder[dashboard.DashboardLink] {
	return []cog.Builder[dashboard.DashboardLink]{
		dataLink("Kuma Service to Service: "+source+" → "+destination,
			dashURL(UIDServiceToService, param("source_service", source), param("destination_service", destination))),
	}
}

func gatewayLink(value string) []cog.Builder[dashboard.DashboardLink] {
	return []cog.Builder[dashboard.DashboardLink]{
		dataLink("Kuma MeshGateway: "+value, dashURL(UIDGateway, param("gateway", value))),
	}
}

// dashboardsLink is the link bar: every dashboard tagged Tag, keeping the
// variables and the time range.
func dashboardsLink() cog.Builder[dashboard.DashboardLink] {
	return dashboard.NewDashboardLinkBuilder("Kuma dashboards").
		Type(dashboard.DashboardLinkTypeDashboards).
		Tags([]string{Tag}).
		AsDropdown(true).
		IncludeVars(true).
		KeepTime(true)
}

// zoneProxyLinks are the header links from the Mesh and CP dashboards to
// the zone proxies of the selected zones.
func zoneProxyLinks(b *board) {
	for _, d := range []struct{ uid, title string }{{UIDZoneIngress, "Zone Ingress"}, {UIDZoneEgress, "Zone Egress"}} {
		b.b.Link(dashboard.NewDashboardLinkBuilder(d.title).Type(dashboard.DashboardLinkTypeLink).
			Url("/d/" + d.uid + "/?var-prometheus=${prometheus}&${zone:queryparam}&${__url_time_range}"))
	}
}
