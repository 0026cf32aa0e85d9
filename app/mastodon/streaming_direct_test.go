package mastodon_test

import (
	"context"
	"testing"
	"time"
)

// The direct stream carries conversations: a direct message reaches its
// addressee's and its author's direct streams as the Conversation it
// leads, a public post does not.
func TestStreamingDirect(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	bobStream := openEventStream(t, s, bob, "/api/v1/streaming/direct")
	carolStream := openEventStream(t, s, carol, "/api/v1/streaming/direct")
	time.Sleep(200 * time.Millisecond) // the hub's LISTEN is in place once a stream answered

	postAs(t, alice, "hello everyone", "public")
	id := postAs(t, alice, "@bob just you", "direct")
	e := bobStream.next("the conversation on bob's direct stream", func(e streamEvent) bool { return e.Event == "conversation" })
	conv := e.object(t)
	last, _ := conv["last_status"].(map[string]any)
	accounts, _ := conv["accounts"].([]any)
	if last == nil || last["id"] != id || len(accounts) != 1 || accounts[0].(map[string]any)["acct"] != "alice" {
		t.Fatalf("conversation event: %v", conv)
	}
	carolStream.none("carol's direct stream", time.Second, func(e streamEvent) bool { return e.Event == "conversation" })
}

// A stream ends once its token is revoked.
func TestStreamingRevokedToken(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	s.API.Options.StreamTokenCheck = 200 * time.Millisecond // before any stream starts the hub
	alice := s.user("alice", "")
	stream := openEventStream(t, s, alice, "/api/v1/streaming/user")
	if _, err := s.DB.Exec(context.Background(), `UPDATE oauth_tokens SET revoked = now()`); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-stream.events:
			if !ok {
				return // the stream ended
			}
		case <-deadline:
			t.Fatal("the stream of a revoked token stayed open")
		}
	}
}
