package prometheus

import (
	"regexp"
	"strings"
)

var labelValueEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// EscapeLabelValue escapes s for use inside a double-quoted PromQL string,
// such as the value of a label matcher: {mesh="<here>"}.
func EscapeLabelValue(s string) string { return labelValueEscaper.Replace(s) }

// QuoteRegex returns a regular expression matching s literally, escaped for
// a double-quoted =~ matcher: {kuma_io_service=~"<here>"}. PromQL anchors
// regex matchers, so it matches s exactly.
func QuoteRegex(s string) string { return EscapeLabelValue(regexp.QuoteMeta(s)) }
