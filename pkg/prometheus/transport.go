package prometheus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// transport adds credentials to requests for the configured host, caps
// every response body it hands on, and records the call's status for
// error messages.
type transport struct {
	next                  http.RoundTripper
	host                  string
	user, password, token string
	// maxBody caps each response body after decompression.
	maxBody int64
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
		resp.Body = &cappedBody{ReadCloser: resp.Body, left: t.maxBody, limit: t.maxBody}
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

// ErrResponseTooLarge is returned (wrapped in a *TooLargeError) when a
// response body exceeds the configured cap.
var ErrResponseTooLarge = errors.New("the Prometheus response is larger than the cap")

// TooLargeError says which cap a response body hit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the response is larger than the %s cap (setting prometheusMaxResponseMiB)", formatBytes(e.Limit))
}

// Unwrap makes errors.Is(err, ErrResponseTooLarge) hold.
func (e *TooLargeError) Unwrap() error { return ErrResponseTooLarge }

// cappedBody stops reading at limit bytes with a *TooLargeError, so an
// answer that inflates to gigabytes never gets into memory.
type cappedBody struct {
	io.ReadCloser
	left, limit int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly limit bytes from a larger one.
		var one [1]byte
		n, err := b.ReadCloser.Read(one[:])
		if n > 0 {
			return 0, &TooLargeError{Limit: b.limit}
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

type stateKey struct{}

// callState is what the transport learns about one call: client_golang's
// errors carry the status only as text.
type callState struct{ status int }

// withState makes the transport record the call's last response in st.
func withState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}
