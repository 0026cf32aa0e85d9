package mastodon_test

import (
	"context"
	"testing"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Helpers of the tests of the server, lists and filters endpoints.

// srvHomeHas waits until c's home timeline holds status id.
func srvHomeHas(t *testing.T, c *client, id string) {
	t.Helper()
	eventually(t, "status "+id+" in the home timeline", func() bool {
		var home []map[string]any
		c.json("GET", "/api/v1/timelines/home", nil, &home)
		for _, st := range home {
			if st["id"] == id {
				return true
			}
		}
		return false
	})
}

// srvOn returns an anonymous client of s speaking to another of its
// domains (the Host header names host).
func srvOn(s *server, host string) *client {
	other := *s
	other.domain = host
	return other.anonymous()
}

// srvStatus asserts the status of a request.
func srvStatus(t *testing.T, c *client, method, path string, body any, want int) []byte {
	t.Helper()
	status, data := c.do(method, path, body)
	if status != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, status, data, want)
	}
	return data
}

// srvAddDomain adds a second local domain to s.
func srvAddDomain(t *testing.T, s *server, domain, name string) {
	t.Helper()
	if err := store.CreateLocalDomain(context.Background(), s.DB, &model.Domain{Domain: domain, Local: true, Public: true,
		SiteName: name, SignupPolicy: model.SignupApproval}); err != nil {
		t.Fatal(err)
	}
}

// srvID renders an id as the API does.
