package prometheus

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkDecodeAnswer decodes, from memory, the latency answer of a
// 5,000-service mesh as Prometheus formats it: 50,000 caller × destination
// pairs of eight buckets each, keeping the seven labels the service map
// asks for.
func BenchmarkDecodeAnswer(b *testing.B) {
	var body bytes.Buffer
	body.WriteString(`{"status":"success","data":{"resultType":"vector","result":[`)
	les := []string{"1", "5", "10", "25", "50", "100", "500", "+Inf"}
	for i := range 50000 {
		for j, le := range les {
			if i > 0 || j > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, `{"metric":{"envoy_cluster_name":"svc-%04d_app_svc_8080","kuma_io_service":"svc-%04d_app_svc_8080","kuma_io_zone":"zone-%d","le":"%s"},"value":[1767268800,"%d.25"]}`,
				(i/10+1+i%10*7)%5000, i/10, i%2+1, le, 150*(j+1))
		}
	}
	body.WriteString(`]}}`)
	labels := []string{"kuma_io_service", "kuma_io_zone", "envoy_cluster_name", "kuma_workload", "kuma_proxy_role", "zone", "le"}
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		v, _, err := decodeAnswer(bytes.NewReader(body.Bytes()), labels)
		if err != nil || v.Len() != 400000 {
			b.Fatal(err, v.Len())
		}
	}
}
