package models

import (
	"regexp"
	"strings"
)

// zoneList matches a zone filter that is only names joined by "|",
// optionally in parentheses: what src/interpolate.ts (regexFormat) writes for
// one or several zones of a template variable, with "." escaped or not.
var zoneList = regexp.MustCompile(`^\(?((?:[A-Za-z0-9_-]|\\?\.)+(?:\|(?:[A-Za-z0-9_-]|\\?\.)+)*)\)?$`)

// ZoneNames returns the zone names a zone filter lists, for data links and
// for narrowing PromQL; nil means the filter is empty, All (".*") or a
// pattern that is not a plain list of names.
func ZoneNames(filter string) []string {
	m := zoneList.FindStringSubmatch(filter)
	if m == nil {
		return nil
	}
	return strings.Split(strings.ReplaceAll(m[1], `\.`, "."), "|")
}
