package meshgraph

import (
	"slices"
	"strconv"
	"strings"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// resolver maps envoy_cluster_name values and source labels to service
// names (docs/kuma-api.md §7, docs/kuma-naming.md). All lookups are map hits, so a
// Build over thousands of services stays linear.
type resolver struct {
	// bySanitized maps sanitize(name) to the name, for every known service.
	bySanitized map[string]string
	// meshServices maps the legacy (<mesh>_<name>_<ns>_<zone>_msvc_<port>)
	// and KRI cluster names of MeshService-family resources to their names.
	meshServices map[string]string
	// truncated maps what kuma-dp 2.2–2.4 left of a name ending in
	// -<hex> to the names it may come from.
	truncated map[string][]string
	// byKRIName maps the name slot of a KRI to the service, for KRIs the
	// MeshService list did not predict (an unlisted port name); byIdentity
	// does the same by zone, namespace and name, which tells copies apart.
	byKRIName  map[string]string
	byIdentity map[string]string
	// callers maps the kuma.io/service a caller's proxy is scraped with,
	// and its zone, to the MeshService node it belongs to (Exclusive
	// meshes); callersAnyZone lists the nodes of a tag over all zones.
	callers        map[callerKey]string
	callersAnyZone map[string][]string
	// workloads maps a kuma.io/workload and zone to the node of the
	// services its proxies back (filled only when metrics need it).
	workloads        map[callerKey]string
	workloadsAnyZone map[string][]string
	// copies maps a display name to the nodes of its MeshService-family
	// resources, and isTarget holds every such node id.
	copies   map[string][]string
	isTarget map[string]bool
}

// callerKey is a proxy's kuma_io_service and kuma_io_zone labels.
type callerKey struct{ tag, zone string }

func newResolver() *resolver {
	return &resolver{
		bySanitized:      map[string]string{},
		meshServices:     map[string]string{},
		truncated:        map[string][]string{},
		byKRIName:        map[string]string{},
		byIdentity:       map[string]string{},
		callers:          map[callerKey]string{},
		callersAnyZone:   map[string][]string{},
		workloads:        map[callerKey]string{},
		workloadsAnyZone: map[string][]string{},
		copies:           map[string][]string{},
		isTarget:         map[string]bool{},
	}
}

// identity is the lookup key of a MeshService-family resource by the slots
// its cluster names carry.
func identity(zone, namespace, name string) string {
	return zone + "\x00" + namespace + "\x00" + name
}

// addService registers a service-insight (or gateway) name.
func (r *resolver) addService(name, target string) {
	key := sanitize(name)
	if _, ok := r.bySanitized[key]; !ok {
		r.bySanitized[key] = target
	}
}

// addMeshService registers the cluster names Envoy uses for s: the legacy
// name with and without its zone (local copies leave the zone empty) and
// the KRI with the port's name and number as section. byName also maps the
// bare display name, which only a service without copies may claim.
func (r *resolver) addMeshService(mesh string, s kuma.Service, target string, byName bool) {
	kind, ok := kindToken[s.Kind]
	if !ok {
		return
	}
	names := []string{s.Name}
	if s.ResourceName != "" && s.ResourceName != s.Name {
		names = append(names, s.ResourceName)
	}
	set := func(k string) {
		k = sanitize(k)
		if _, ok := r.meshServices[k]; !ok {
			r.meshServices[k] = target
		}
	}
	for _, name := range names {
		if _, ok := r.byKRIName[name]; !ok {
			r.byKRIName[name] = target
		}
		if k := identity(s.Zone, s.Namespace, name); r.byIdentity[k] == "" {
			r.byIdentity[k] = target
		}
		for _, p := range s.Ports {
			port := strconv.Itoa(p.Port)
			for _, zone := range []string{s.Zone, ""} {
				set(strings.Join([]string{mesh, name, s.Namespace, zone, kind, port}, "_"))
			}
			for _, section := range []string{p.Name, port} {
				if section != "" {
					set(strings.Join([]string{"kri", kind, mesh, s.Zone, s.Namespace, name, section}, "_"))
				}
			}
		}
	}
	if byName {
		r.addService(s.Name, target)
	}
	if !slices.Contains(r.copies[s.Name], target) {
		r.copies[s.Name] = append(r.copies[s.Name], target)
	}
	r.isTarget[target] = true
}

// addCaller registers the kuma.io/service values of the proxies that a
// MeshService selects, in its zone: the selector's and identities' tag on
// universal, <name>_<namespace>_svc_<port> on Kubernetes.
func (r *resolver) addCaller(s kuma.Service, target string) {
	if s.Kind != kuma.ServiceMeshService {
		return
	}
	tags := append([]string(nil), s.ServiceTags...)
	if t := s.SelectorTags[serviceTag]; t != "" {
		tags = append(tags, t)
	}
	if s.Namespace != "" {
		for _, p := range s.Ports {
			tags = append(tags, s.Name+"_"+s.Namespace+"_svc_"+strconv.Itoa(p.Port))
		}
	}
	for _, tag := range tags {
		tag = sanitize(tag)
		k := callerKey{tag, s.Zone}
		if _, ok := r.callers[k]; !ok {
			r.callers[k] = target
		}
		if !slices.Contains(r.callersAnyZone[tag], target) {
			r.callersAnyZone[tag] = append(r.callersAnyZone[tag], target)
		}
	}
}

// workload maps a kuma_workload label and zone to a node.
func (r *resolver) workload(name, zone string) (string, bool) {
	if t, ok := r.workloads[callerKey{name, zone}]; ok {
		return t, true
	}
	if ts := r.workloadsAnyZone[name]; len(ts) == 1 {
		return ts[0], true
	}
	return name, false
}

// addWorkload registers the node of a proxy's workload in its zone.
func (r *resolver) addWorkload(workload, zone, target string) {
	k := callerKey{workload, zone}
	if t, ok := r.workloads[k]; !ok || target < t {
		r.workloads[k] = target
	}
	if !slices.Contains(r.workloadsAnyZone[workload], target) {
		r.workloadsAnyZone[workload] = append(r.workloadsAnyZone[workload], target)
	}
}

// serviceTag is the tag that names a legacy service.
const serviceTag = "kuma.io/service"

// kindToken is the kind part of MeshService-family cluster names.
var kindToken = map[kuma.ServiceKind]string{
	kuma.ServiceMeshService:          "msvc",
	kuma.ServiceMeshExternalService:  "extsvc",
	kuma.ServiceMeshMultiZoneService: "mzsvc",
}

// finish builds the truncation lookup once every name is known.
func (r *resolver) finish() {
	for key, target := range r.bySanitized {
		if prefix, ok := cutHexSuffix(key, 1); ok {
			r.truncated[prefix] = append(r.truncated[prefix], target)
		}
	}
}

// cluster maps an envoy_cluster_name to a service name. It returns the
// name with split suffixes stripped and false when nothing matches.
func (r *resolver) cluster(name string) (string, bool) {
	name = stripSplitSuffix(name)
	if rest, ok := strings.CutPrefix(name, "kri_"); ok && hasMeshServiceKind(rest) {
		if t, ok := r.meshServices[name]; ok {
			return t, true
		}
		// kri_<kind>_<mesh>_<zone>_<ns>_<name>_<section>: Kuma names are
		// RFC 1123, so six "_"-separated slots after "kri" are unambiguous.
		if parts := strings.Split(rest, "_"); len(parts) == 6 {
			if t, ok := r.byIdentity[identity(parts[2], parts[3], parts[4])]; ok {
				return t, true
			}
			if t, ok := r.byKRIName[parts[4]]; ok {
				return t, true
			}
		}
		return name, false
	}
	if t, ok := r.meshServices[name]; ok {
		return t, true
	}
	// <mesh>_<name>_<ns>_<zone>_<kind>_<port> with a port the list did not
	// predict.
	if parts := strings.Split(name, "_"); len(parts) == 6 && kindOf[parts[4]] && isDigits(parts[5]) {
		if t, ok := r.byIdentity[identity(parts[3], parts[2], parts[1])]; ok {
			return t, true
		}
	}
	if t, ok := r.bySanitized[name]; ok {
		return t, true
	}
	// kuma-dp 2.2–2.4 cut any -<hex> suffix off cluster names (redis-0 →
	// redis); accept it only when one known service could have been cut.
	if ts := r.truncated[name]; len(ts) == 1 {
		return ts[0], true
	}
	return name, false
}

// source maps the kuma_io_service and kuma_io_zone labels of a caller's
// proxy to the node it belongs to: the MeshService of its zone that selects
// it, a service of that name, the only MeshService of that tag in any zone,
// or for a Kubernetes tag the MeshService of that name and namespace.
func (r *resolver) source(label, zone string) (string, bool) {
	tag := sanitize(label)
	if t, ok := r.callers[callerKey{tag, zone}]; ok {
		return t, true
	}
	if t, ok := r.bySanitized[tag]; ok {
		return t, true
	}
	if ts := r.callersAnyZone[tag]; len(ts) == 1 {
		return ts[0], true
	}
	if name, ns, _, ok := kubernetesServiceTag(label); ok {
		if t, ok := r.byIdentity[identity(zone, ns, name)]; ok {
			return t, true
		}
	}
	return label, false
}

// kindOf holds the kind tokens of MeshService-family cluster names.
var kindOf = map[string]bool{"msvc": true, "extsvc": true, "mzsvc": true}

func hasMeshServiceKind(s string) bool {
	return strings.HasPrefix(s, "msvc_") || strings.HasPrefix(s, "extsvc_") || strings.HasPrefix(s, "mzsvc_")
}

// stripSplitSuffix removes the -<16 hex> suffix of clusters split by tags
// (merged by kuma-dp 2.5+, but not on the MeshMetric path) and the -_<n>_
// suffix of 2.2–2.4 TrafficRoute splits.
func stripSplitSuffix(name string) string {
	if prefix, ok := cutHexSuffix(name, 16); ok && len(name)-len(prefix) == 17 && isLowerHex(name[len(prefix)+1:]) {
		return prefix
	}
	if strings.HasSuffix(name, "_") {
		if i := strings.LastIndex(name[:len(name)-1], "-_"); i > 0 && isDigits(name[i+2:len(name)-1]) {
			return name[:i]
		}
	}
	return name
}

// cutHexSuffix cuts a final "-<hex>" of at least minLen hex digits, like
// kuma-dp's greedy (.*)-[[:xdigit:]]+$.
func cutHexSuffix(name string, minLen int) (string, bool) {
	i := strings.LastIndexByte(name, '-')
	if i <= 0 || len(name)-i-1 < minLen {
		return name, false
	}
	for _, c := range []byte(name[i+1:]) {
		if !isHexDigit(c) {
			return name, false
		}
	}
	return name[:i], true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isLowerHex(s string) bool {
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// sanitize is Kuma's SanitizeMetric: every character outside
// [a-zA-Z0-9_-] becomes "_", as in envoy_cluster_name and HCM stat
// prefixes. strings.Map returns s itself when nothing changes.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, s)
}
