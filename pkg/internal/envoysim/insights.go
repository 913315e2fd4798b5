package envoysim

import (
	"encoding/json"
	"sort"
)

// ServiceInsights renders the control plane's answer to
// GET /meshes/{mesh}/service-insights for the scenario's proxies in mesh:
// one online internal service per kuma.io/service, shaped like the recorded
// 2.14.3 answers (testdata/kuma-cp-2.14.3/service-insights_default.json), so
// a replayed control plane can serve meshes no recording is as large as.
func (s Scenario) ServiceInsights(mesh string) []byte {
	type dataplanes struct {
		Total  int `json:"total"`
		Online int `json:"online"`
	}
	type insight struct {
		Type        string     `json:"type"`
		Mesh        string     `json:"mesh"`
		Name        string     `json:"name"`
		Status      string     `json:"status"`
		Dataplanes  dataplanes `json:"dataplanes"`
		AddressPort string     `json:"addressPort"`
		Zones       []string   `json:"zones"`
	}
	byName := map[string]*insight{}
	for _, p := range s.Proxies {
		if s.meshOf(p) != mesh || p.Gateway != "" || p.Delegated {
			continue
		}
		for _, svc := range p.AllServices() {
			in, ok := byName[svc]
			if !ok {
				in = &insight{Type: "ServiceInsight", Mesh: mesh, Name: svc, Status: "online", AddressPort: svc + ".mesh:80"}
				byName[svc] = in
			}
			in.Dataplanes.Total++
			in.Dataplanes.Online++
			if !contains(in.Zones, p.Zone) {
				in.Zones = append(in.Zones, p.Zone)
				sort.Strings(in.Zones)
			}
		}
	}
	items := make([]*insight, 0, len(byName))
	for _, in := range byName {
		items = append(items, in)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Name < items[j].Name })
	list := struct {
		Total int        `json:"total"`
		Items []*insight `json:"items"`
		Next  *string    `json:"next"`
	}{len(items), items, nil}
	body, err := json.MarshalIndent(list, "", " ")
	if err != nil {
		panic(err) // plain structs always marshal
	}
	return body
}
