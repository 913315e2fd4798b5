package plugin

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

func TestCompileNameFilter(t *testing.T) {
	tests := []struct {
		expr         string
		match, other []string
		all          bool
	}{
		{expr: "", all: true},
		{expr: ".*", all: true},
		{expr: "$__all", all: true},
		{expr: "zone-1", match: []string{"zone-1"}, other: []string{"zone-10", "xzone-1"}},
		{expr: "(zone-1|zone-2)", match: []string{"zone-1", "zone-2"}, other: []string{"zone-3"}},
	}
	for _, tt := range tests {
		re, err := compileNameFilter(tt.expr, models.ErrInvalidZoneRegEx)
		require.NoError(t, err, tt.expr)
		if tt.all {
			assert.Nil(t, re, tt.expr)
			continue
		}
		for _, m := range tt.match {
			assert.True(t, re.MatchString(m), "%s should match %s", tt.expr, m)
		}
		for _, o := range tt.other {
			assert.False(t, re.MatchString(o), "%s should not match %s", tt.expr, o)
		}
	}
	_, err := compileNameFilter("(", models.ErrInvalidZoneRegEx)
	assert.ErrorIs(t, err, models.ErrInvalidZoneRegEx)
	re, err := compileNameFilter("svc(", nil)
	require.NoError(t, err, "a service name that is no regex is matched literally")
	assert.True(t, re.MatchString("svc("))

	_, err = compileNameFilter("x)|(.*", models.ErrInvalidZoneRegEx)
	assert.ErrorIs(t, err, models.ErrInvalidZoneRegEx, "a value cannot close the anchoring group")
	re, err = compileNameFilter("x)|(.*", nil)
	require.NoError(t, err)
	assert.False(t, re.MatchString("anything"), "matched literally, not as a match-all")
	_, err = compileNameFilter("a\xffÿ", nil)
	assert.ErrorIs(t, err, models.ErrInvalidServiceFilter, "invalid UTF-8 is an error, not a panic")
	assert.ErrorIs(t, err, models.ErrUser)
}
