package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Editing the profile: text, flags, fields in both shapes, images, posting
// defaults; GET /api/v1/preferences; refusals.
func TestAccountUpdateCredentials(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")

	var me map[string]any
	alice.json("PATCH", "/api/v1/accounts/update_credentials", url.Values{
		"display_name":                {"Alice Kea"},
		"note":                        {"I like #birds"},
		"bot":                         {"1"},
		"discoverable":                {"false"},
		"indexable":                   {"on"},
		"fields_attributes[1][name]":  {"Second"},
		"fields_attributes[1][value]": {"2 < 3"},
		"fields_attributes[0][name]":  {"First"},
		"fields_attributes[0][value]": {"one"},
		"source[privacy]":             {"unlisted"},
		"source[sensitive]":           {"true"},
		"source[language]":            {"mi"},
	}, &me)
	src := me["source"].(map[string]any)
	fields := me["fields"].([]any)
	if me["display_name"] != "Alice Kea" || !strings.Contains(me["note"].(string), "birds") || me["bot"] != true ||
		me["discoverable"] != false || me["indexable"] != true || len(fields) != 2 ||
		fields[0].(map[string]any)["name"] != "First" || fields[1].(map[string]any)["value"] != "2 &lt; 3" {
		t.Fatalf("edited account: %v", me)
	}
	if src["privacy"] != "unlisted" || src["sensitive"] != true || src["language"] != "mi" || src["note"] != "I like #birds" ||
		src["fields"].([]any)[1].(map[string]any)["value"] != "2 < 3" {
		t.Fatalf("edited source: %v", src)
	}
	var prefs map[string]any
	alice.json("GET", "/api/v1/preferences", nil, &prefs)
	if prefs["posting:default:visibility"] != "unlisted" || prefs["posting:default:sensitive"] != true ||
		prefs["posting:default:language"] != "mi" || prefs["reading:expand:media"] != "default" || prefs["reading:expand:spoilers"] != false {
		t.Fatalf("preferences: %v", prefs)
	}
	stored, err := store.IdentityPreferences(context.Background(), s.DB, alice.identity.ID)
	if err != nil || stored.DefaultVisibility != model.VisibilityUnlisted {
		t.Fatalf("stored preferences: %+v %v", stored, err)
	}

	// Positional fields (fields_attributes[][name]), JSON, and a language
	// cleared: the rest stays.
	alice.json("PATCH", "/api/v1/accounts/update_credentials", url.Values{
		"fields_attributes[][name]":  {"Web", "Pronouns"},
		"fields_attributes[][value]": {"https://example.com", "she/her"},
		"source[language]":           {""},
	}, &me)
	fields = me["fields"].([]any)
	if len(fields) != 2 || fields[1].(map[string]any)["name"] != "Pronouns" || me["display_name"] != "Alice Kea" ||
		me["source"].(map[string]any)["language"] != nil || me["source"].(map[string]any)["privacy"] != "unlisted" {
		t.Fatalf("positional fields: %v", me)
	}
	alice.json("PATCH", "/api/v1/accounts/update_credentials", map[string]any{
		"fields_attributes": []map[string]string{{"name": "Only", "value": "field"}}, "locked": true, "bot": false,
	}, &me)
	if fields = me["fields"].([]any); len(fields) != 1 || me["locked"] != true || me["bot"] != false {
		t.Fatalf("JSON fields: %v", me)
	}

	// Images.
	status, body := alice.do("PATCH", "/api/v1/accounts/update_credentials",
		multipartForm(map[string]string{"display_name": "Alice"}, "avatar", "me.jpg", testJPEG(t, 600, 400)))
	if status != http.StatusOK {
		t.Fatalf("uploading an avatar: %d %s", status, body)
	}
	if me = obj(t, body); strings.Contains(me["avatar"].(string), "missing") || me["display_name"] != "Alice" {
		t.Fatalf("account with an avatar: %v", me)
	}
	status, body = alice.do("PATCH", "/api/v1/accounts/update_credentials", multipartForm(nil, "header", "h.jpg", testJPEG(t, 1600, 600)))
	if status != http.StatusOK || strings.Contains(obj(t, body)["header"].(string), "missing") {
		t.Fatalf("uploading a header: %d %s", status, body)
	}

	for name, form := range map[string]any{
		"a long name":       url.Values{"display_name": {strings.Repeat("n", 31)}},
		"a long bio":        url.Values{"note": {strings.Repeat("b", 501)}},
		"five fields":       url.Values{"fields_attributes[][name]": {"1", "2", "3", "4", "5"}},
		"a bad privacy":     url.Values{"source[privacy]": {"everyone"}},
		"direct by default": url.Values{"source[privacy]": {"direct"}},
		"a bad language":    url.Values{"source[language]": {"english please"}},
		"not an image":      multipartForm(nil, "avatar", "x.jpg", []byte("not a picture")),
	} {
		if status, body := alice.do("PATCH", "/api/v1/accounts/update_credentials", form); status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", name, status, body)
		}
	}
	alice.json("GET", "/api/v1/preferences", nil, &prefs)
	if prefs["posting:default:visibility"] != "unlisted" {
		t.Fatalf("a refused edit changed the preferences: %v", prefs)
	}
	if status, _ := s.user("rita", "read").do("PATCH", "/api/v1/accounts/update_credentials", url.Values{"note": {"x"}}); status != http.StatusForbidden {
		t.Fatalf("editing with a read-only token: %d", status)
	}
}

// Signing up through an app: a token that works, Mastodon's validation
// errors, and 403 where sign-ups are not open.
func TestAccountRegister(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	s.user("taken", "")
	app := s.acctApp("read write follow")

	form := url.Values{"username": {"kiwi"}, "email": {"kiwi@example.com"}, "password": {"a long password"},
		"agreement": {"true"}, "locale": {"en"}}
	var tok map[string]any
	app.json("POST", "/api/v1/accounts", form, &tok)
	if tok["token_type"] != "Bearer" || tok["scope"] != "read write follow" || tok["access_token"] == "" {
		t.Fatalf("token: %v", tok)
	}
	kiwi := s.anonymous()
	kiwi.token = tok["access_token"].(string)
	var me map[string]any
	kiwi.json("PATCH", "/api/v1/accounts/update_credentials", nil, &me)
	if me["username"] != "kiwi" || me["acct"] != "kiwi" {
		t.Fatalf("the new account: %v", me)
	}

	status, body := app.do("POST", "/api/v1/accounts", url.Values{"username": {"Taken"}, "email": {"KIWI@example.com"},
		"password": {"short"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad sign-up: %d %s", status, body)
	}
	var v struct {
		Error   string                         `json:"error"`
		Details map[string][]map[string]string `json:"details"`
	}
	json.Unmarshal(body, &v)
	for field, code := range map[string]string{"username": "ERR_TAKEN", "email": "ERR_TAKEN", "password": "ERR_TOO_SHORT", "agreement": "ERR_ACCEPTED"} {
		if len(v.Details[field]) != 1 || v.Details[field][0]["error"] != code {
			t.Errorf("%s: %v, want %s", field, v.Details[field], code)
		}
	}
	if !strings.HasPrefix(v.Error, "Validation failed: ") {
		t.Errorf("message: %q", v.Error)
	}
	for name, f := range map[string]url.Values{
		"reserved": {"username": {"root"}, "email": {"x@example.com"}, "password": {"long enough"}, "agreement": {"1"}},
		"invalid":  {"username": {"no spaces"}, "email": {"not an email"}, "password": {"long enough"}, "agreement": {"1"}},
		"blank":    {"agreement": {"1"}},
	} {
		if status, body := app.do("POST", "/api/v1/accounts", f); status != http.StatusUnprocessableEntity || !strings.Contains(string(body), "ERR_") {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	if status, _ := s.anonymous().do("POST", "/api/v1/accounts", form); status != http.StatusUnauthorized {
		t.Fatalf("signing up without an app token: %d", status)
	}

	d, err := store.Domain(context.Background(), s.DB, "a.test")
	if err != nil {
		t.Fatal(err)
	}
	d.SignupPolicy = model.SignupApproval
	if err := store.UpdateLocalDomain(context.Background(), s.DB, d); err != nil {
		t.Fatal(err)
	}
	form.Set("username", "weka")
	form.Set("email", "weka@example.com")
	if status, body := app.do("POST", "/api/v1/accounts", form); status != http.StatusForbidden {
		t.Fatalf("signing up where sign-ups are not open: %d %s", status, body)
	}
}
