package federation

import (
	"net/http"
	"testing"
)

func TestNodeInfoPrefersNewest(t *testing.T) {
	t.Parallel()
	const doc21 = `{"version":"2.1","software":{"name":"mastodon","version":"4.3.0","repository":"https://github.com/mastodon/mastodon"},"protocols":["activitypub"]}`
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Host + r.URL.Path {
		case "a.test/.well-known/nodeinfo":
			serveJSON(w, "application/json", `{"links":[
				{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"http://a.test/nodeinfo/2.0"},
				{"rel":"http://nodeinfo.diaspora.software/ns/schema/1.0","href":"http://a.test/nodeinfo/1.0"},
				{"rel":"https://nodeinfo.diaspora.software/ns/schema/2.1","href":"http://a.test/nodeinfo/2.1"},
				{"rel":"https://www.w3.org/ns/activitystreams#Application","href":"http://a.test/actor"}]}`)
		case "b.test/.well-known/nodeinfo":
			serveJSON(w, "application/json", `{"links":[
				{"rel":"http://nodeinfo.diaspora.software/ns/schema/1.0","href":"http://a.test/nodeinfo/1.0"},
				{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"http://a.test/nodeinfo/2.0"}]}`)
		case "c.test/.well-known/nodeinfo":
			serveJSON(w, "application/json", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/1.1","href":"http://a.test/nodeinfo/1.0"}]}`)
		case "a.test/nodeinfo/2.1":
			serveJSON(w, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`, doc21)
		case "a.test/nodeinfo/2.0":
			serveJSON(w, "application/json", `{"version":"2.0","software":{"name":"old","version":"1"}}`)
		case "a.test/nodeinfo/1.0":
			serveJSON(w, "application/json", `{"version":"1.0","software":{"name":"ancient","version":"0"}}`)
		default:
			http.NotFound(w, r)
		}
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Scheme: "http", Resolve: srv.resolveAll("a.test", "b.test", "c.test")})

	name, version, raw, err := c.NodeInfo(t.Context(), "a.test")
	if err != nil || name != "mastodon" || version != "4.3.0" || string(raw) != doc21 {
		t.Errorf("a.test: %q %q %v, raw %s", name, version, err, raw)
	}
	name, version, _, err = c.NodeInfo(t.Context(), "b.test")
	if err != nil || name != "old" || version != "1" {
		t.Errorf("b.test (2.0 only): %q %q %v", name, version, err)
	}
	if name, _, _, err := c.NodeInfo(t.Context(), "c.test"); err == nil {
		t.Errorf("c.test (1.x only): got %q, want error", name)
	}
	if _, _, _, err := c.NodeInfo(t.Context(), "a.test/evil"); err == nil {
		t.Error("host with a path accepted")
	}
}
