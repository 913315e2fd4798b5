// Package kuma is a small typed client for the read-only parts of the Kuma
// (and Kong Mesh) control-plane HTTP API that the datasource needs, across
// Kuma 2.2 to 2.14. It returns domain structs, not raw API shapes.
package kuma

// Index is the control plane's identity, from GET /.
type Index struct {
	Product    string // "Kuma" or "Kong Mesh"
	Version    string // tag without "v"; "unknown" for builds without release ldflags
	Hostname   string
	InstanceID string
	ClusterID  string
	// BasedOnKuma is set by distributions such as Kong Mesh.
	BasedOnKuma string
}

// Mode is how the control plane runs.
type Mode string

const (
	ModeGlobal     Mode = "global"
	ModeZone       Mode = "zone"
	ModeStandalone Mode = "standalone"
	// ModeUnknown is reported when /config cannot be read (Kong Mesh RBAC).
	ModeUnknown Mode = "unknown"
)

// ControlPlaneInfo is what the health check reports.
type ControlPlaneInfo struct {
	Index
	Mode        Mode
	Environment string // universal | kubernetes
	// Federated is true for a zone CP connected to a global CP.
	Federated bool
}

// MeshServicesMode is Mesh.meshServices.mode (2.9+). Empty means Disabled.
type MeshServicesMode string

const (
	MeshServicesDisabled  MeshServicesMode = "Disabled"
	MeshServicesExclusive MeshServicesMode = "Exclusive"
)

// Mesh is one mesh.
type Mesh struct {
	Name             string
	MTLSBackend      string // enabled mTLS backend, "" without mTLS
	MetricsBackend   string // enabled metrics backend, "" without metrics
	MeshServicesMode MeshServicesMode
}

// Exclusive reports whether services of the mesh exist only as MeshServices
// (service-insights then list only delegated gateways).
func (m Mesh) Exclusive() bool { return m.MeshServicesMode == MeshServicesExclusive }

// Zone is one zone of a multizone deployment, or the single zone of a zone CP.
type Zone struct {
	Name    string
	Enabled bool
	// Online is nil when the control plane does not report it (a zone CP
	// reports its own zone with no insight).
	Online *bool
	// Version is the kuma-cp version of the zone's latest subscription.
	Version     string
	Environment string
}

// ServiceKind says what a service is.
type ServiceKind string

const (
	ServiceInternal             ServiceKind = "internal"
	ServiceGatewayBuiltin       ServiceKind = "gateway_builtin"
	ServiceGatewayDelegated     ServiceKind = "gateway_delegated"
	ServiceExternal             ServiceKind = "external"
	ServiceMeshService          ServiceKind = "mesh_service"
	ServiceMeshExternalService  ServiceKind = "mesh_external_service"
	ServiceMeshMultiZoneService ServiceKind = "mesh_multizone_service"
)

// IsGateway reports whether the kind is a builtin or delegated gateway.
func (k ServiceKind) IsGateway() bool {
	return k == ServiceGatewayBuiltin || k == ServiceGatewayDelegated
}

// Port is a named port of a MeshService-family resource.
type Port struct {
	Name string
	Port int
}

// Service is a service of a mesh: a ServiceInsight item, or a MeshService,
// MeshExternalService or MeshMultiZoneService.
type Service struct {
	Mesh string
	// Name is the kuma.io/service value, or for MeshService-family resources
	// the display name (kuma.io/display-name, falling back to the resource name).
	Name string
	// ResourceName is the stored name (hashed for copies synced across zones).
	ResourceName string
	Kind         ServiceKind
	// Status is online, offline, partially_degraded or not_available; "" when unknown.
	Status      string
	Online      int
	Offline     int
	Total       int
	Zones       []string
	AddressPort string
	// Zone and Namespace are set on MeshService-family resources (labels
	// kuma.io/zone and k8s.kuma.io/namespace); they are part of Envoy cluster names.
	Zone      string
	Namespace string
	Ports     []Port
	// KRI is the resource identifier the CP reports (2.13+), e.g.
	// kri_msvc_modern_zone-1__api_; "" for service insights.
	KRI string
	// Labels are the resource's labels (MeshService family only).
	Labels map[string]string
	// SelectorTags are a MeshService's spec.selector.dataplaneTags: the
	// inbound tags of the proxies it selects (kuma.io/service on universal).
	SelectorTags map[string]string
	// ServiceTags are the kuma.io/service values of a MeshService's
	// spec.identities of type ServiceTag (2.12+).
	ServiceTags []string
	// MeshServiceLabels are a MeshMultiZoneService's
	// spec.selector.meshService.matchLabels: the MeshServices it aggregates.
	MeshServiceLabels map[string]string
}

// Dataplane is one data plane proxy with its insight.
type Dataplane struct {
	Mesh string
	Name string
	// DisplayName is kuma.io/display-name when set (synced copies have hashed names).
	DisplayName string
	Zone        string
	Address     string
	// Services are the kuma.io/service values of the inbounds or the gateway, sorted.
	Services []string
	// Gateway is "builtin", "delegated" or "" for a sidecar.
	Gateway string
	// Online is true while the proxy holds an xDS stream to a CP.
	Online bool
	// Status is online, offline or partially_degraded.
	Status        string
	KumaDPVersion string
	EnvoyVersion  string
}

// Listener is a MeshGateway listener.
type Listener struct {
	Hostname string
	Port     int
	Protocol string
}

// MeshGateway is a builtin gateway resource.
type MeshGateway struct {
	Mesh string
	Name string
	// Zone is the kuma.io/zone of a MeshGateway created in a zone; "" for
	// one created on the global CP (or a standalone one).
	Zone string
	// Services are the kuma.io/service values its selectors match.
	Services  []string
	Listeners []Listener
}
