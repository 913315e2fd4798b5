// Package urlscope tells whether a URL stays under a configured base URL,
// the only place the plugin sends credentials to and takes answers from.
package urlscope

import (
	"net/url"
	"strings"
)

// Under reports whether u has base's scheme and host and a path at or below
// base's path. A trailing "/" on base's path does not matter, and an empty
// base path admits every path on the host. The path is compared escaped, so
// "/a%2Fb" is not under "/a".
func Under(base, u *url.URL) bool {
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return false
	}
	prefix := strings.TrimRight(base.EscapedPath(), "/")
	p := u.EscapedPath()
	return prefix == "" || p == prefix || strings.HasPrefix(p, prefix+"/")
}
