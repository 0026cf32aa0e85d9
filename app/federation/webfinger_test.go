package federation

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// jrdFor is a Mastodon-like answer: the profile page and a decoy self link
// of the wrong type come before the ActivityPub one.
func jrdFor(subject, selfType, href string) string {
	return `{"subject":"` + subject + `","aliases":["` + href + `"],"links":[
		{"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":"http://a.test/@alice"},
		{"rel":"self","type":"text/html","href":"http://a.test/decoy"},
		{"rel":"self","type":` + selfType + `,"href":"` + href + `"},
		{"rel":"http://ostatus.org/schema/1.0/subscribe","template":"http://a.test/authorize_interaction?uri={uri}"}]}`
}

func TestWebfingerDirect(t *testing.T) {
	t.Parallel()
	var resource atomic.Value
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/webfinger" {
			http.NotFound(w, r)
			return
		}
		resource.Store(r.URL.Query().Get("resource"))
		switch r.URL.Query().Get("resource") {
		case "acct:alice@a.test":
			serveJSON(w, "application/jrd+json", jrdFor("acct:Alice@social.a.test", `"application/activity+json"`, "http://a.test/users/alice"))
		case "acct:bob@a.test":
			serveJSON(w, "application/json", jrdFor("acct:bob@a.test", `"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""`, "http://a.test/users/bob"))
		case "acct:carol@a.test":
			serveJSON(w, "application/json", jrdFor("acct:carol@a.test", `"application/ld+json"`, "http://a.test/users/carol"))
		case "acct:dave@a.test":
			serveJSON(w, "application/json", jrdFor("", `"application/activity+json"`, "http://a.test/users/dave"))
		default:
			http.NotFound(w, r)
		}
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Scheme: "http", Resolve: srv.resolveAll("a.test")})

	for handle, want := range map[string][2]string{
		"alice@a.test":      {"http://a.test/users/alice", "Alice@social.a.test"},
		"@alice@A.TEST":     {"http://a.test/users/alice", "Alice@social.a.test"},
		"acct:alice@a.test": {"http://a.test/users/alice", "Alice@social.a.test"},
		"bob@a.test":        {"http://a.test/users/bob", "bob@a.test"},
		"dave@a.test":       {"http://a.test/users/dave", "dave@a.test"}, // no subject: the handle asked for
	} {
		actor, subject, err := c.Webfinger(t.Context(), handle)
		if err != nil || actor != want[0] || subject != want[1] {
			t.Errorf("Webfinger(%q) = %q, %q, %v; want %q, %q", handle, actor, subject, err, want[0], want[1])
		}
	}
	if _, _, err := c.Webfinger(t.Context(), "@Dave+x@A.test"); err == nil {
		t.Error("unknown user resolved")
	}
	if got, _ := resource.Load().(string); got != "acct:Dave+x@a.test" {
		t.Errorf("resource asked = %q, want acct:Dave+x@a.test", got)
	}
	// ld+json without the ActivityStreams profile is not an actor link.
	if actor, _, err := c.Webfinger(t.Context(), "carol@a.test"); err == nil {
		t.Errorf("carol: got %q, want error", actor)
	}
}

func TestWebfingerHostMetaFallback(t *testing.T) {
	t.Parallel()
	var hostMetaHits, sameHits atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Host == "a.test" && r.URL.Path == "/.well-known/host-meta":
			hostMetaHits.Add(1)
			w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="http://wf.test/lookup?q={uri}"/>
</XRD>`))
		case r.Host == "same.test" && r.URL.Path == "/.well-known/host-meta":
			serveJSON(w, "application/json", `{"links":[{"rel":"lrdd","template":"http://same.test/.well-known/webfinger?resource={uri}"}]}`)
		case r.Host == "same.test" && r.URL.Path == "/.well-known/webfinger":
			sameHits.Add(1)
			http.NotFound(w, r)
		case r.Host == "json.test" && r.URL.Path == "/.well-known/host-meta":
			serveJSON(w, "application/json", `{"links":[{"rel":"lrdd","template":"http://wf.test/lookup?q={uri}"}]}`)
		case r.Host == "wf.test" && r.URL.Path == "/lookup":
			q := r.URL.Query().Get("q")
			if !strings.HasPrefix(q, "acct:alice@") {
				http.NotFound(w, r)
				return
			}
			serveJSON(w, "application/jrd+json", jrdFor(q, `"application/activity+json"`, "http://wf.test/actors/alice"))
		default:
			http.NotFound(w, r)
		}
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Scheme: "http", Resolve: srv.resolveAll("a.test", "json.test", "wf.test", "none.test", "same.test")})

	for handle, subject := range map[string]string{"alice@a.test": "alice@a.test", "alice@json.test": "alice@json.test"} {
		actor, got, err := c.Webfinger(t.Context(), handle)
		if err != nil || actor != "http://wf.test/actors/alice" || got != subject {
			t.Errorf("Webfinger(%q) = %q, %q, %v", handle, actor, got, err)
		}
	}
	if n := hostMetaHits.Load(); n != 1 {
		t.Errorf("host-meta read %d times, want 1", n)
	}
	if actor, _, err := c.Webfinger(t.Context(), "alice@none.test"); err == nil || !strings.Contains(err.Error(), "host-meta") {
		t.Errorf("no webfinger, no host-meta: got %q, %v; want an error naming both", actor, err)
	}
	// A template pointing back at the failed URL is not asked again.
	if actor, _, err := c.Webfinger(t.Context(), "alice@same.test"); err == nil || sameHits.Load() != 1 {
		t.Errorf("template to the same URL: got %q, %v after %d requests; want an error after 1", actor, err, sameHits.Load())
	}
}

func TestParseHandle(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]string{
		"alice@a.test":        {"alice", "a.test"},
		"@Alice@A.Test":       {"Alice", "a.test"},
		"acct:alice@a.test":   {"alice", "a.test"},
		"ACCT:alice@a.test":   {"alice", "a.test"},
		" alice@a.test:8080 ": {"alice", "a.test:8080"},
	} {
		user, domain, err := parseHandle(in)
		if err != nil || user != want[0] || domain != want[1] {
			t.Errorf("parseHandle(%q) = %q, %q, %v", in, user, domain, err)
		}
	}
	for _, bad := range []string{"", "alice", "@alice", "alice@", "@a.test", "alice@a.test/x", "alice@b@a.test", "alice@a.test?x", "http://a.test/@alice"} {
		if u, d, err := parseHandle(bad); err == nil {
			t.Errorf("parseHandle(%q) = %q, %q; want error", bad, u, d)
		}
	}
}
