//go:build repocheck

package plugin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

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

// TestREADMEShowsTheProvisionedDatasources keeps the README's provisioning
// example the file the demo stack uses, comments aside.
func TestREADMEShowsTheProvisionedDatasources(t *testing.T) {
	root, err := repo.Root()
	require.NoError(t, err)
	file, err := os.ReadFile(filepath.Join(root, "provisioning", "datasources", "kuma.yml"))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Provisioning\n")
	require.True(t, ok, "README.md needs a Provisioning section")
	_, block, ok := strings.Cut(section, "```yaml\n")
	require.True(t, ok, "the Provisioning section needs a yaml example")
	block, _, _ = strings.Cut(block, "```")

	var shown, provisioned any
	require.NoError(t, yaml.Unmarshal([]byte(block), &shown))
	require.NoError(t, yaml.Unmarshal(file, &provisioned))
	assert.Equal(t, provisioned, shown, "README's provisioning example differs from provisioning/datasources/kuma.yml")
}
