package prometheus

import "strings"

var labelValueEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// EscapeLabelValue escapes s for use inside a double-quoted PromQL string,
// such as the value of a label matcher, {mesh="<here>"}, or of a regex
// matcher, {kuma_io_zone=~"<here>"}, so that a name cannot end the string
// and change the query.
func EscapeLabelValue(s string) string { return labelValueEscaper.Replace(s) }
