package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Spec names one shipped dashboard and how to build it.
type Spec struct {
	UID   string
	Title string
	Build func() (dashboard.Dashboard, error)
}

// All lists the shipped dashboards in a fixed order.
func All() []Spec {
	return []Spec{
		{UIDMesh, "Kuma Mesh", Mesh},
		{UIDDataplane, "Kuma Dataplane", Dataplane},
		{UIDServiceToService, "Kuma Service to Service", ServiceToService},
		{UIDCP, "Kuma CP", ControlPlane},
		{UIDService, "Kuma Service", Service},
		{UIDGateway, "Kuma MeshGateway", Gateway},
		{UIDZoneIngress, "Kuma Zone Ingress", ZoneIngress},
		{UIDZoneEgress, "Kuma Zone Egress", ZoneEgress},
	}
}

// FileName is where a dashboard lives, relative to the repository root.
func FileName(uid string) string { return "dashboards/" + uid + ".json" }

// Render builds a dashboard and encodes it as the committed file: indented
// with two spaces, keys in struct order, HTML characters not escaped (links
// contain &), and a trailing newline.
func Render(s Spec) ([]byte, error) {
	d, err := s.Build()
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", s.UID, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode %s: %w", s.UID, err)
	}
	return buf.Bytes(), nil
}
