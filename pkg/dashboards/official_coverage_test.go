package dashboards

import (
	"encoding/json"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// officialFamilies is testdata/official-families.json: per official Kuma
// dashboard, the metric families its panels read.
type officialFamilies struct {
	Source     string `json:"source"`
	Dashboards []struct {
		Title    string   `json:"title"`
		Path     string   `json:"path"`
		Commit   string   `json:"commit"`
		Families []string `json:"families"`
	} `json:"dashboards"`
}

// minOfficialCoverage is the share (percent) of each official dashboard's
// families that our dashboards must read: what they read today, so coverage
// only goes up. The goal is at least 80 for each.
var minOfficialCoverage = map[string]float64{
	"Control Plane":   100,
	"Mesh Drilldown":  100,
	"Workload Health": 100,
	"Workload Debug":  98,
	"Zone Ingress":    100,
	"Zone Egress":     100,
}

// family names a metric family: a histogram's or summary's series share it.
func family(name string) string {
	for _, s := range []string{"_bucket", "_sum", "_count"} {
		if before, ok := strings.CutSuffix(name, s); ok {
			return before
		}
	}
	return name
}

// readFamilies are the metric families our dashboards read: by name, or
// through a regular expression on __name__ (kuma-cp's KDS metrics, renamed
// kds_delta_* in Kuma 2.5, are read as kds_(delta_)?...).
type readFamilies struct {
	names   map[string]bool
	regexes []*labels.Matcher
}

// ourFamilies collects the metric families every PromQL expression of our
// dashboards (panels and label_values variables) reads.
func ourFamilies(t *testing.T) readFamilies {
	t.Helper()
	read := readFamilies{names: map[string]bool{}}
	for _, s := range All() {
		for _, e := range promExprs(t, s.UID) {
			ast, err := promParser.ParseExpr(substitute(e.expr))
			require.NoError(t, err, "%s %s", s.UID, e.where)
			parser.Inspect(ast, func(n parser.Node, _ []parser.Node) error {
				vs, ok := n.(*parser.VectorSelector)
				if !ok {
					return nil
				}
				name := vs.Name
				for _, m := range vs.LabelMatchers {
					switch {
					case m.Name != model.MetricNameLabel:
					case m.Type == labels.MatchEqual:
						name = m.Value
					case m.Type == labels.MatchRegexp:
						read.regexes = append(read.regexes, m)
					}
				}
				if name != "" {
					read.names[family(name)] = true
				}
				return nil
			})
		}
	}
	return read
}

// exportedAs maps official names that no scrape stores to the name a
// scrape does store: the Mesh Drilldown reads the status-class counter with
// a "_total" suffix that Envoy's Prometheus output never adds, and the
// Control Plane kds_delta_generation_errors_total, which kuma-cp 2.13 and
// 2.14 serve as kds_delta_generation_errors (text format, no OpenMetrics:
// docs/kuma-cp-metrics.md).
var exportedAs = map[string]string{
	"envoy_http_downstream_rq_xx_total": "envoy_http_downstream_rq_xx",
	"kds_delta_generation_errors_total": "kds_delta_generation_errors",
}

// covers says whether we read an official family.
func covers(read readFamilies, official string) bool {
	f := family(official)
	if e, ok := exportedAs[f]; ok {
		f = e
	}
	if read.names[f] {
		return true
	}
	for _, m := range read.regexes {
		if slices.ContainsFunc([]string{f, f + "_bucket", f + "_sum", f + "_count"}, m.Matches) {
			return true
		}
	}
	return false
}

func TestOfficialDashboardFamiliesCoverage(t *testing.T) {
	raw, err := os.ReadFile("testdata/official-families.json")
	require.NoError(t, err)
	var off officialFamilies
	require.NoError(t, json.Unmarshal(raw, &off))
	require.Len(t, off.Dashboards, len(minOfficialCoverage))
	read := ourFamilies(t)
	for _, d := range off.Dashboards {
		var missing []string
		for _, f := range d.Families {
			if !covers(read, f) {
				missing = append(missing, f)
			}
		}
		sort.Strings(missing)
		got := 100 * float64(len(d.Families)-len(missing)) / float64(len(d.Families))
		t.Logf("%-15s %2d/%2d families = %5.1f%% (%s@%.8s); not read: %s", d.Title,
			len(d.Families)-len(missing), len(d.Families), got, d.Path, d.Commit, strings.Join(missing, " "))
		min, ok := minOfficialCoverage[d.Title]
		require.True(t, ok, "no threshold for %q", d.Title)
		assert.GreaterOrEqual(t, got, min, "%s: coverage fell below the recorded %.0f%%", d.Title, min)
	}
}

func TestFamilyJoinsHistogramSeries(t *testing.T) {
	assert.Equal(t, "xds_generation", family("xds_generation_bucket"))
	assert.Equal(t, "xds_generation", family("xds_generation_count"))
	assert.Equal(t, "envoy_cluster_upstream_rq_total", family("envoy_cluster_upstream_rq_total"))
	names := func(n ...string) readFamilies {
		r := readFamilies{names: map[string]bool{}}
		for _, s := range n {
			r.names[s] = true
		}
		return r
	}
	assert.True(t, covers(names("envoy_http_downstream_rq_xx"), "envoy_http_downstream_rq_xx_total"))
	assert.False(t, covers(names("envoy_http_downstream_rq"), "envoy_http_downstream_rq_total"))
	re := names()
	re.regexes = append(re.regexes, labels.MustNewMatcher(labels.MatchRegexp, model.MetricNameLabel, "kds_(delta_)?generation_count"))
	assert.True(t, covers(re, "kds_delta_generation"))
	assert.False(t, covers(re, "kds_delta_generation_errors"))
}
