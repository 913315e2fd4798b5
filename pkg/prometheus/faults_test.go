package prometheus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnswersWithoutAResultAreDownstreamErrors(t *testing.T) {
	for _, body := range []string{`{"status":"success"}`, `{}`, `null`, `{"status":"success","data":null}`, `{"status":"success","data":{}}`} {
		t.Run(body, func(t *testing.T) {
			srv := fakeAPI(t, reply(200, body))
			c := newClient(t, Config{Address: srv.URL + "/prometheus"})
			_, _, err := c.Query(context.Background(), "up", time.Time{})
			require.Error(t, err)
			assert.True(t, backend.IsDownstreamError(err), "downstream: %v", err)
			assert.Contains(t, err.Error(), "Prometheus: query")
			assert.Error(t, c.Ping(context.Background()), "the health check's probe fails too, without a panic")
		})
	}
}

// gzipBomb is a small gzip body that inflates to about size bytes: a vector
// answer whose one label value is the padding. It is made of gzip members
// (which readers concatenate), so building it costs one 1 MiB compression.
func gzipBomb(t *testing.T, size int) []byte {
	t.Helper()
	member := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		require.NoError(t, err)
		_, _ = zw.Write(b)
		require.NoError(t, zw.Close())
		return buf.Bytes()
	}
	out := member([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"x":"`))
	pad := member(bytes.Repeat([]byte("a"), 1<<20))
	for written := 0; written < size; written += 1 << 20 {
		out = append(out, pad...)
	}
	return append(out, member([]byte(`"},"value":[1,"1"]}]}}`))...)
}

func TestInflatedBodiesStopAtTheCap(t *testing.T) {
	bomb := gzipBomb(t, 1<<30)
	require.Less(t, len(bomb), 2<<20, "the bomb is small on the wire")
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bomb)
	})
	c := newClient(t, Config{Address: srv.URL + "/prometheus", MaxResponseBytes: 4 << 20})
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err := c.Query(context.Background(), `sum by (x) (increase(envoy_cluster_upstream_rq_total[1h]))`, time.Time{})
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrResponseTooLarge))
	assert.True(t, backend.IsDownstreamError(err))
	assert.Contains(t, err.Error(), `query "sum by (x) (increase(envoy_cluster_upstream_rq_total[1h]))"`)
	assert.Contains(t, err.Error(), "larger than the 4 MiB cap (setting prometheusMaxResponseMiB)")
	assert.Contains(t, err.Error(), "a zone filter, a shorter time range")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "reading stopped near the cap, far below the 1 GiB it inflates to")
}

func TestBodiesAtTheCapAreRead(t *testing.T) {
	srv := fakeAPI(t, reply(200, vectorBody))
	c := newClient(t, Config{Address: srv.URL + "/prometheus", MaxResponseBytes: int64(len(vectorBody))})
	vec, _, err := c.Query(context.Background(), "up", time.Time{})
	require.NoError(t, err)
	assert.Len(t, vec, 1)
}

func TestErrorBodiesAreCappedToo(t *testing.T) {
	srv := fakeAPI(t, reply(502, strings.Repeat("x", 1<<20)))
	c := newClient(t, Config{Address: srv.URL + "/prometheus", MaxResponseBytes: 1 << 10})
	_, _, err := c.Query(context.Background(), "up", time.Time{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrResponseTooLarge), "%v", err)
}

func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func TestAnswersReadAtOnceShareTheCap(t *testing.T) {
	// Each answer is under the cap; two read at once are not.
	big := `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"x":"` + strings.Repeat("a", 3<<20) + `"},"value":[1,"1"]}]}}`
	release := make(chan struct{})
	var sent sync.WaitGroup
	sent.Add(2)
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(big[:2<<20]))
		w.(http.Flusher).Flush()
		sent.Done()
		<-release // both readers hold 2 MiB before either finishes
		_, _ = w.Write([]byte(big[2<<20:]))
	})
	c := newClient(t, Config{Address: srv.URL + "/prometheus", MaxResponseBytes: 4 << 20})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, _, err := c.Query(context.Background(), "up", time.Time{})
			errs <- err
		}()
	}
	sent.Wait()
	// Release the rest only once both clients hold what was flushed, so the
	// two bodies are open together however slowly the machine runs.
	inFlight := &c.hc.Transport.(*transport).inFlight
	require.Eventually(t, func() bool { return inFlight.Load() >= 4<<20 }, 30*time.Second, time.Millisecond)
	close(release)
	var shared int
	for range 2 {
		var tooLarge *TooLargeError
		if err := <-errs; errors.As(err, &tooLarge) && tooLarge.Shared {
			shared++
			assert.Contains(t, err.Error(), "answers read at the same time are larger than the 4 MiB cap together")
		}
	}
	assert.GreaterOrEqual(t, shared, 1)

	// Once they are closed, the budget is back: one answer alone passes.
	srv2 := fakeAPI(t, reply(200, big))
	c2 := newClient(t, Config{Address: srv2.URL + "/prometheus", MaxResponseBytes: 4 << 20})
	for range 3 {
		_, _, err := c2.Query(context.Background(), "up", time.Time{})
		require.NoError(t, err)
	}
}
