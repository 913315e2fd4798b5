package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGraphGroupBy(t *testing.T) {
	tests := []struct {
		name    string
		groupBy TrafficGroupBy
		want    TrafficGroupBy
	}{
		{name: "a query without groupBy draws services", want: GroupByService},
		{name: "service draws services", groupBy: GroupByService, want: GroupByService},
		{name: "workload draws workloads", groupBy: GroupByWorkload, want: GroupByWorkload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Query{QueryType: QueryTypeMeshGraph, GroupBy: tt.groupBy}.GraphGroupBy()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	t.Run("a traffic grouping is not a map grouping, and the error names both choices", func(t *testing.T) {
		_, err := Query{GroupBy: GroupByEdge}.GraphGroupBy()
		require.ErrorIs(t, err, ErrInvalidGraphGroupBy)
		require.ErrorIs(t, err, ErrUser)
		assert.Contains(t, err.Error(), `"edge": use "service" or "workload"`)
	})
}
