package mastodon_test

import (
	"io"
	"net/http"
	"testing"
)

// Streams need a user's token with the scope of the stream; the token may
// come as the WebSocket subprotocol, as browsers send it.
func TestStreamingTokens(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	closeStreamsFirst(t, s)
	reader := s.user("reader", "read")
	notifier := s.user("notifier", "read:notifications")

	status := func(token, path string) int {
		t.Helper()
		resp, cancel := getStream(t, s, token, path)
		defer cancel()
		defer resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		token, path string
		want        int
	}{
		{"", "/api/v1/streaming/user", http.StatusUnauthorized},
		{"", "/api/v1/streaming/public", http.StatusUnauthorized},
		{"not-a-token", "/api/v1/streaming/user", http.StatusUnauthorized},
		{notifier.token, "/api/v1/streaming/user", http.StatusUnauthorized},
		{notifier.token, "/api/v1/streaming/public", http.StatusUnauthorized},
		{notifier.token, "/api/v1/streaming/user/notification", http.StatusOK},
		{reader.token, "/api/v1/streaming/user", http.StatusOK},
		{reader.token, "/api/v1/streaming/hashtag", http.StatusBadRequest},
		{reader.token, "/api/v1/streaming/list?list=12345", http.StatusUnauthorized},
		{reader.token, "/api/v1/streaming?stream=public:remote", http.StatusOK},
	} {
		if got := status(c.token, c.path); got != c.want {
			t.Errorf("GET %s (token %.8q): %d, want %d", c.path, c.token, got, c.want)
		}
	}

	resp, cancel := getStream(t, s, "", "/api/v1/streaming/health")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cancel()
	if resp.StatusCode != 200 || string(body) != "OK" {
		t.Errorf("health: %d %q", resp.StatusCode, body)
	}

	if _, resp, err := dialStream(s, "", "stream=user"); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("WebSocket without a token: %v, %v", err, resp)
	}
	conn, ws := openWebSocket(t, s, notifier, "", notifier.token)
	if conn.Subprotocol() != notifier.token {
		t.Errorf("subprotocol %q: the token offered as one must be chosen", conn.Subprotocol())
	}
	wsSend(t, conn, map[string]any{"type": "subscribe", "stream": "user"})
	if e := ws.next("a refusal", func(e streamEvent) bool { return e.Error != "" }); e.Status != http.StatusUnauthorized {
		t.Errorf("user stream with read:notifications: %+v", e)
	}
	wsSend(t, conn, map[string]any{"type": "subscribe", "stream": "user:notification"})
	other := s.user("other", "")
	postAs(t, other, "@notifier kia ora", "public")
	n := ws.next("the mention", func(e streamEvent) bool { return e.Event == "notification" })
	if len(n.Stream) != 1 || n.Stream[0] != "user:notification" || n.object(t)["type"] != "mention" {
		t.Errorf("notification: %+v", n)
	}
}
