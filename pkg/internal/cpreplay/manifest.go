package cpreplay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// manifest is the index of a recording made by `replaycp record`
// (testdata/kuma-cp-2.14.3-exclusive/): every request the recorder made,
// with the file holding its answer.
type manifest struct {
	Format  int             `json:"format"`
	Mode    string          `json:"mode"`
	Entries []manifestEntry `json:"entries"`
}

// manifestEntry is one recorded answer. Kind "list" is paged and filtered by
// the server as kuma-cp does; "item" and "error" are served as recorded;
// "check" entries are real answers to pages and filters, served when the
// request asks exactly for them.
type manifestEntry struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	Query       string `json:"query"`
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	File        string `json:"file"`
	Kind        string `json:"kind"`
}

// readManifest loads dir/manifest.json; it returns nil when there is none
// (the older per-file recordings).
func readManifest(dir string) (*manifest, error) {
	body, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	return &m, nil
}

// serveManifest answers from the manifest: an exact path and query first,
// then a list entry of the path, paged. Anything else is go-restful's 404.
func (s *Server) serveManifest(w http.ResponseWriter, r *http.Request, path string) {
	var list *manifestEntry
	for i := range s.manifest.Entries {
		e := &s.manifest.Entries[i]
		if e.Method != r.Method || e.Path != path {
			continue
		}
		if e.Query == r.URL.RawQuery && (e.Kind != "list" || r.URL.RawQuery == "") {
			s.serveEntry(w, e)
			return
		}
		if e.Kind == "list" {
			list = e
		}
	}
	if list != nil {
		s.serveList(w, r, list.File, strings.HasSuffix(path, "/service-insights"))
		return
	}
	pageNotFound(w)
}

func (s *Server) serveEntry(w http.ResponseWriter, e *manifestEntry) {
	body, err := os.ReadFile(filepath.Join(s.dir, e.File))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if e.ContentType != "" {
		w.Header().Set("Content-Type", e.ContentType)
	}
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}
