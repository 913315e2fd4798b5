package meshgraph

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// The three fan-outs of a Build (control plane ‖ Prometheus, the four
// control-plane reads, the fixed queries) must each report the failure that
// canceled the others, not a sibling's context.Canceled, and must cancel
// the siblings rather than wait for them.

// stall blocks until ctx is done, counts the cancellation and returns it,
// like a slow server whose request is canceled.
func stall(ctx context.Context, canceled *atomic.Int32) error {
	<-ctx.Done()
	canceled.Add(1)
	return ctx.Err()
}

// stallingCP fails the read named fail and stalls every other one.
type stallingCP struct {
	fail     string
	err      error
	canceled atomic.Int32
}

func (f *stallingCP) answer(ctx context.Context, read string) error {
	if read == f.fail {
		return f.err
	}
	return stall(ctx, &f.canceled)
}

func (f *stallingCP) Mesh(ctx context.Context, _ string) (kuma.Mesh, error) {
	return kuma.Mesh{}, f.answer(ctx, "mesh")
}

func (f *stallingCP) ServiceInsights(ctx context.Context, _ string) ([]kuma.Service, error) {
	return nil, f.answer(ctx, "services")
}

func (f *stallingCP) MeshServices(ctx context.Context, _ string) ([]kuma.Service, error) {
	return nil, f.answer(ctx, "mesh services")
}

func (f *stallingCP) MeshGateways(ctx context.Context, _ string) ([]kuma.MeshGateway, error) {
	return nil, f.answer(ctx, "mesh gateways")
}

// stallingMetrics fails the query fail (every query when fail is "") with
// err, and stalls every other one.
type stallingMetrics struct {
	fail     string
	err      error
	canceled atomic.Int32
}

func (f *stallingMetrics) QueryVector(ctx context.Context, q string, _ time.Time, _ []string) (*prometheus.Vector, []string, error) {
	if f.err != nil && (f.fail == "" || q == f.fail) {
		return nil, nil, f.err
	}
	return nil, nil, stall(ctx, &f.canceled)
}

// bounded gives a test a deadline, so that a fan-out that fails to cancel
// its siblings fails the test with DeadlineExceeded instead of hanging it.
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestQueriesReportTheFailingQueryNotTheCanceledOnes(t *testing.T) {
	labels := models.LabelNames{}.WithDefaults()
	qs := newQueries("default", time.Minute, labels, nil)
	promErr := errors.New("prometheus: the gateway query failed")
	// The last query fails, so that reading the errors in query order
	// would find a cancellation first.
	m := &stallingMetrics{fail: qs[queryGateway], err: promErr}

	_, _, err := qs.run(bounded(t), m, testTo, answerLabels(labels))

	require.ErrorIs(t, err, promErr)
	assert.NotErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the other queries are canceled, not waited for")
	assert.Equal(t, int32(queryCount-1), m.canceled.Load(), "every other query is canceled")
}

func TestFetchCatalogReportsTheFailingReadNotTheCanceledOnes(t *testing.T) {
	cpErr := errors.New("control plane: 503")
	cp := &stallingCP{fail: "mesh gateways", err: cpErr}

	_, err := fetchCatalog(bounded(t), cp, "default")

	require.ErrorIs(t, err, cpErr)
	assert.EqualError(t, err, `reading the mesh gateways of mesh "default": control plane: 503`)
	assert.NotErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the other reads are canceled, not waited for")
	assert.Equal(t, int32(3), cp.canceled.Load(), "the three other reads are canceled")
}

func TestBuildReportsTheFailingSideNotTheCanceledOne(t *testing.T) {
	t.Run("a failing control plane cancels the Prometheus queries", func(t *testing.T) {
		cpErr := errors.New("control plane: 401")
		m := &stallingMetrics{}
		_, err := Build(bounded(t), &stallingCP{fail: "services", err: cpErr}, m, Options{Mesh: "default", From: testFrom, To: testTo})
		require.ErrorIs(t, err, cpErr)
		assert.NotErrorIs(t, err, context.Canceled)
		assert.Equal(t, int32(queryCount), m.canceled.Load(), "every query is canceled")
	})
	t.Run("a failing Prometheus cancels the control-plane reads", func(t *testing.T) {
		promErr := errors.New("prometheus: connection refused")
		cp := &stallingCP{}
		_, err := Build(bounded(t), cp, &stallingMetrics{err: promErr}, Options{Mesh: "default", From: testFrom, To: testTo})
		require.ErrorIs(t, err, promErr)
		assert.NotErrorIs(t, err, context.Canceled)
		assert.Equal(t, int32(4), cp.canceled.Load(), "every control-plane read is canceled")
	})
	t.Run("a canceled request is reported as canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Build(ctx, &stallingCP{}, &stallingMetrics{}, Options{Mesh: "default", From: testFrom, To: testTo})
		assert.ErrorIs(t, err, context.Canceled)
	})
}
