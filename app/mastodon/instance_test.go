package mastodon_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"pukeko/app/store"
)

// The instance entities describe the domain asked, with the server's
// limits, counters, rules and contact.
func TestInstanceEntities(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	ctx := context.Background()
	alice := s.user("alice", "")
	alice.postStatus(map[string]any{"status": "first"})
	rule, err := store.AddServerRule(ctx, s.DB, "Be kind", "to everyone")
	if err != nil {
		t.Fatal(err)
	}
	anon := s.anonymous()
	// Without it, the v1 entity has email "" as Mastodon's, which the spec
	// refuses (format email).
	store.SetInstanceSetting(ctx, s.DB, "", store.SettingContactEmail, "admin@a.test")

	var v1 map[string]any
	anon.json("GET", "/api/v1/instance", nil, &v1)
	stats := v1["stats"].(map[string]any)
	if v1["uri"] != "a.test" || v1["title"] != "Site a.test" || v1["registrations"] != true || v1["approval_required"] != false ||
		stats["user_count"] != 1.0 || stats["status_count"] != 1.0 || v1["contact_account"] != nil || v1["email"] != "admin@a.test" {
		t.Fatalf("v1 instance: %v", v1)
	}
	if !strings.HasPrefix(v1["version"].(string), "4.5.0 (compatible; Pukeko ") {
		t.Fatalf("version %q", v1["version"])
	}
	if v1["urls"].(map[string]any)["streaming_api"] != "ws://a.test" {
		t.Fatalf("v1 urls: %v", v1["urls"])
	}

	var v2 map[string]any
	anon.json("GET", "/api/v2/instance", nil, &v2)
	conf := v2["configuration"].(map[string]any)
	st := conf["statuses"].(map[string]any)
	polls := conf["polls"].(map[string]any)
	if v2["domain"] != "a.test" || v2["title"] != "Site a.test" || st["max_characters"] != 500.0 ||
		st["max_media_attachments"] != 4.0 || st["characters_reserved_per_url"] != 23.0 ||
		polls["max_options"] != 4.0 || polls["min_expiration"] != 300.0 || polls["max_expiration"] != 2592000.0 {
		t.Fatalf("v2 instance: %v", v2)
	}
	if conf["urls"].(map[string]any)["streaming"] != "ws://a.test" || conf["translation"].(map[string]any)["enabled"] != false {
		t.Fatalf("v2 configuration: %v", conf)
	}
	media := conf["media_attachments"].(map[string]any)
	if !strings.Contains(strings.Join(anyStrings(media["supported_mime_types"]), " "), "image/jpeg") || media["image_size_limit"].(float64) <= 0 {
		t.Fatalf("media limits: %v", media)
	}
	key, _ := base64.URLEncoding.DecodeString(conf["vapid"].(map[string]any)["public_key"].(string))
	if len(key) != 65 || key[0] != 4 {
		t.Fatalf("VAPID key: %v", conf["vapid"])
	}
	reg := v2["registrations"].(map[string]any)
	if reg["enabled"] != true || reg["approval_required"] != false {
		t.Fatalf("registrations: %v", reg)
	}
	rules := v2["rules"].([]any)
	if len(rules) != 1 || rules[0].(map[string]any)["text"] != "Be kind" || rules[0].(map[string]any)["id"] != idStr(rule.ID) {
		t.Fatalf("rules: %v", rules)
	}
	if v2["usage"].(map[string]any)["users"].(map[string]any)["active_month"] != 1.0 {
		t.Fatalf("usage: %v", v2["usage"])
	}

	// An admin of the domain is its contact; settings give the texts.
	if _, err := s.DB.Exec(ctx, "UPDATE users SET admin = true WHERE email = $1", "alice@a.test.example"); err != nil {
		t.Fatal(err)
	}
	store.SetInstanceSetting(ctx, s.DB, "", store.SettingDescription, "A test server")
	anon.json("GET", "/api/v2/instance", nil, &v2)
	contact := v2["contact"].(map[string]any)
	if contact["email"] != "admin@a.test" || contact["account"].(map[string]any)["username"] != "alice" || v2["description"] != "A test server" {
		t.Fatalf("contact: %v, description %v", contact, v2["description"])
	}
}

// A second domain of the server is described as itself.
func TestInstancePerDomain(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	srvAddDomain(t, s, "b.test", "Bee Town")
	ctx := context.Background()
	store.SetInstanceSetting(ctx, s.DB, "", store.SettingDescription, "every domain")
	store.SetInstanceSetting(ctx, s.DB, "b.test", store.SettingDescription, "the b domain")
	var v2 map[string]any
	srvOn(s, "b.test").json("GET", "/api/v2/instance", nil, &v2)
	reg := v2["registrations"].(map[string]any)
	if v2["domain"] != "b.test" || v2["title"] != "Bee Town" || reg["approval_required"] != true || v2["description"] != "the b domain" {
		t.Fatalf("b.test instance: %v", v2)
	}
	if v2["configuration"].(map[string]any)["urls"].(map[string]any)["streaming"] != "ws://b.test" {
		t.Fatalf("b.test urls: %v", v2["configuration"])
	}
	s.anonymous().json("GET", "/api/v2/instance", nil, &v2)
	if v2["domain"] != "a.test" || v2["description"] != "every domain" {
		t.Fatalf("a.test instance: %v", v2)
	}
}

// Peers, blocked domains, weekly activity, rules, texts and languages.
func TestInstanceSideEndpoints(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	ctx := context.Background()
	alice := s.user("alice", "")
	alice.postStatus(map[string]any{"status": "hello"})
	if _, err := store.EnsureRemoteDomain(ctx, s.DB, "friends.example"); err != nil {
		t.Fatal(err)
	}
	if err := store.SetDomainBlocked(ctx, s.DB, "spam.example", true); err != nil {
		t.Fatal(err)
	}
	anon := s.anonymous()

	var peers []string
	anon.json("GET", "/api/v1/instance/peers", nil, &peers)
	if strings.Join(peers, ",") != "friends.example" {
		t.Fatalf("peers: %v", peers)
	}
	var blocks []map[string]any
	anon.json("GET", "/api/v1/instance/domain_blocks", nil, &blocks)
	sum := sha256.Sum256([]byte("spam.example"))
	if len(blocks) != 1 || blocks[0]["domain"] != "spam.example" || blocks[0]["severity"] != "suspend" ||
		blocks[0]["digest"] != hex.EncodeToString(sum[:]) {
		t.Fatalf("domain blocks: %v", blocks)
	}

	var weeks []map[string]string
	anon.json("GET", "/api/v1/instance/activity", nil, &weeks)
	if len(weeks) != 12 || weeks[0]["statuses"] != "1" || weeks[0]["registrations"] != "1" || weeks[1]["statuses"] != "0" ||
		weeks[0]["week"] <= weeks[1]["week"] {
		t.Fatalf("activity: %v", weeks)
	}

	var rules []any
	anon.json("GET", "/api/v1/instance/rules", nil, &rules)
	if len(rules) != 0 {
		t.Fatalf("rules: %v", rules)
	}

	var page map[string]any
	anon.json("GET", "/api/v1/instance/extended_description", nil, &page)
	if page["content"] != "" || page["updated_at"] == nil {
		t.Fatalf("extended description: %v", page)
	}
	store.SetInstanceSetting(ctx, s.DB, "", store.SettingExtendedDescription, "<p>About us</p>")
	anon.json("GET", "/api/v1/instance/extended_description", nil, &page)
	if page["content"] != "<p>About us</p>" {
		t.Fatalf("extended description: %v", page)
	}
	anon.json("GET", "/api/v1/instance/privacy_policy", nil, &page)
	if !strings.Contains(page["content"].(string), "<p>") {
		t.Fatalf("privacy policy: %v", page)
	}

	srvStatus(t, anon, "GET", "/api/v1/instance/terms_of_service", nil, http.StatusNotFound)
	store.SetInstanceSetting(ctx, s.DB, "", store.SettingTermsOfService, "<p>Be good</p>")
	store.SetInstanceSetting(ctx, s.DB, "", store.SettingTermsEffective, "2025-01-01")
	anon.json("GET", "/api/v1/instance/terms_of_service", nil, &page)
	if page["content"] != "<p>Be good</p>" || page["effective_date"] != "2025-01-01" || page["effective"] != true {
		t.Fatalf("terms: %v", page)
	}
	anon.json("GET", "/api/v1/instance/terms_of_service/2025-01-01", nil, &page)
	srvStatus(t, anon, "GET", "/api/v1/instance/terms_of_service/2024-01-01", nil, http.StatusNotFound)

	var pairs map[string][]string
	anon.json("GET", "/api/v1/instance/translation_languages", nil, &pairs)
	if len(pairs) != 0 {
		t.Fatalf("translation languages: %v", pairs)
	}
	var langs []map[string]string
	anon.json("GET", "/api/v1/instance/languages", nil, &langs)
	found := false
	for _, l := range langs {
		found = found || (l["code"] == "en" && l["name"] == "English")
	}
	if len(langs) < 100 || !found {
		t.Fatalf("languages: %d, English %v", len(langs), found)
	}
	// A bad token is refused even where no token is needed.
	bad := s.anonymous()
	bad.token = "nonsense"
	srvStatus(t, bad, "GET", "/api/v1/instance/peers", nil, http.StatusUnauthorized)
}

func anyStrings(v any) []string {
	var out []string
	for _, e := range v.([]any) {
		out = append(out, e.(string))
	}
	return out
}
