package mastodon

import (
	"sync"
	"time"

	"pukeko/app/hosts"
	"pukeko/app/model"
	"pukeko/app/store"
)

// site is the local domain a request came to and its settings: the
// instance endpoints describe that domain (its name, users, texts), as
// Takahē chooses instance/v2 by Host.
type site struct {
	domain   *model.Domain
	settings map[string]store.InstanceSetting
}

// setting returns the value of a setting, "" when unset.
func (s *site) setting(key string) string { return s.settings[key].Value }

// site resolves the request's domain: the one the host gate found, else
// the local domain named by the host, else the default domain.
func (c *call) site() (*site, error) {
	d := hosts.Domain(c.ctx())
	if d == nil {
		var err error
		if d, err = store.LocalDomainByHost(c.ctx(), c.api.In.DB, c.host); err != nil {
			return nil, err
		}
	}
	if d == nil {
		all, err := store.LocalDomains(c.ctx(), c.api.In.DB)
		if err != nil {
			return nil, err
		}
		if len(all) > 0 {
			d = all[0] // the default comes first
		} else {
			d = &model.Domain{Domain: c.host, SiteName: c.host, SignupPolicy: model.SignupClosed}
		}
	}
	settings, err := store.InstanceSettings(c.ctx(), c.api.In.DB, d.Domain)
	if err != nil {
		return nil, err
	}
	return &site{domain: d, settings: settings}, nil
}

// title is the domain's site name, else the domain.
func (s *site) title() string {
	if s.domain.SiteName != "" {
		return s.domain.SiteName
	}
	return s.domain.Domain
}

// statsFor is how long the counters of a domain are reused: clients ask
// for the instance at every start, and counting posts is not free (Takahē
// caches them for five minutes too).
const statsFor = time.Minute

type statsKey struct {
	api    *API
	domain string
}

type cachedStats struct {
	at    time.Time
	stats store.InstanceStats
}

var instanceStats sync.Map // statsKey -> cachedStats

// stats returns the domain's counters, at most statsFor old.
func (c *call) stats(domain string) (store.InstanceStats, error) {
	key := statsKey{c.api, domain}
	if v, ok := instanceStats.Load(key); ok && time.Since(v.(cachedStats).at) < statsFor {
		return v.(cachedStats).stats, nil
	}
	s, err := store.InstanceStatsOf(c.ctx(), c.api.In.DB, domain)
	if err != nil {
		return s, err
	}
	instanceStats.Store(key, cachedStats{at: time.Now(), stats: s})
	return s, nil
}
