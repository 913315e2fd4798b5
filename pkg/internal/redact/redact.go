// Package redact keeps credentials out of every text the plugin shows or
// logs: URLs lose their user info and query values, and the configured
// secrets are replaced wherever an upstream echoes them.
package redact

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Mask replaces a secret or a redacted URL part.
const Mask = "xxxxx"

// URL returns raw without user info, query values or fragment, for messages.
// A URL that does not parse is not shown at all: url.Parse's own error
// quotes it, password included.
func URL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "(an unparsable URL)"
	}
	return Parsed(u)
}

// Parsed is URL for a parsed URL.
func Parsed(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(Mask)
	}
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			q[k] = []string{Mask}
		}
		c.RawQuery = q.Encode()
	}
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

// authValue matches credentials a proxy may echo from request headers.
// Twelve characters at least, so that prose such as "basic auth user" stays.
var authValue = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{12,}`)

// Scrubber replaces configured secrets in text. The zero value scrubs only
// Authorization-style values. It is safe for concurrent use.
type Scrubber struct {
	r *strings.Replacer
}

// NewScrubber returns a Scrubber for the secrets (empty ones are ignored).
// Each secret is also scrubbed in its base64 forms, as basic auth sends it,
// and a PEM key line by line.
func NewScrubber(secrets ...string) Scrubber {
	set := map[string]bool{}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			set[s] = true
		}
	}
	for _, s := range secrets {
		add(s)
		add(base64.StdEncoding.EncodeToString([]byte(s)))
		if strings.Contains(s, "\n") {
			for line := range strings.SplitSeq(s, "\n") {
				if len(strings.TrimSpace(line)) >= 16 {
					add(line)
				}
			}
		}
	}
	if len(set) == 0 {
		return Scrubber{}
	}
	// Longest first, so a secret that contains another goes whole.
	list := make([]string, 0, len(set))
	for s := range set {
		list = append(list, s)
	}
	sort.Slice(list, func(i, j int) bool {
		return len(list[i]) > len(list[j]) || len(list[i]) == len(list[j]) && list[i] < list[j]
	})
	pairs := make([]string, 0, 2*len(list))
	for _, s := range list {
		pairs = append(pairs, s, Mask)
	}
	return Scrubber{r: strings.NewReplacer(pairs...)}
}

// BasicAuth returns the user:password pair basic auth encodes, so a
// Scrubber can catch the header a proxy echoes.
func BasicAuth(user, password string) string {
	if user == "" && password == "" {
		return ""
	}
	return user + ":" + password
}

// String returns text with every secret and Authorization value masked.
func (s Scrubber) String(text string) string {
	if s.r != nil {
		text = s.r.Replace(text)
	}
	return authValue.ReplaceAllString(text, "$1 "+Mask)
}

// Error returns err with its message scrubbed, or nil.
func (s Scrubber) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := s.String(msg); clean != msg {
		return &scrubbed{msg: clean, err: err}
	}
	return err
}

// scrubbed keeps the chain of the original error for errors.Is/As while
// showing only the scrubbed message.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
