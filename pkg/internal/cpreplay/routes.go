package cpreplay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// route dispatches an unprefixed, escaped API path.
func (s *Server) route(w http.ResponseWriter, r *http.Request, path string) {
	switch path {
	case "/":
		s.serveFile(w, "index.json")
		return
	case "/config":
		s.serveConfig(w)
		return
	case "/meshes":
		s.serveList(w, r, "meshes.json", false)
		return
	case "/zones":
		s.serveList(w, r, "zones.json", false)
		return
	case "/zones+insights":
		s.serveList(w, r, "zones+insights.json", false)
		return
	case "/zones/_overview":
		if s.feat.overview {
			s.serveList(w, r, "zones+insights.json", false)
			return
		}
	case "/mesh-insights":
		s.serveList(w, r, "mesh-insights.json", false)
		return
	case "/global-insight", "/global-insights":
		if s.exists(path[1:] + ".json") {
			s.serveFile(w, path[1:]+".json")
			return
		}
	}
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if parts[0] != "meshes" || len(parts) < 2 || len(parts) > 4 {
		pageNotFound(w)
		return
	}
	mesh, err := url.PathUnescape(parts[1])
	if err != nil {
		pageNotFound(w)
		return
	}
	known := s.meshExists(mesh)
	if len(parts) == 2 {
		s.serveMesh(w, mesh)
		return
	}
	resource := strings.Join(parts[2:], "/")
	if !s.meshRouteExists(resource) {
		pageNotFound(w)
		return
	}
	if !known && s.feat.unknownMesh404 {
		s.serveRecordedError(w, http.StatusNotFound, "error_404_unknown_mesh.json", "Failed to retrieve Mesh", "Not found")
		return
	}
	s.serveMeshList(w, r, mesh, resource)
}

// meshRouteExists reports whether the version serves /meshes/{m}/<resource>.
func (s *Server) meshRouteExists(resource string) bool {
	switch resource {
	case "service-insights", "dataplanes", "dataplanes+insights", "meshgateways", "external-services":
		return true
	case "dataplanes/_overview":
		return s.feat.overview
	case "meshservices", "meshexternalservices", "meshmultizoneservices":
		return s.feat.meshServices
	}
	return false
}

func (s *Server) serveMeshList(w http.ResponseWriter, r *http.Request, mesh, resource string) {
	insights := resource == "service-insights"
	switch resource {
	case "dataplanes+insights", "dataplanes/_overview":
		s.serveDerived(w, r, "dataplanes+insights_"+mesh+".json", "dataplanes_"+mesh+".json", toOverview)
	case "dataplanes":
		s.serveDerived(w, r, "dataplanes_"+mesh+".json", "dataplanes+insights_"+mesh+".json", fromOverview)
	default:
		name := resource + "_" + mesh + ".json"
		if insights && !s.meshExists(mesh) && s.exists("service-insights_unknown_mesh.json") {
			name = "service-insights_unknown_mesh.json"
		}
		if s.exists(name) {
			s.serveList(w, r, name, insights)
			return
		}
		s.servePage(w, r, envelope{Items: []json.RawMessage{}}, insights)
	}
}

// serveDerived serves file, or else the items of alt converted with conv
// (a mesh whose plain or overview list was not recorded).
func (s *Server) serveDerived(w http.ResponseWriter, r *http.Request, file, alt string, conv func(json.RawMessage) (json.RawMessage, error)) {
	if s.exists(file) {
		s.serveList(w, r, file, false)
		return
	}
	env := envelope{Items: []json.RawMessage{}}
	if s.exists(alt) {
		var err error
		if env, err = s.readList(alt); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		for i, item := range env.Items {
			if env.Items[i], err = conv(item); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
	}
	s.servePage(w, r, env, false)
}

// serveMesh answers GET /meshes/{name} with the recorded item.
func (s *Server) serveMesh(w http.ResponseWriter, mesh string) {
	env, err := s.readList("meshes.json")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for _, item := range env.Items {
		if itemName(item) == mesh {
			writeJSON(w, http.StatusOK, item)
			return
		}
	}
	writeError(w, s.feat, http.StatusNotFound, "Could not retrieve a resource", "Not found")
}

// serveConfig synthesizes the small part of /config clients read (no
// recording exists); kuma-cp serves it as compact JSON.
func (s *Server) serveConfig(w http.ResponseWriter) {
	if s.opts.configStatus != 0 {
		writeError(w, s.feat, s.opts.configStatus, "Access denied",
			`user "mesh-system:anonymous/mesh-system:unauthenticated" cannot access the resource`)
		return
	}
	body := fmt.Sprintf(`{"environment":"universal","mode":%q,"multizone":{"zone":{"name":%q}},"store":{"type":"memory"}}`,
		s.feat.mode, s.feat.zone)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(body))
}

func (s *Server) meshExists(mesh string) bool {
	env, err := s.readList("meshes.json")
	if err != nil {
		return false
	}
	for _, item := range env.Items {
		if itemName(item) == mesh {
			return true
		}
	}
	return false
}

func (s *Server) exists(name string) bool {
	_, err := os.Stat(filepath.Join(s.dir, name))
	return err == nil
}

// serveRecordedError serves a recorded error body, or synthesizes one in the
// version's shape when it was not recorded.
func (s *Server) serveRecordedError(w http.ResponseWriter, status int, name, title, detail string) {
	body, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		writeError(w, s.feat, status, title, detail)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *Server) serveFile(w http.ResponseWriter, name string) {
	body, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

func itemName(item json.RawMessage) string {
	var meta struct{ Name string }
	_ = json.Unmarshal(item, &meta)
	return meta.Name
}

// writeJSON encodes v as kuma-cp does: one-space indent, no HTML escaping.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// writeError writes a Kuma error body in the version's shape.
func writeError(w http.ResponseWriter, f features, status int, title, detail string) {
	if f.newErrors {
		writeJSON(w, status, map[string]any{
			"type": "/std-errors", "status": status, "title": title, "detail": detail, "details": detail,
		})
		return
	}
	writeJSON(w, status, map[string]any{"title": title, "details": detail})
}

// pageNotFound is go-restful's answer to an unknown route.
func pageNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("404: Page Not Found"))
}

var errNotRecorded = errors.New("not recorded")

func (s *Server) readList(name string) (envelope, error) {
	body, err := os.ReadFile(filepath.Join(s.dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return envelope{}, fmt.Errorf("%s: %w", name, errNotRecorded)
	}
	if err != nil {
		return envelope{}, err
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return envelope{}, fmt.Errorf("%s: %w", name, err)
	}
	return env, nil
}

// atoi parses a query parameter; ok is false when present but not an integer.
func atoi(q url.Values, key string, def int) (int, bool) {
	v := q.Get(key)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}
