//go:build repocheck

package plugin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

// TestREADMEShowsTheExampleAlertRules keeps the README's rules the ones
// the e2e test evaluates (TestExampleAlertRulesEvaluate).
func TestREADMEShowsTheExampleAlertRules(t *testing.T) {
	root, err := repo.Root()
	require.NoError(t, err)
	rules, err := os.ReadFile(filepath.Join(root, "examples", "alerting", "kuma-rules.yml"))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "```yaml\n"+string(rules)+"```", "README's rules differ from examples/alerting/kuma-rules.yml")
}

func TestEveryHealthMessageHasATroubleshootingHeading(t *testing.T) {
	root, err := repo.Root()
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	for _, msg := range healthMessages {
		assert.Contains(t, string(readme), "\n### "+msg+"\n", "README.md needs the heading %q", msg)
	}
}
