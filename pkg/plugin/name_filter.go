package plugin

import (
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// compileNameFilter turns a name or regex (as a multi-value variable
// interpolates it) into a regex that must match a whole name; "" and
// match-all values give nil. The value is parsed on its own first, so that
// one such as `x)|(.*` cannot close the anchoring group around it. A value
// that is not a valid regex is matched literally when invalidErr is nil, and
// is that (user) error otherwise.
func compileNameFilter(expr string, invalidErr error) (*regexp.Regexp, error) {
	switch expr {
	case "", ".*", ".+", "$__all", "All":
		return nil, nil
	}
	if !utf8.ValidString(expr) {
		if invalidErr == nil {
			invalidErr = models.ErrInvalidServiceFilter
		}
		return nil, fmt.Errorf("%w: it is not valid UTF-8", invalidErr)
	}
	if _, err := regexp.Compile(expr); err != nil {
		if invalidErr == nil {
			return regexp.Compile("^" + regexp.QuoteMeta(expr) + "$")
		}
		return nil, models.Because(invalidErr, err)
	}
	return regexp.Compile("^(?:" + expr + ")$")
}

// anyMatch reports whether re matches one of values.
func anyMatch(re *regexp.Regexp, values ...string) bool {
	return slices.ContainsFunc(values, re.MatchString)
}
