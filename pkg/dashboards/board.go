package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Tag marks every dashboard of this plugin; the link bar lists dashboards
// by it. Kuma's official dashboards use other tags, so the two sets can be
// imported side by side without their link bars mixing.
const Tag = "kuma-datasource"

// board wraps the SDK's dashboard builder with the parts every Kuma
// dashboard shares: tags, time range, the link bar and stable panel ids.
type board struct {
	b *dashboard.DashboardBuilder
	// collapsed holds the row being filled by collapsedRow until the next
	// row or build.
	collapsed *dashboard.RowBuilder
}

func newBoard(uid, title, description string, vars ...cog.Builder[dashboard.VariableModel]) *board {
	b := dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(description).
		Tags([]string{Tag, "service-mesh"}).
		Editable().
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Time("now-1h", "now").
		Refresh("30s").
		Link(dashboardsLink()).
		Variables(vars)
	return &board{b: b}
}

// row starts a new expanded row. Panels added after it follow it at the top
// level of the panel list: Grafana ignores the nested panels of an expanded
// row, so rows are never given panels of their own.
func (b *board) row(title string) *board {
	b.flush()
	b.b.WithRow(dashboard.NewRowBuilder(title))
	return b
}

// collapsedRow starts a row that opens on click. Grafana keeps the panels
// of a collapsed row inside it, so panels added after it go into the row
// until the next row starts. Used for rows most visits do not need (Go
// runtime, HDS, KDS, Kubernetes), which then cost no queries.
func (b *board) collapsedRow(title string) *board {
	b.flush()
	b.collapsed = dashboard.NewRowBuilder(title).Collapsed(true)
	return b
}

// flush adds the collapsed row being filled, if any.
func (b *board) flush() {
	if b.collapsed != nil {
		b.b.WithRow(b.collapsed)
		b.collapsed = nil
	}
}

// add appends panels; the SDK lays them out left to right by their span.
func (b *board) add(panels ...cog.Builder[dashboard.Panel]) *board {
	for _, p := range panels {
		if b.collapsed != nil {
			b.collapsed.WithPanel(p)
			continue
		}
		b.b.WithPanel(p)
	}
	return b
}

// build renders the dashboard and numbers rows and panels from 1 in order,
// because the SDK leaves panel ids unset and Grafana needs unique ones.
func (b *board) build() (dashboard.Dashboard, error) {
	b.flush()
	d, err := b.b.Build()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	var id uint32
	for _, p := range d.Panels {
		id++
		switch {
		case p.RowPanel != nil:
			p.RowPanel.Id = id
			for i := range p.RowPanel.Panels {
				id++
				nested := &p.RowPanel.Panels[i]
				nested.Id = new(id)
				if nested.FieldConfig != nil {
					clearPlacement(nested.FieldConfig.Defaults.Links)
				}
			}
		case p.Panel != nil:
			p.Panel.Id = new(id)
			if p.Panel.FieldConfig != nil {
				clearPlacement(p.Panel.FieldConfig.Defaults.Links)
			}
		}
	}
	clearPlacement(d.Links)
	return d, nil
}

// clearPlacement drops the SDK's default placement "inControlsMenu", which
// would hide dashboard links in Grafana 12's controls menu; data links
// ignore it, so it is only noise there.
func clearPlacement(links []dashboard.DashboardLink) {
	for i := range links {
		links[i].Placement = nil
	}
}
