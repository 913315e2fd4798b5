package prometheus

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rows reads a Vector back as label maps (absent labels left out) and values.
func rows(v *Vector) ([]map[string]string, []float64) {
	out := make([]map[string]string, v.Len())
	for i := range out {
		out[i] = map[string]string{}
		for k, name := range v.Labels {
			if s := v.Label(i, k); s != "" {
				out[i][name] = s
			}
		}
	}
	values := make([]float64, v.Len())
	for i := range values {
		values[i] = v.Value(i)
	}
	return out, values
}

// rowsOf is what client_golang decodes, reduced to labels the same way.
func rowsOf(vec model.Vector, labels []string) ([]map[string]string, []float64) {
	out := make([]map[string]string, len(vec))
	values := make([]float64, len(vec))
	for i, s := range vec {
		out[i] = map[string]string{}
		for _, name := range labels {
			if v := s.Metric[model.LabelName(name)]; v != "" {
				out[i][name] = string(v)
			}
		}
		values[i] = float64(s.Value)
	}
	return out, values
}

func TestQueryVectorDecodesWhatClientGolangDecodes(t *testing.T) {
	long := strings.Repeat("x", readBufSize+100) // crosses a buffer refill
	var many strings.Builder                     // fills more than two chunks
	for i := range 2*chunkSeries + 10 {
		if i > 0 {
			many.WriteByte(',')
		}
		fmt.Fprintf(&many, `{"metric":{"kuma_io_service":"s%d","le":"%d"},"value":[1,"%d.5"]}`, i%300, i%7, i)
	}
	tests := []struct {
		name string
		body string
	}{
		{name: "a Prometheus answer", body: `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"envoy_cluster_name":"b","kuma_io_service":"a","le":"+Inf"},"value":[1767268800,"150"]},` +
			`{"metric":{"envoy_cluster_name":"c","kuma_io_service":"a","le":"0.5"},"value":[1767268800.123,"1.5e-3"]}]}}`},
		{name: "labels it does not ask for are skipped, absent ones are empty", body: `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"__name__":"x","zzz":"1","kuma_io_service":"a"},"value":[1,"2"]},{"metric":{},"value":[1,"3"]}]}}`},
		{name: "escaped label values are unescaped", body: `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"kuma_io_service":"pay\"ments\\eu\nwest","envoy_cluster_name":"\u003ch\u00e9\ud83d\ude00\/"},"value":[1,"1"]}]}}`},
		{name: "an escape after plain labels takes the general way for that series only", body: `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"envoy_cluster_name":"b","kuma_io_service":"a\u0041","le":"1"},"value":[1,"2"]},` +
			`{"metric":{"envoy_cluster_name":"b","kuma_io_service":"a","le":"2"},"value":[1,"3"]},` +
			`{"metric":{"envoy_cluster_name":"c"},"value":[1,"0.1"]},{"metric":{"le":"\"","x":"y"},"value":[1,"1234567890123456"]}]}}`},
		{name: "special values", body: `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"le":"1"},"value":[1,"NaN"]},{"metric":{"le":"2"},"value":[1,"+Inf"]},{"metric":{"le":"3"},"value":[1,"-Inf"]},{"metric":{"le":"4"},"value":[1,"-2.5"]}]}}`},
		{name: "VictoriaMetrics' key order and extra fields", body: `{"status":"success","isPartial":false,"data":{"result":[` +
			`{"value":[1767268800,"7"],"metric":{"le":"5","kuma_io_service":"a"}}],"resultType":"vector"},"stats":{"seriesFetched":"3","executionTimeMsec":1}}`},
		{name: "white space anywhere", body: "{ \"status\" : \"success\" ,\n \"data\" : { \"resultType\" : \"vector\" , \"result\" : [ { \"metric\" : { \"le\" : \"9\" } , \"value\" : [ 1 , \"4\" ] } ] } }\n"},
		{name: "strings longer than the read buffer", body: `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"kuma_io_service":"` + long + `","le":"` + long + `\"` + `"},"value":[1,"1"]}]}}`},
		{name: "labels it skips may hold escapes and be longer than the buffer", body: `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"x":"a\"b\\","y":"` + long + `\"` + long + `","kuma_io_service":"s"},"value":[1,"1"]}]}}`},
		{name: "more series than a chunk holds", body: `{"status":"success","data":{"resultType":"vector","result":[` + many.String() + `]}}`},
		{name: "an empty vector", body: `{"status":"success","data":{"resultType":"vector","result":[]}}`},
		{name: "warnings", body: `{"status":"success","warnings":["w1","w2"],"infos":["i"],"data":{"resultType":"vector","result":[]}}`},
	}
	labels := []string{"kuma_io_service", "envoy_cluster_name", "le"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.body))
			})
			c := newClient(t, Config{Address: srv.URL + "/prometheus"})
			want, wantWarnings, err := c.Query(context.Background(), "q", time.Time{})
			require.NoError(t, err)
			got, gotWarnings, err := c.QueryVector(context.Background(), "q", time.Time{}, labels)
			require.NoError(t, err)
			wantRows, wantValues := rowsOf(want, labels)
			gotRows, gotValues := rows(got)
			assert.Equal(t, wantRows, gotRows)
			require.Len(t, gotValues, len(wantValues))
			for i := range wantValues {
				assert.Equal(t, model.SampleValue(wantValues[i]).String(), model.SampleValue(gotValues[i]).String())
			}
			assert.Equal(t, []string(wantWarnings), gotWarnings)
		})
	}
}

func TestQueryVectorSendsTheQueryWithCredentials(t *testing.T) {
	at := time.Date(2026, 1, 2, 12, 0, 0, 500e6, time.UTC)
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/prometheus/api/v1/query", r.URL.Path)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
		require.NoError(t, r.ParseForm())
		assert.Equal(t, "sum(up)", r.PostForm.Get("query"))
		assert.Equal(t, "1767355200.5", r.PostForm.Get("time"))
		_, _ = w.Write([]byte(vectorBody))
	})
	c := newClient(t, Config{Address: srv.URL + "/prometheus/", Token: "tok"})
	v, _, err := c.QueryVector(context.Background(), "sum(up)", at, []string{"mesh"})
	require.NoError(t, err)
	require.Equal(t, 1, v.Len())
	assert.Equal(t, "default", v.Label(0, 0))
	assert.Equal(t, 3.0, v.Value(0))
}

func TestQueryVectorFallsBackToGet(t *testing.T) {
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		assert.Equal(t, "sum(up)", r.URL.Query().Get("query"))
		_, _ = w.Write([]byte(vectorBody))
	})
	v, _, err := newClient(t, Config{Address: srv.URL + "/prometheus"}).QueryVector(context.Background(), "sum(up)", time.Time{}, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, v.Len())
}

func TestQueryVectorErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{name: "a PromQL error", status: 400, body: `{"status":"error","errorType":"bad_data","error":"parse error"}`,
			want: "Prometheus: query failed: bad_data: parse error"},
		{name: "too many samples", status: 422, body: `{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}`,
			want: "Prometheus: query failed: execution: query processing would load too many samples into memory in query execution"},
		{name: "a query timeout is the API's error, not a bare 503", status: 503, body: `{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}`,
			want: "Prometheus: query failed: timeout: query timed out in expression evaluation"},
		{name: "a proxy's HTML page", status: 502, body: `<html>bad gateway</html>`,
			want: "Prometheus: query failed: HTTP 502 Bad Gateway from "},
		{name: "not JSON", status: 200, body: `<html>login</html>`,
			want: "(the response is not Prometheus API JSON: check the Prometheus URL)"},
		{name: "a cut answer", status: 200, body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"val`,
			want: "the answer ends early"},
		{name: "no data", status: 200, body: `{"status":"success"}`,
			want: "the answer has no result (HTTP 200 without data.result)"},
		{name: "a matrix", status: 200, body: `{"status":"success","data":{"resultType":"matrix","result":[]}}`,
			want: `returned a matrix, not a vector`},
		{name: "a label value over 1 MiB", status: 200, body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"mesh":"` + strings.Repeat("x", maxString+readBufSize) + `"},"value":[1,"1"]}]}}`,
			want: "a string longer than 1048576 bytes"},
		{name: "a value that is not a number", status: 200, body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}`,
			want: `sample value "x" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			_, _, err := newClient(t, Config{Address: srv.URL + "/prometheus"}).QueryVector(context.Background(), "sum(up)", time.Time{}, []string{"mesh"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, backend.IsDownstreamError(err), "Prometheus' answers are downstream")
		})
	}
}

func TestQueryVectorStopsAtTheResponseCap(t *testing.T) {
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[`))
		for i := range 1000 {
			if i > 0 {
				_, _ = w.Write([]byte(","))
			}
			_, _ = w.Write([]byte(`{"metric":{"mesh":"default"},"value":[1,"1"]}`))
		}
		_, _ = w.Write([]byte(`]}}`))
	})
	c := newClient(t, Config{Address: srv.URL + "/prometheus", MaxResponseBytes: 4096})
	_, _, err := c.QueryVector(context.Background(), "sum(up)", time.Time{}, []string{"mesh"})
	require.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Contains(t, err.Error(), `Prometheus: query "sum(up)": `)
	assert.True(t, backend.IsDownstreamError(err))
}

// TestSampleValuesParseAsParseFloatDoes checks the decoder's fast path for
// plain decimals against strconv.ParseFloat, bit for bit.
func TestSampleValuesParseAsParseFloatDoes(t *testing.T) {
	values := []string{"0", "1", "150", "0.5", "1.", ".5", "007", "123456789012345", "1234567890123456",
		"0.000000000000001", "99999.9999999999", "0.1", "0.3", "2.675", "1.5e-3", "NaN", "+Inf", "-2.5"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		f := rnd.Float64() * math.Pow(10, float64(rnd.IntN(12)-4))
		values = append(values, strconv.FormatFloat(f, 'f', -1, 64), strconv.FormatFloat(f, 'f', rnd.IntN(8), 64))
	}
	for _, s := range values {
		want, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err, s)
		got, err := parseValue([]byte(s))
		require.NoError(t, err, s)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("%s: got %v, ParseFloat says %v", s, got, want)
		}
	}
}
