package plugin

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// The frontend's MESH_QUERY_TYPES and ZONE_QUERY_TYPES are generated from
// QueryType.NeedsMesh and UsesZone (src/generated/models.ts); these tests
// tie those methods to what the handlers actually do.

func TestEveryQueryTypeHasAHandler(t *testing.T) {
	d := newTestDatasource(&fakeControlPlane{}, &fakeMetrics{})
	handlers := d.handlers(false)
	assert.Len(t, handlers, len(models.QueryTypes))
	for _, qt := range models.QueryTypes {
		assert.Contains(t, handlers, qt)
	}
}

func TestNeedsMeshIsWhatTheHandlersRequire(t *testing.T) {
	d := newTestDatasource(&fakeControlPlane{meshes: []kuma.Mesh{{Name: "default"}}}, &fakeMetrics{})
	handlers := d.handlers(false)
	for _, qt := range models.QueryTypes {
		t.Run(string(qt), func(t *testing.T) {
			res := d.answer(context.Background(), handlers, query("A", string(qt), `{"service":"backend","gateway":"edge"}`))
			if qt.NeedsMesh() {
				assert.ErrorIs(t, res.Error, models.ErrMissingMesh)
			} else {
				assert.NotErrorIs(t, res.Error, models.ErrMissingMesh)
			}
		})
	}
}

func TestUsesZoneIsWhatTheHandlersRead(t *testing.T) {
	d := newTestDatasource(&fakeControlPlane{meshes: []kuma.Mesh{{Name: "default"}}}, &fakeMetrics{})
	handlers := d.handlers(false)
	for _, qt := range models.QueryTypes {
		t.Run(string(qt), func(t *testing.T) {
			// An invalid zone regex fails exactly the types that read the zone.
			res := d.answer(context.Background(), handlers,
				query("A", string(qt), `{"mesh":"default","zone":"(","service":"backend","gateway":"edge"}`))
			if qt.UsesZone() {
				assert.ErrorIs(t, res.Error, models.ErrInvalidZoneRegEx)
			} else {
				assert.NotErrorIs(t, res.Error, models.ErrInvalidZoneRegEx)
			}
		})
	}
}
