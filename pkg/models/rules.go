package models

import (
	"net/url"
	"regexp"
	"strconv"
)

// The rules below are also the config editor's (src/validate.ts), which
// reads LabelNamePattern and HTTPURLPattern from src/generated/models.ts;
// testdata/agreement/*.json holds cases both languages must answer alike.

// LabelNamePattern is Prometheus's label name syntax. Checking the label-name
// settings against it keeps them from changing the PromQL they are put into.
const LabelNamePattern = `^[a-zA-Z_][a-zA-Z0-9_]*$`

// HTTPURLPattern is the shape of a control-plane or Prometheus URL: http or
// https, "//", optional user info, a host name or [IPv6] of plain characters,
// an optional port and no space or bad %-escape. It narrows what Go's
// url.Parse and the browser's URL parser accept to the part where they
// agree (the browser reads "http:host" and "http://host\path" as URLs, Go
// rejects a bad escape in the path but not in the query). The syntax is the
// common subset of RE2 and JavaScript regular expressions.
const HTTPURLPattern = `^[Hh][Tt][Tt][Pp][Ss]?://` +
	`(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?` +
	`(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])` +
	`(?::[0-9]{0,5})?` +
	`(?:[/?#](?:[^% \t\r\n\f\v]|%[0-9A-Fa-f]{2})*)?$`

var (
	labelName = regexp.MustCompile(LabelNamePattern)
	httpURL   = regexp.MustCompile(HTTPURLPattern)
)

// IsLabelName reports whether name is a Prometheus label name.
func IsLabelName(name string) bool { return labelName.MatchString(name) }

// IsHTTPURL reports whether raw is an http or https URL with a host that
// Go's HTTP client can dial: the shape of HTTPURLPattern, a port of at most
// 65535, and what url.Parse accepts.
func IsHTTPURL(raw string) bool {
	if !httpURL.MatchString(raw) {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return false
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n > 65535 {
			return false
		}
	}
	return true
}
