package prometheus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/bytesize"
)

// transport adds credentials to requests for the configured host, caps
// every response body it hands on, and records the call's status for
// error messages.
type transport struct {
	next                  http.RoundTripper
	host                  string
	user, password, token string
	// maxBody caps the response bodies being read at once, after
	// decompression: one body alone, or all of them together (the queries
	// of a graph run concurrently, and each would otherwise hold its own
	// maxBody, several times over while its buffer grows).
	maxBody int64
	// inFlight counts the bytes read from bodies not yet closed.
	inFlight atomic.Int64
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Only the configured host gets credentials, so a redirect elsewhere
	// cannot collect them.
	if req.URL.Host == t.host && (t.user != "" || t.token != "") {
		req = req.Clone(req.Context())
		if t.user != "" {
			req.SetBasicAuth(t.user, t.password)
		} else {
			req.Header.Set("Authorization", "Bearer "+t.token)
		}
	}
	resp, err := t.next.RoundTrip(req)
	if resp != nil {
		if st, ok := req.Context().Value(stateKey{}).(*callState); ok {
			st.status = resp.StatusCode
		}
		// The cap sits on the body every reader gets, whichever decoder
		// reads it. net/http has already inflated a gzip body here.
		resp.Body = &cappedBody{ReadCloser: resp.Body, t: t}
	}
	return resp, err
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// wrapped transport.
func (t *transport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// ErrResponseTooLarge is returned (wrapped in a *TooLargeError) when the
// response bodies exceed the configured cap.
var ErrResponseTooLarge = errors.New("the Prometheus response is larger than the cap")

// TooLargeError says which cap a response body hit.
type TooLargeError struct {
	Limit int64
	// Shared is set when the body was under the cap alone but the answers
	// read at the same time together were not.
	Shared bool
}

func (e *TooLargeError) Error() string {
	if e.Shared {
		return fmt.Sprintf("the Prometheus answers read at the same time are larger than the %s cap together (setting prometheusMaxResponseMiB)", bytesize.Format(e.Limit))
	}
	return fmt.Sprintf("the response is larger than the %s cap (setting prometheusMaxResponseMiB)", bytesize.Format(e.Limit))
}

// Unwrap makes errors.Is(err, ErrResponseTooLarge) hold.
func (e *TooLargeError) Unwrap() error { return ErrResponseTooLarge }

// cappedBody stops reading with a *TooLargeError once the bytes read from
// it, or from every open body of the transport, pass the cap, so an answer
// that inflates to gigabytes never gets into memory.
type cappedBody struct {
	io.ReadCloser
	t      *transport
	read   atomic.Int64
	closed atomic.Bool
}

func (b *cappedBody) Read(p []byte) (int, error) {
	// Never more than one byte past the cap, so exceeding it is detected
	// without reading (and holding) more.
	if room := b.t.maxBody + 1 - b.read.Load(); int64(len(p)) > room {
		p = p[:max(room, 1)]
	}
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		read := b.read.Add(int64(n))
		total := b.t.inFlight.Add(int64(n))
		if read > b.t.maxBody {
			return 0, &TooLargeError{Limit: b.t.maxBody}
		}
		if total > b.t.maxBody {
			return 0, &TooLargeError{Limit: b.t.maxBody, Shared: true}
		}
	}
	return n, err
}

// Close returns the body's bytes to the shared budget.
func (b *cappedBody) Close() error {
	if b.closed.CompareAndSwap(false, true) {
		b.t.inFlight.Add(-b.read.Load())
	}
	return b.ReadCloser.Close()
}

type stateKey struct{}

// callState is what the transport learns about one call: client_golang's
// errors carry the status only as text.
type callState struct{ status int }

// withState makes the transport record the call's last response in st.
func withState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}
