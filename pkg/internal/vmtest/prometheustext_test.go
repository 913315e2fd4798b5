package vmtest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrometheusText(t *testing.T) {
	got, span, err := PrometheusText([]byte("# HELP x X.\n# TYPE x counter\nx_total{a=\"b c\"} 1.5 1767355200.25\nx_total 2 1767355201\n# EOF\n"))
	require.NoError(t, err)
	assert.Equal(t, "x_total{a=\"b c\"} 1.5 1767355200250\nx_total 2 1767355201000\n", string(got))
	assert.Equal(t, [2]int64{1767355200250, 1767355201000}, span)

	for in, want := range map[string]string{
		"x 1 1\n":                 "# EOF",
		"x 1\n# EOF\n":            "line 1: a sample without a timestamp",
		"x 1 now\n# EOF\n":        "line 1: timestamp",
		"# TYPE x gauge\n# EOF\n": "no samples",
	} {
		_, _, err = PrometheusText([]byte(in))
		assert.ErrorContains(t, err, want, in)
	}
}
