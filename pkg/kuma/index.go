package kuma

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

type apiIndex struct {
	Product     string  `json:"product"`
	Version     string  `json:"version"`
	Hostname    string  `json:"hostname"`
	InstanceID  string  `json:"instanceId"`
	ClusterID   string  `json:"clusterId"`
	BasedOnKuma string  `json:"basedOnKuma"`
	GUI         *string `json:"gui"` // 2.9+ always; "" on a federated zone
}

type apiConfig struct {
	Mode        Mode   `json:"mode"`
	Environment string `json:"environment"`
	Multizone   struct {
		Zone struct {
			Name          string `json:"name"`
			GlobalAddress string `json:"globalAddress"`
		} `json:"zone"`
	} `json:"multizone"`
}

// index reads GET /, which Kuma serves without authentication.
func (c *Client) index(ctx context.Context) (apiIndex, error) {
	var idx apiIndex
	err := c.get(ctx, "/", nil, &idx)
	return idx, err
}

func (a apiIndex) toIndex() Index {
	return Index{
		Product: a.Product, Version: a.Version, Hostname: a.Hostname,
		InstanceID: a.InstanceID, ClusterID: a.ClusterID, BasedOnKuma: a.BasedOnKuma,
	}
}

// Info reads GET / and GET /config. GET / is public in Kuma, so /config is
// what proves the token: a 401 there is an error. When /config is forbidden
// (Kong Mesh RBAC or a custom access config) Info checks that the meshes,
// which every query reads, are not forbidden too, then guesses the mode
// from other endpoints, reporting ModeUnknown when they do not tell.
func (c *Client) Info(ctx context.Context) (ControlPlaneInfo, error) {
	idx, err := c.index(ctx)
	if err != nil {
		return ControlPlaneInfo{}, err
	}
	info := ControlPlaneInfo{Index: idx.toIndex()}
	var cfg apiConfig
	err = c.get(ctx, "/config", nil, &cfg)
	var kerr *Error
	switch {
	case err == nil:
		info.Mode = cfg.Mode
		info.Environment = cfg.Environment
		z := cfg.Multizone.Zone
		info.Federated = cfg.Mode == ModeZone && z.GlobalAddress != "" && z.Name != ""
	case errors.As(err, &kerr) && kerr.StatusCode == http.StatusForbidden:
		var meshes page[struct{}]
		if err := c.get(ctx, "/meshes", url.Values{"size": {"1"}}, &meshes); err != nil {
			return ControlPlaneInfo{}, err
		}
		info.Mode, info.Federated = c.guessMode(ctx, idx, meshes.Total)
	default:
		return ControlPlaneInfo{}, err
	}
	if info.Mode == "" {
		info.Mode = ModeUnknown
	}
	return info, nil
}

// guessMode follows docs/kuma-api.md §2. Failures only mean "unknown".
func (c *Client) guessMode(ctx context.Context, idx apiIndex, meshes int) (Mode, bool) {
	// 2.9+ always sends gui, empty only on a federated zone CP.
	if idx.GUI != nil && *idx.GUI == "" && versionAtLeast(idx.Version, 2, 9) {
		return ModeZone, true
	}
	var zones, insights page[struct{}]
	one := url.Values{"size": {"1"}}
	if c.get(ctx, "/zones", one, &zones) == nil && zones.Total > 1 {
		return ModeGlobal, false
	}
	// A federated zone keeps meshes but does not compute mesh insights.
	if meshes > 0 && c.get(ctx, "/mesh-insights", one, &insights) == nil && insights.Total == 0 {
		return ModeZone, true
	}
	return ModeUnknown, false
}

// versionAtLeast compares a "X.Y.Z[-suffix]" version; dev builds reporting
// "unknown" compare as false.
func versionAtLeast(version string, major, minor int) bool {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return false
	}
	maj, err1 := strconv.Atoi(parts[0])
	mnr, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return maj > major || maj == major && mnr >= minor
}
