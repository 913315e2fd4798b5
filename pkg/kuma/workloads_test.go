package kuma

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
)

func TestDataplaneIdentitiesOfTheRecordedGlobalCP(t *testing.T) {
	c, err := NewClient(Config{Address: cpreplay.Start(t, "2.14.3-exclusive").URL})
	require.NoError(t, err)
	dps, err := c.DataplaneIdentities(context.Background(), "modern")
	require.NoError(t, err)
	require.Len(t, dps, 4)
	assert.Equal(t, DataplaneIdentity{
		Name: "api-2-c4429vx474wcv494", DisplayName: "api-2", Zone: "zone-2",
		InboundTags: []map[string]string{{"kuma.io/protocol": "http", "kuma.io/service": "api", "kuma.io/zone": "zone-2", "version": "v1"}},
	}, dps[1])
}

func TestDataplaneIdentitiesCarryTheWorkload(t *testing.T) {
	c, err := NewClient(Config{Address: cpreplay.Start(t, "2.14.3-k8s-built").URL})
	require.NoError(t, err)
	dps, err := c.DataplaneIdentities(context.Background(), "default")
	require.NoError(t, err)
	require.NotEmpty(t, dps)
	for _, d := range dps {
		assert.NotEmpty(t, d.Workload, d.Name)
	}
}
