package recovery

import (
	"context"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

func TestGoReportsAPanicAsTheGroupsErrorAndCancelsTheRest(t *testing.T) {
	g, ctx := errgroup.WithContext(context.Background())
	Go(g, "waiting", func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	Go(g, "reading a map", func() error {
		panic("a bug")
	})

	err := g.Wait()

	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal error while reading a map: a bug")
	assert.True(t, backend.IsPluginError(err), "a panic is the plugin's error")
	assert.NotErrorIs(t, err, context.Canceled)
}
