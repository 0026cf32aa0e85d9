package mastodon_test

import (
	"net/http"
	"strconv"
	"testing"
)

// Every API answer says where the caller stands with the rate limit; past
// it the API answers 429, per token.
func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil, "PUKEKO_API_RATE_LIMIT=3", "PUKEKO_API_RATE_WINDOW=1h")
	alice, bob := s.user("alice", ""), s.user("bob", "")
	for k := 0; k < 3; k++ {
		resp, _ := alice.request("GET", "/api/v1/accounts/verify_credentials", nil, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("X-RateLimit-Limit") != "3" ||
			resp.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(2-k) || resp.Header.Get("X-RateLimit-Reset") == "" {
			t.Fatalf("request %d: %d, limit %q remaining %q", k, resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"), resp.Header.Get("X-RateLimit-Remaining"))
		}
	}
	if status, body := alice.do("GET", "/api/v1/accounts/verify_credentials", nil); status != http.StatusTooManyRequests {
		t.Fatalf("past the limit: %d %s", status, body)
	}
	if status, _ := bob.do("GET", "/api/v1/accounts/verify_credentials", nil); status != http.StatusOK {
		t.Fatalf("another token past alice's limit: %d", status)
	}
}
