package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// board wraps the SDK's dashboard builder with the parts every Kuma
// dashboard shares: tags, time range, the link bar and stable panel ids.
type board struct {
	b *dashboard.DashboardBuilder
}

func newBoard(uid, title, description string, vars ...cog.Builder[dashboard.VariableModel]) *board {
	b := dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(description).
		Tags([]string{"kuma", "service-mesh"}).
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
	b.b.WithRow(dashboard.NewRowBuilder(title))
	return b
}

// add appends panels; the SDK lays them out left to right by their span.
func (b *board) add(panels ...cog.Builder[dashboard.Panel]) *board {
	for _, p := range panels {
		b.b.WithPanel(p)
	}
	return b
}

// build renders the dashboard and numbers rows and panels from 1 in order,
// because the SDK leaves panel ids unset and Grafana needs unique ones.
func (b *board) build() (dashboard.Dashboard, error) {
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
		case p.Panel != nil:
			p.Panel.Id = cog.ToPtr(id)
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
