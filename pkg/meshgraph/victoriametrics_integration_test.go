//go:build integration

package meshgraph

import "testing"

// The mesh graph against VictoriaMetrics, the Prometheus-compatible engine
// users move to past one Prometheus, loaded with the same envoysim data and
// held to the same truth.

func TestVictoriaMetricsEdgesMatchTheTruth(t *testing.T) {
	for _, version := range []string{"2.14.3", "2.2.9"} {
		t.Run(version, func(t *testing.T) {
			assertDemoMatchesTheTruth(t, buildOn(t, realVictoriaMetrics, version, Options{}))
		})
	}
}

func TestVictoriaMetricsZoneFilter(t *testing.T) { testZoneFilter(t, realVictoriaMetrics) }

func TestVictoriaMetricsRollup(t *testing.T) { testRollup(t, realVictoriaMetrics) }

func TestVictoriaMetricsMeshServiceModesMatchTheTruth(t *testing.T) {
	testMeshServiceModes(t, realVictoriaMetrics)
}
