package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// CallResource serves the lists the editors load (meshes, zones, services,
// dataplanes, gateways) as JSON arrays. Errors are JSON {"message": …} with
// the status classify gives them; a panic is the plugin's 500.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	if d.settingsErr != nil {
		return d.sendError(ctx, req, sender, d.settingsErr)
	}
	var sent bool
	err := recovery.Call("answering a resource call", func() error {
		return d.resources.CallResource(ctx, req, senderFunc(func(res *backend.CallResourceResponse) error {
			sent = true
			return sender.Send(res)
		}))
	})
	if err != nil && !sent {
		return d.sendError(ctx, req, sender, err)
	}
	return err
}

type senderFunc func(*backend.CallResourceResponse) error

func (f senderFunc) Send(res *backend.CallResourceResponse) error { return f(res) }

// sendError answers a resource call with err, scrubbed, and logs it.
func (d *Datasource) sendError(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender, err error) error {
	msg := d.scrub.String(err.Error())
	log.DefaultLogger.FromContext(ctx).Warn("resource request failed", "path", req.Path, "error", msg)
	body, _ := json.Marshal(map[string]string{"message": msg})
	return sender.Send(&backend.CallResourceResponse{
		Status:  httpStatus(err),
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    body,
	})
}

// newResourceHandler builds the routes once per instance.
func newResourceHandler(d *Datasource) backend.CallResourceHandler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /meshes", func(w http.ResponseWriter, r *http.Request) {
		meshes, err := d.listMeshes(r.Context())
		d.writeList(w, r, err, func() any {
			out := make([]nameItem, len(meshes))
			for i, m := range meshes {
				out[i] = nameItem{Name: m.Name}
			}
			return out
		})
	})
	mux.HandleFunc("GET /zones", func(w http.ResponseWriter, r *http.Request) {
		zones, err := d.listZones(r.Context())
		d.writeList(w, r, err, func() any {
			out := make([]zoneItem, len(zones))
			for i, z := range zones {
				out[i] = zoneItem{Name: z.Name, Online: z.Online}
			}
			return out
		})
	})
	mux.HandleFunc("GET /services", func(w http.ResponseWriter, r *http.Request) {
		mesh, ok := requireMesh(w, r)
		if !ok {
			return
		}
		services, err := d.listServices(r.Context(), mesh, nil)
		d.writeList(w, r, err, func() any { return serviceItems(services) })
	})
	mux.HandleFunc("GET /dataplanes", func(w http.ResponseWriter, r *http.Request) {
		mesh, ok := requireMesh(w, r)
		if !ok {
			return
		}
		dps, err := d.listDataplanes(r.Context(), mesh, r.URL.Query().Get("service"), nil)
		d.writeList(w, r, err, func() any {
			out := make([]dataplaneItem, len(dps))
			for i, dp := range dps {
				out[i] = dataplaneItem{Name: shownName(dp), Zone: dp.Zone, Services: dp.Services, Online: dp.Online}
			}
			return out
		})
	})
	mux.HandleFunc("GET /gateways", func(w http.ResponseWriter, r *http.Request) {
		mesh, ok := requireMesh(w, r)
		if !ok {
			return
		}
		rows, err := d.listGateways(r.Context(), mesh, nil)
		d.writeList(w, r, err, func() any {
			out := make([]gatewayItem, len(rows))
			for i, g := range rows {
				out[i] = gatewayItem{Name: g.Name, Kind: g.Kind}
			}
			return out
		})
	})
	return httpadapter.New(mux)
}

type nameItem struct {
	Name string `json:"name"`
}

type zoneItem struct {
	Name   string `json:"name"`
	Online *bool  `json:"online,omitempty"`
}

type serviceItem struct {
	Name   string   `json:"name"`
	Kind   string   `json:"kind"`
	Status string   `json:"status,omitempty"`
	Zones  []string `json:"zones,omitempty"`
}

// serviceItems lists each service name once for the pickers: the copies of
// a MeshService in several zones share the display name that dashboards
// filter on, so they are one choice with all their zones.
func serviceItems(services []kuma.Service) []serviceItem {
	out := make([]serviceItem, 0, len(services))
	at := map[[2]string]int{}
	for _, s := range services {
		key := [2]string{s.Name, string(s.Kind)}
		if i, ok := at[key]; ok {
			out[i].Zones = mergeZones(out[i].Zones, s.Zones)
			if out[i].Status != s.Status {
				out[i].Status = "partially_degraded"
			}
			continue
		}
		at[key] = len(out)
		out = append(out, serviceItem{Name: s.Name, Kind: string(s.Kind), Status: s.Status, Zones: s.Zones})
	}
	return out
}

// mergeZones returns the sorted union of two zone lists.
func mergeZones(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

type dataplaneItem struct {
	Name     string   `json:"name"`
	Zone     string   `json:"zone,omitempty"`
	Services []string `json:"services"`
	Online   bool     `json:"online"`
}

type gatewayItem struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

func requireMesh(w http.ResponseWriter, r *http.Request) (string, bool) {
	mesh := r.URL.Query().Get("mesh")
	if err := checkMesh(mesh); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return "", false
	}
	return mesh, true
}

// writeList writes the list built by items, or the error (scrubbed) with
// the status classify gives it.
func (d *Datasource) writeList(w http.ResponseWriter, r *http.Request, err error, items func() any) {
	if err != nil {
		msg := d.scrub.String(err.Error())
		log.DefaultLogger.FromContext(r.Context()).Warn("resource request failed", "path", r.URL.Path, "error", msg)
		writeError(w, httpStatus(err), msg)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(items())
}

func writeError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": message})
}
