package plugin

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tlsControlPlane serves one mesh over TLS with httptest's certificate
// (valid for example.com and 127.0.0.1). With clientCA set, it also
// requires a client certificate signed by it.
func tlsControlPlane(t *testing.T, clientCA *x509.Certificate) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"total":1,"items":[{"type":"Mesh","name":"default"}],"next":null}`))
	}))
	if clientCA != nil {
		pool := x509.NewCertPool()
		pool.AddCert(clientCA)
		srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// clientCertificate returns a self-signed client certificate and its key,
// as PEM, the form Grafana stores them in secureJsonData.
func clientCertificate(t *testing.T) (cert *x509.Certificate, certPEM, keyPEM string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "grafana"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err = x509.ParseCertificate(der)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return cert, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
}

func certPEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// The README's Configure table offers Grafana's standard TLS settings for
// the control plane: each case sets them as the config editor saves them
// and lists the meshes through the SDK's HTTP client.
func TestTheControlPlaneTLSSettingsAreUsed(t *testing.T) {
	plain := tlsControlPlane(t, nil)
	clientCert, clientCertPEM, clientKeyPEM := clientCertificate(t)
	mutual := tlsControlPlane(t, clientCert)

	tests := []struct {
		name     string
		url      string
		jsonData string
		secure   map[string]string
		wantErr  string
	}{
		{name: "a self-signed control plane without its CA is refused", url: plain.URL,
			jsonData: `{}`, wantErr: "certificate"},
		{name: "the CA certificate makes it trusted", url: plain.URL,
			jsonData: `{"tlsAuthWithCACert":true}`, secure: map[string]string{"tlsCACert": certPEM(plain.Certificate())}},
		{name: "skip verify trusts it without a CA", url: plain.URL,
			jsonData: `{"tlsSkipVerify":true}`},
		{name: "the server name is the one verified", url: plain.URL,
			jsonData: `{"tlsAuthWithCACert":true,"serverName":"example.com"}`, secure: map[string]string{"tlsCACert": certPEM(plain.Certificate())}},
		{name: "a server name the certificate does not hold is refused", url: plain.URL,
			jsonData: `{"tlsAuthWithCACert":true,"serverName":"other.example"}`, secure: map[string]string{"tlsCACert": certPEM(plain.Certificate())},
			wantErr: "certificate"},
		{name: "a control plane that requires a client certificate gets it", url: mutual.URL,
			jsonData: `{"tlsAuth":true,"tlsAuthWithCACert":true}`,
			secure:   map[string]string{"tlsCACert": certPEM(mutual.Certificate()), "tlsClientCert": clientCertPEM, "tlsClientKey": clientKeyPEM}},
		{name: "without the client certificate it refuses the connection", url: mutual.URL,
			jsonData: `{"tlsAuthWithCACert":true}`, secure: map[string]string{"tlsCACert": certPEM(mutual.Certificate())},
			wantErr: "control plane: GET /meshes: cannot reach https://127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openDatasource(t, backend.DataSourceInstanceSettings{
				URL: tt.url, JSONData: []byte(tt.jsonData), DecryptedSecureJSONData: tt.secure,
			})
			res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "meshes", `{}`)}})
			require.NoError(t, err)
			r := res.Responses["A"]
			if tt.wantErr != "" {
				require.Error(t, r.Error)
				assert.Contains(t, r.Error.Error(), tt.wantErr)
				assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
				assert.NotContains(t, r.Error.Error(), "PRIVATE KEY")
				return
			}
			require.NoError(t, r.Error)
			require.Len(t, r.Frames, 1)
			assert.Equal(t, "default", r.Frames[0].Fields[0].At(0))
		})
	}
}

// The TLS settings belong to the control plane: a Prometheus behind the same
// self-signed certificate is not trusted through the control plane's CA.
func TestPrometheusDoesNotGetTheControlPlaneTLSSettings(t *testing.T) {
	srv := tlsControlPlane(t, nil)
	d := openDatasource(t, backend.DataSourceInstanceSettings{
		URL:                     srv.URL,
		JSONData:                []byte(`{"tlsAuthWithCACert":true,"prometheusUrl":"` + srv.URL + `"}`),
		DecryptedSecureJSONData: map[string]string{"tlsCACert": certPEM(srv.Certificate())},
	})
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Contains(t, res.Message, healthCPOK)
	assert.Contains(t, res.Message, healthPromUnreachable)
	assert.Contains(t, res.Message, "certificate")
}
