package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

func TestGeneratedTypeScriptIsCurrent(t *testing.T) {
	root, err := repo.Root()
	require.NoError(t, err)
	committed, err := os.ReadFile(filepath.Join(root, outFile))
	require.NoError(t, err)
	assert.Equal(t, string(render()), string(committed), "%s is stale: run go generate ./pkg/models", outFile)
}

func TestValueColumnsAreGeneratedFromModels(t *testing.T) {
	assert.Contains(t, string(render()),
		"  [QueryType.Services]: ['dataplanes_online', 'dataplanes_offline', 'dataplanes_total'],\n",
		"VALUE_COLUMNS must list models.ValueColumns per query type")
}

func TestPascalNamesEnumMembers(t *testing.T) {
	assert.Equal(t, "MeshGraph", pascal("mesh-graph"))
	assert.Equal(t, "DestinationClusters", pascal("destination-clusters"))
	assert.Equal(t, "Meshes", pascal("meshes"))
}
