package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		queryType string
		want      Query
		wantErr   error
	}{
		{
			name: "a query saved by the older plugin keeps its fields",
			json: `{"refId":"A","queryType":"mesh-graph","mesh":"default","zone":"zone-1","rollupRegEx":"(.*)-v[0-9]+"}`,
			want: Query{QueryType: QueryTypeMeshGraph, Mesh: "default", Zone: "zone-1", RollupRegEx: "(.*)-v[0-9]+"},
		},
		{
			name: "the request's query type wins over the body's", json: `{"queryType":"meshes"}`, queryType: "zones",
			want: Query{QueryType: QueryTypeZones},
		},
		{name: "an empty body is an empty query", want: Query{}},
		{name: "a body that is not JSON is an invalid query", json: `{"mesh":`, wantErr: ErrInvalidQueryJSON},
		{name: "a field of the wrong type is an invalid query", json: `{"hideIdle":"yes"}`, wantErr: ErrInvalidQueryJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQuery([]byte(tt.json), tt.queryType)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNeedsMesh(t *testing.T) {
	for _, qt := range QueryTypes {
		want := qt != QueryTypeMeshes && qt != QueryTypeZones
		assert.Equal(t, want, qt.NeedsMesh(), qt)
	}
}
