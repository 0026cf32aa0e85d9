package oauth_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"pukeko/app/oauth"
)

func TestMetadata(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	r := e.get(t, "/.well-known/oauth-authorization-server", "")
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("metadata: %d, CORS %q", r.status, r.header.Get("Access-Control-Allow-Origin"))
	}
	m := r.json(t)
	base := e.ts.URL // http://127.0.0.1:port, with PublicScheme http
	want := map[string]any{
		"issuer":                                base + "/",
		"authorization_endpoint":                base + "/oauth/authorize",
		"token_endpoint":                        base + "/oauth/token",
		"revocation_endpoint":                   base + "/oauth/revoke",
		"app_registration_endpoint":             base + "/api/v1/apps",
		"userinfo_endpoint":                     base + "/oauth/userinfo",
		"service_documentation":                 "https://docs.joinmastodon.org/",
		"response_types_supported":              []any{"code"},
		"code_challenge_methods_supported":      []any{"S256"},
		"grant_types_supported":                 []any{"authorization_code", "client_credentials"},
		"token_endpoint_auth_methods_supported": []any{"client_secret_basic", "client_secret_post"},
	}
	for k, v := range want {
		if !reflect.DeepEqual(m[k], v) {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	scopes, _ := m["scopes_supported"].([]any)
	for _, s := range []string{"read", "write", "follow", "push", "profile", "read:statuses", "write:follows", "admin:write:reports"} {
		if !slices.Contains(scopes, any(s)) {
			t.Errorf("scopes_supported lacks %s", s)
		}
	}

	// URLs name the host the request was made to.
	req := newRequest(t, "GET", e.ts.URL+"/.well-known/oauth-authorization-server", "", "")
	req.Host = "A.Test"
	if m := do(t, nil, req).json(t); m["token_endpoint"] != "http://a.test/oauth/token" {
		t.Errorf("token_endpoint %v for host a.test", m["token_endpoint"])
	}
}

func TestMetadataDefaultsToHTTPS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{PublicScheme: "https", PasswordGrant: true})
	m := e.get(t, "/.well-known/oauth-authorization-server", "").json(t)
	if iss, _ := m["issuer"].(string); !strings.HasPrefix(iss, "https://127.0.0.1:") {
		t.Errorf("issuer %q, want https", iss)
	}
	if !slices.Contains(m["grant_types_supported"].([]any), any("password")) {
		t.Errorf("grant_types_supported %v lacks the enabled password grant", m["grant_types_supported"])
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	for _, path := range []string{"/oauth/token", "/oauth/revoke", "/api/v1/apps", "/api/v1/apps/verify_credentials"} {
		req := newRequest(t, "OPTIONS", e.ts.URL+path, "", "")
		req.Header.Set("Origin", "https://elk.zone")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		r := do(t, nil, req)
		allow := r.header.Get("Access-Control-Allow-Headers")
		if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(allow, "Authorization") || !strings.Contains(allow, "Content-Type") || !strings.Contains(allow, "Idempotency-Key") ||
			!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("preflight of %s: %d %v", path, r.status, r.header)
		}
	}
	r := e.get(t, "/oauth/authorize?client_id=x", "")
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("the authorize page answers other origins")
	}
	req := newRequest(t, "OPTIONS", e.ts.URL+"/oauth/authorize", "", "")
	req.Header.Set("Access-Control-Request-Method", "POST")
	if r := do(t, nil, req); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("the authorize page allows cross-origin preflights")
	}
}
