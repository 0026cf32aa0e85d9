package mastodon

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync"
	"time"

	"pukeko/app/store"
)

func (a *API) instancePeers(c *call) {
	peers, err := store.InstancePeers(c.ctx(), a.In.DB)
	if err != nil {
		a.fail(c, err)
		return
	}
	if peers == nil {
		peers = []string{}
	}
	c.ok(peers)
}

// activityWeeks is how many weeks GET /api/v1/instance/activity shows.
const activityWeeks = 12

// activityFor is how long a domain's activity is reused (Mastodon caches
// it for a day).
const activityFor = time.Hour

type cachedActivity struct {
	at    time.Time
	weeks []map[string]string
}

var instanceActivity sync.Map // statsKey -> cachedActivity

func (a *API) instanceActivity(c *call) {
	s, err := c.site()
	if err != nil {
		a.fail(c, err)
		return
	}
	key := statsKey{a, s.domain.Domain}
	if v, ok := instanceActivity.Load(key); ok && time.Since(v.(cachedActivity).at) < activityFor {
		c.ok(v.(cachedActivity).weeks)
		return
	}
	weeks, err := store.InstanceActivity(c.ctx(), a.In.DB, s.domain.Domain, activityWeeks)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]map[string]string, 0, len(weeks))
	for _, w := range weeks {
		out = append(out, map[string]string{
			"week":          strconv.FormatInt(w.Week.Unix(), 10),
			"statuses":      strconv.Itoa(w.Statuses),
			"logins":        strconv.Itoa(w.Logins),
			"registrations": strconv.Itoa(w.Registrations),
		})
	}
	instanceActivity.Store(key, cachedActivity{at: time.Now(), weeks: out})
	c.ok(out)
}

func (a *API) instanceRulesList(c *call) {
	rules, err := a.instanceRules(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(rules)
}

// sitePage answers a text of the domain (extended description, privacy
// policy) with when it was last changed; fallback when it was never set.
func (a *API) sitePage(key, fallback string) handlerFunc {
	return func(c *call) {
		s, err := c.site()
		if err != nil {
			a.fail(c, err)
			return
		}
		v, ok := s.settings[key]
		if !ok {
			v = store.InstanceSetting{Value: fallback, Updated: s.domain.Created}
		}
		c.ok(map[string]string{"updated_at": ts(v.Updated), "content": v.Value})
	}
}

// defaultPrivacyPolicy is shown until the admins write one.
const defaultPrivacyPolicy = `<p>This server stores what you post and share, your profile, whom you follow and ` +
	`the address and password you log in with, to run your account. Posts you address to people on other servers ` +
	`are sent to those servers. Nothing is sold or shared with anyone else. Ask the admins to see or delete your data.</p>`

// termsOfService answers the terms of service (404 while there are none);
// with a date, only the version in force from that day.
func (a *API) termsOfService(c *call) {
	s, err := c.site()
	if err != nil {
		a.fail(c, err)
		return
	}
	v, ok := s.settings[store.SettingTermsOfService]
	if !ok {
		c.notFound()
		return
	}
	effective := s.setting(store.SettingTermsEffective)
	if effective == "" {
		effective = v.Updated.UTC().Format(time.DateOnly)
	}
	if d := c.r.PathValue("date"); d != "" && d != effective {
		c.notFound()
		return
	}
	c.ok(map[string]any{
		"effective_date": effective,
		"effective":      effective <= time.Now().UTC().Format(time.DateOnly),
		"content":        v.Value,
		"succeeded_by":   nil,
	})
}

// translationLanguages lists the language pairs of the translation
// server (translate.go), none when translation is off.
func (a *API) translationLanguages(c *call) { a.translationLanguagesAnswer(c) }

// DomainBlock is a server blocked here, as Mastodon lists them publicly.
type DomainBlock struct {
	Domain   string  `json:"domain"`
	Digest   string  `json:"digest"`
	Severity string  `json:"severity"`
	Comment  *string `json:"comment"`
}

// instanceDomainBlocks lists the blocked servers. Mastodon shows them as
// its show_domain_blocks setting allows; Pukeko's blocks are public, as
// that setting's "all". A block here refuses everything from the server:
// Mastodon's "suspend".
func (a *API) instanceDomainBlocks(c *call) {
	domains, err := store.ServerBlockedDomains(c.ctx(), a.In.DB)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]DomainBlock, 0, len(domains))
	for _, d := range domains {
		sum := sha256.Sum256([]byte(d))
		out = append(out, DomainBlock{Domain: d, Digest: hex.EncodeToString(sum[:]), Severity: "suspend"})
	}
	c.ok(out)
}
