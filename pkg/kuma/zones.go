package kuma

import (
	"context"
	"encoding/json"
)

type apiZoneOverview struct {
	meta
	Zone struct {
		Enabled *bool `json:"enabled"` // absent means enabled
	} `json:"zone"`
	ZoneInsight *struct {
		Subscriptions []apiZoneSubscription `json:"subscriptions"`
		// KDSStreams (2.14+) shows the zone's streams by name; a zone that
		// just connected has them before its first subscription.
		KDSStreams map[string]subscription `json:"kdsStreams"`
	} `json:"zoneInsight"`
}

type apiZoneSubscription struct {
	subscription
	Version struct {
		KumaCP struct {
			Version string `json:"version"`
		} `json:"kumaCp"`
	} `json:"version"`
	// Config is the zone CP's config as a JSON string.
	Config string `json:"config"`
}

// subscription is one xDS or KDS stream of a proxy or zone.
type subscription struct {
	ConnectTime    *string `json:"connectTime"`
	DisconnectTime *string `json:"disconnectTime"`
}

func (s subscription) connected() bool { return s.ConnectTime != nil && s.DisconnectTime == nil }

// Zones lists zones from /zones+insights, which every version serves (the
// _overview alias only exists from 2.5). A zone CP lists its own zone with
// no insight, so its Online is nil; Kuma ≤ 2.5 standalone lists none. An
// insight with neither subscriptions nor KDS streams says nothing: nil too.
func (c *Client) Zones(ctx context.Context) ([]Zone, error) {
	items, err := list[apiZoneOverview](ctx, c, "/zones+insights")
	if err != nil {
		return nil, err
	}
	out := make([]Zone, 0, len(items))
	for _, it := range items {
		z := Zone{Name: it.Name, Enabled: it.Zone.Enabled == nil || *it.Zone.Enabled}
		if zi := it.ZoneInsight; zi != nil && (len(zi.Subscriptions) > 0 || len(zi.KDSStreams) > 0) {
			online := false
			for _, s := range zi.Subscriptions {
				online = online || s.connected()
			}
			for _, s := range zi.KDSStreams {
				online = online || s.connected()
			}
			z.Online = &online
			if n := len(it.ZoneInsight.Subscriptions); n > 0 {
				last := it.ZoneInsight.Subscriptions[n-1]
				z.Version = last.Version.KumaCP.Version
				z.Environment = configEnvironment(last.Config)
			}
		}
		out = append(out, z)
	}
	return out, nil
}

// configEnvironment reads "environment" from a zone's config string.
func configEnvironment(config string) string {
	var cfg struct {
		Environment string `json:"environment"`
	}
	_ = json.Unmarshal([]byte(config), &cfg) // optional detail: absent when unparsable
	return cfg.Environment
}
