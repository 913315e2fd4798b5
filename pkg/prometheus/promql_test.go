package prometheus

import (
	"regexp"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var awkward = []string{
	"backend",
	"backend_kuma-demo_svc_3001",
	`say "hi"`,
	`C:\path\n`,
	"two\nlines",
	"a.b*c+(d)|[e]{2}^$?",
	"ünïcode",
}

// TestEscapedValuesParseBack checks the helpers with Prometheus's own PromQL
// parser: the escaped value must parse back to exactly the input.
func TestEscapedValuesParseBack(t *testing.T) {
	p := parser.NewParser(parser.Options{})
	for _, s := range awkward {
		t.Run(s, func(t *testing.T) {
			ms, err := p.ParseMetricSelector(`{l="` + EscapeLabelValue(s) + `",r=~"` + EscapeLabelValue(regexp.QuoteMeta(s)) + `"}`)
			require.NoError(t, err)
			require.Len(t, ms, 2)
			assert.Equal(t, labels.MatchEqual, ms[0].Type)
			assert.Equal(t, s, ms[0].Value)
			assert.True(t, ms[1].Matches(s), "the regex matches the value")
			assert.False(t, ms[1].Matches(s+"x"), "the regex matches nothing longer")
			assert.False(t, ms[1].Matches("x"+s), "the regex matches nothing longer")
			assert.Equal(t, regexp.QuoteMeta(s), ms[1].Value)
		})
	}
}
