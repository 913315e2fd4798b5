package prometheus

import (
	"context"
	"net/http"
)

// transport adds credentials to requests for the configured host and
// records the response status for error messages.
type transport struct {
	next                  http.RoundTripper
	host                  string
	user, password, token string
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
		if status, ok := req.Context().Value(statusKey{}).(*int); ok {
			*status = resp.StatusCode
		}
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

type statusKey struct{}

// withStatus makes the transport store the HTTP status of the call's last
// response in *status: client_golang's errors carry it only as text.
func withStatus(ctx context.Context, status *int) context.Context {
	return context.WithValue(ctx, statusKey{}, status)
}
