package mastodon_test

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"
)

// A Web Push subscription is kept per access token: created, read,
// changed and deleted; bad keys and missing scopes are refused.
func TestPushSubscription(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "read write follow push")
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p256dh := base64.RawURLEncoding.EncodeToString(key.PublicKey().Bytes())
	auth := base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdef"))

	srvStatus(t, alice, "GET", "/api/v1/push/subscription", nil, http.StatusNotFound)
	srvStatus(t, alice, "PUT", "/api/v1/push/subscription", url.Values{"data[alerts][mention]": {"true"}}, http.StatusNotFound)

	var sub map[string]any
	alice.json("POST", "/api/v1/push/subscription", map[string]any{
		"subscription": map[string]any{"endpoint": "https://push.example/send/abc", "keys": map[string]any{"p256dh": p256dh, "auth": auth}},
		"data":         map[string]any{"alerts": map[string]any{"mention": true, "admin.sign_up": true}, "policy": "followed"},
	}, &sub)
	alerts := sub["alerts"].(map[string]any)
	if sub["endpoint"] != "https://push.example/send/abc" || sub["policy"] != "followed" || alerts["mention"] != true ||
		alerts["admin.sign_up"] != true || alerts["follow"] != false || len(alerts) < 10 {
		t.Fatalf("subscription: %v", sub)
	}
	var instance map[string]any
	s.anonymous().json("GET", "/api/v2/instance", nil, &instance)
	vapid := instance["configuration"].(map[string]any)["vapid"].(map[string]any)["public_key"]
	if sub["server_key"] == "" || sub["server_key"] != vapid {
		t.Fatalf("server key %v, VAPID key of the instance %v", sub["server_key"], vapid)
	}
	id := sub["id"]

	alice.json("PUT", "/api/v1/push/subscription", url.Values{"data[alerts][follow]": {"true"}, "policy": {"none"}}, &sub)
	alerts = sub["alerts"].(map[string]any)
	if sub["id"] != id || alerts["follow"] != true || alerts["mention"] != false || sub["policy"] != "none" {
		t.Fatalf("updated subscription: %v", sub)
	}
	alice.json("GET", "/api/v1/push/subscription", nil, &sub)
	if sub["endpoint"] != "https://push.example/send/abc" || sub["policy"] != "none" {
		t.Fatalf("subscription read back: %v", sub)
	}

	// Another token of the same user has its own (none).
	other := s.anonymous()
	other.token = other.login("alice@a.test.example", "push")
	srvStatus(t, other, "GET", "/api/v1/push/subscription", nil, http.StatusNotFound)

	bad := url.Values{"subscription[endpoint]": {"https://push.example/x"}, "subscription[keys][p256dh]": {"bm90IGEga2V5"},
		"subscription[keys][auth]": {auth}}
	srvStatus(t, alice, "POST", "/api/v1/push/subscription", bad, http.StatusUnprocessableEntity)
	bad = url.Values{"subscription[endpoint]": {"not a url"}, "subscription[keys][p256dh]": {p256dh}, "subscription[keys][auth]": {auth}}
	srvStatus(t, alice, "POST", "/api/v1/push/subscription", bad, http.StatusUnprocessableEntity)
	srvStatus(t, alice, "POST", "/api/v1/push/subscription", url.Values{"data[policy]": {"all"}}, http.StatusBadRequest)
	good := url.Values{"subscription[endpoint]": {"https://push.example/y"}, "subscription[keys][p256dh]": {p256dh},
		"subscription[keys][auth]": {auth}, "data[policy]": {"everyone"}}
	srvStatus(t, alice, "POST", "/api/v1/push/subscription", good, http.StatusUnprocessableEntity)
	noPush := s.anonymous()
	noPush.token = noPush.login("alice@a.test.example", "read write")
	srvStatus(t, noPush, "GET", "/api/v1/push/subscription", nil, http.StatusForbidden)

	srvStatus(t, alice, "DELETE", "/api/v1/push/subscription", nil, http.StatusOK)
	srvStatus(t, alice, "GET", "/api/v1/push/subscription", nil, http.StatusNotFound)
}
