package cpreplay

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// envelope is Kuma's list shape; field order matches kuma-cp's output.
type envelope struct {
	Total int               `json:"total"`
	Items []json.RawMessage `json:"items"`
	Next  *string           `json:"next"`
}

const (
	defaultPageSize = 100
	maxPageSize     = 1000
)

// serveList serves a recorded list: the file unchanged when the request asks
// for all of it, else the requested page of its items.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request, name string, insights bool) {
	env, err := s.readList(name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	offset, okOffset := atoi(q, "offset", 0)
	size, okSize := atoi(q, "size", defaultPageSize)
	if okOffset && okSize && offset == 0 && size >= env.Total && size <= maxPageSize {
		s.serveFile(w, name)
		return
	}
	s.servePage(w, r, env, insights)
}

// servePage paginates env.Items as pkg/api-server/pagination.go does.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, env envelope, insights bool) {
	q := r.URL.Query()
	offset, okOffset := atoi(q, "offset", 0)
	size, okSize := atoi(q, "size", defaultPageSize)
	switch {
	case !okSize:
		s.badPage(w, insights, "Invalid page size", "invalid format")
		return
	case size > maxPageSize:
		s.pageTooLarge(w, insights, size)
		return
	case size <= 0 && s.feat.rejectSizeZero:
		s.badPage(w, insights, "Invalid page size", "invalid page size of "+strconv.Itoa(size)+". Minimum page size is 1")
		return
	case !okOffset:
		s.badPage(w, insights, "Invalid offset", "invalid offset: "+q.Get("offset"))
		return
	case offset < 0:
		s.badPage(w, insights, "Invalid offset", "invalid offset: must be non-negative")
		return
	}
	total := len(env.Items)
	if size == 0 && !insights {
		size = total // Kuma < 2.14 returns everything for size=0 on generic lists.
	}
	start, end := min(offset, total), min(offset+size, total)
	page := envelope{Total: total, Items: env.Items[start:end]}
	if insights && size == 0 {
		// Kuma < 2.14 service-insights answer size=0 with an empty page whose
		// next repeats the offset: a client that trusts next loops forever.
		page.Items = nil
		page.Next = s.nextLink(r, offset)
	} else if end < total {
		page.Next = s.nextLink(r, end)
	}
	if len(page.Items) == 0 {
		page.Items = []json.RawMessage{}
		if insights && s.feat.nullEmpty {
			page.Items = nil
		}
	}
	writeJSON(w, http.StatusOK, page)
}

// nextLink builds next as kuma-cp's nextLink() does: scheme of the
// connection, the request's Host, the path the CP saw (a proxy stripped the
// prefix) and the sorted query with offset replaced.
func (s *Server) nextLink(r *http.Request, offset int) *string {
	q := r.URL.Query()
	q.Set("offset", strconv.Itoa(offset))
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	path := strings.TrimPrefix(r.URL.EscapedPath(), s.opts.prefix)
	link := fmt.Sprintf("%s://%s%s?%s", scheme, r.Host, path, q.Encode())
	return &link
}

func (s *Server) badPage(w http.ResponseWriter, insights bool, detail, reason string) {
	title := "Could not retrieve resources"
	if insights {
		title = "Could not paginate resources"
	}
	writeError(w, s.feat, http.StatusBadRequest, title, detail+": "+reason)
}

// pageTooLarge serves the recorded 400 for size=5000, adjusted to the
// requested size and, outside service-insights, to the generic title.
func (s *Server) pageTooLarge(w http.ResponseWriter, insights bool, size int) {
	body, err := os.ReadFile(filepath.Join(s.dir, "error_400_page_size.json"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	text := strings.ReplaceAll(string(body), "5000", strconv.Itoa(size))
	if !insights {
		text = strings.ReplaceAll(text, "Could not paginate resources", "Could not retrieve resources")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte(text))
}

// toOverview wraps a Dataplane item as the DataplaneOverview kuma-cp returns
// for a proxy that never connected (no dataplaneInsight).
func toOverview(item json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(item, &m); err != nil {
		return nil, err
	}
	out := map[string]any{"type": "DataplaneOverview", "dataplane": map[string]any{"networking": m["networking"]}}
	for _, k := range []string{"mesh", "name", "creationTime", "modificationTime", "labels", "kri"} {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return json.Marshal(out)
}

// fromOverview unwraps a DataplaneOverview into the Dataplane item.
func fromOverview(item json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(item, &m); err != nil {
		return nil, err
	}
	var dp map[string]json.RawMessage
	if err := json.Unmarshal(m["dataplane"], &dp); err != nil {
		return nil, err
	}
	delete(m, "dataplane")
	delete(m, "dataplaneInsight")
	m["type"] = json.RawMessage(`"Dataplane"`)
	maps.Copy(m, dp)
	return json.Marshal(m)
}
