package meshgraph

import (
	"context"
	"regexp"
	"sort"
	"strings"
)

// splitSuffixPattern matches what stripSplitSuffix removes: the -<16 hex>
// of clusters split by tags and the -_<n>_ of 2.2–2.4 TrafficRoute splits.
const splitSuffixPattern = `(?:-[0-9a-f]{16}|-_[0-9]+_)?`

// ClusterPattern returns an RE2 pattern, anchored by Prometheus's =~, that
// matches every envoy_cluster_name the service map maps to the service
// named name: its own and sanitized name, MeshService-family names and
// KRIs, names kuma-dp 2.2–2.4 truncated, each with or without a split
// suffix. name may be a service or one of its cluster names. A name the
// control plane does not know matches itself.
func ClusterPattern(ctx context.Context, cp ControlPlane, mesh, name string) (string, error) {
	c, err := fetchCatalog(ctx, cp, mesh)
	if err != nil {
		return "", err
	}
	return c.names.clusterPattern(name), nil
}

// clusterPattern is ClusterPattern over the resolver's lookups: the names
// whose lookup gives the target, found by inverting each map.
func (r *resolver) clusterPattern(name string) string {
	// A node id such as "api (zone-2)", or the display name its copies
	// share ("api", what node links pass), stands for those nodes.
	targets := r.copies[name]
	if r.isTarget[name] {
		targets = []string{name}
	}
	if len(targets) == 0 {
		target, ok := r.cluster(name)
		if !ok {
			return regexp.QuoteMeta(sanitize(target)) + splitSuffixPattern
		}
		targets = []string{target}
	}
	set := map[string]bool{}
	for _, target := range targets {
		r.addPatterns(set, target)
	}
	alts := make([]string, 0, len(set))
	for a := range set {
		alts = append(alts, a)
	}
	sort.Strings(alts)
	return "(?:" + strings.Join(alts, "|") + ")" + splitSuffixPattern
}

// addPatterns adds to set the patterns of the cluster names of target.
func (r *resolver) addPatterns(set map[string]bool, target string) {
	for _, m := range []map[string]string{r.bySanitized, r.meshServices} {
		for k, t := range m {
			if t == target {
				set[regexp.QuoteMeta(k)] = true
			}
		}
	}
	for prefix, ts := range r.truncated {
		if len(ts) == 1 && ts[0] == target {
			set[regexp.QuoteMeta(prefix)] = true
		}
	}
	// KRIs whose section the MeshService list did not predict, as cluster
	// looks them up: by zone, namespace and name first, so one zone's copy
	// matches only its own zone's KRIs; by name alone only when no other
	// copy has that name.
	claimed := map[string]bool{}
	for k, t := range r.byIdentity {
		zone, rest, _ := strings.Cut(k, "\x00")
		namespace, name, _ := strings.Cut(rest, "\x00")
		if t == target {
			set[`kri_(?:msvc|extsvc|mzsvc)_[^_]*_`+regexp.QuoteMeta(zone)+`_`+regexp.QuoteMeta(namespace)+`_`+regexp.QuoteMeta(name)+`_[^_]+`] = true
		} else {
			claimed[name] = true
		}
	}
	for n, t := range r.byKRIName {
		if t == target && !claimed[n] {
			set[`kri_(?:msvc|extsvc|mzsvc)_[^_]*_[^_]*_[^_]*_`+regexp.QuoteMeta(n)+`_[^_]+`] = true
		}
	}
}
