package mastodon

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Web Push subscriptions are stored per access token and read back as
// Mastodon's WebPushSubscription; nothing is sent to them yet.

// pushAlerts are the kinds of notifications a subscription may ask for.
var pushAlerts = []string{"mention", "quote", "status", "reblog", "follow", "follow_request", "favourite", "poll",
	"update", "quoted_update", "admin.sign_up", "admin.report"}

// pushPolicies are whose notifications are pushed.
var pushPolicies = []string{"all", "followed", "follower", "none"}

// WebPushSubscription is Mastodon's WebPushSubscription.
type WebPushSubscription struct {
	ID        string          `json:"id"`
	Endpoint  string          `json:"endpoint"`
	Standard  bool            `json:"standard"`
	Alerts    map[string]bool `json:"alerts"`
	ServerKey string          `json:"server_key"`
	Policy    string          `json:"policy"`
}

// vapidPublicKey is the server's VAPID public key (base64url, the
// uncompressed P-256 point, as Mastodon writes it), made on first use.
func (a *API) vapidPublicKey(c *call) (string, error) {
	public, _, err := store.VAPIDKeys(c.ctx(), a.In.DB, func() (string, string, error) {
		key, err := ecdh.P256().GenerateKey(rand.Reader)
		if err != nil {
			return "", "", err
		}
		return base64.URLEncoding.EncodeToString(key.PublicKey().Bytes()), base64.URLEncoding.EncodeToString(key.Bytes()), nil
	})
	return public, err
}

func (a *API) renderPush(c *call, s *model.PushSubscription) {
	key, err := a.vapidPublicKey(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	alerts := make(map[string]bool, len(pushAlerts))
	for _, k := range pushAlerts {
		alerts[k] = slices.Contains(s.Alerts, k)
	}
	c.ok(WebPushSubscription{ID: idStr(s.ID), Endpoint: s.Endpoint, Standard: s.Standard, Alerts: alerts,
		ServerKey: key, Policy: s.Policy})
}

// pushData reads data[alerts][...] and the policy (data[policy], or
// policy as the spec also lists it); ok is false when the answer (422) is
// sent.
func (c *call) pushData() (alerts []string, policy string, ok bool) {
	for _, k := range pushAlerts {
		if c.params.boolean("data[alerts]["+k+"]", false) {
			alerts = append(alerts, k)
		}
	}
	policy = c.params.str("data[policy]")
	if policy == "" {
		policy = c.params.str("policy")
	}
	if policy == "" {
		policy = "all"
	}
	if !slices.Contains(pushPolicies, policy) {
		c.invalidAttributes(attrError{"policy", "Policy", "ERR_INCLUSION", "is not included in the list"})
		return nil, "", false
	}
	return alerts, policy, true
}

func (a *API) pushShow(c *call) {
	s, err := store.PushSubscriptionOf(c.ctx(), a.In.DB, c.grant.TokenID)
	if err != nil {
		a.fail(c, err)
		return
	}
	if s == nil {
		c.notFound()
		return
	}
	a.renderPush(c, s)
}

// pushCreate subscribes the token, replacing its earlier subscription.
func (a *API) pushCreate(c *call) {
	if !c.params.has("subscription[endpoint]") && !c.params.has("subscription[keys][p256dh]") && !c.params.has("subscription[keys][auth]") {
		c.errorf(400, "param is missing or the value is empty: subscription")
		return
	}
	s := &model.PushSubscription{
		TokenID: c.grant.TokenID, IdentityID: c.viewer.ID,
		Endpoint: strings.TrimSpace(c.params.str("subscription[endpoint]")),
		P256DH:   strings.TrimSpace(c.params.str("subscription[keys][p256dh]")),
		Auth:     strings.TrimSpace(c.params.str("subscription[keys][auth]")),
		Standard: c.params.boolean("subscription[standard]", false),
	}
	var problems []attrError
	switch u, err := url.Parse(s.Endpoint); {
	case s.Endpoint == "":
		problems = append(problems, attrError{"endpoint", "Endpoint", "ERR_BLANK", "can't be blank"})
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		problems = append(problems, attrError{"endpoint", "Endpoint", "ERR_INVALID", "is not a valid URL"})
	}
	switch {
	case s.P256DH == "":
		problems = append(problems, attrError{"key_p256dh", "Key p256dh", "ERR_BLANK", "can't be blank"})
	case !validP256DH(s.P256DH):
		problems = append(problems, attrError{"key_p256dh", "Key p256dh", "ERR_INVALID", "is not a valid P-256 public key"})
	}
	if s.Auth == "" {
		problems = append(problems, attrError{"key_auth", "Key auth", "ERR_BLANK", "can't be blank"})
	}
	if len(problems) > 0 {
		c.invalidAttributes(problems...)
		return
	}
	var ok bool
	if s.Alerts, s.Policy, ok = c.pushData(); !ok {
		return
	}
	if err := store.SavePushSubscription(c.ctx(), a.In.DB, s); err != nil {
		a.fail(c, err)
		return
	}
	a.renderPush(c, s)
}

// validP256DH reports whether key is a P-256 public key in base64url (or
// the standard alphabet some clients use; padded or not), as Web Push
// needs it.
func validP256DH(key string) bool {
	key = strings.TrimRight(key, "=")
	raw, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(key); err != nil {
			return false
		}
	}
	_, err = ecdh.P256().NewPublicKey(raw)
	return err == nil
}

// pushUpdate changes the alerts and policy of the token's subscription:
// as in Mastodon, alerts not given are turned off.
func (a *API) pushUpdate(c *call) {
	alerts, policy, ok := c.pushData()
	if !ok {
		return
	}
	if c.found(store.UpdatePushAlerts(c.ctx(), a.In.DB, c.grant.TokenID, alerts, policy)) {
		a.pushShow(c)
	}
}

func (a *API) pushDelete(c *call) {
	if err := store.DeletePushSubscription(c.ctx(), a.In.DB, c.grant.TokenID); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{})
}
