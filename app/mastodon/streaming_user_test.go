package mastodon_test

import (
	"slices"
	"strconv"
	"testing"
	"time"
)

// A WebSocket on the user stream: a followed account's post (update), a
// mention (notification), the post deleted (delete); a second stream
// subscribed by message arrives named as such.
func TestStreamingWebSocketUser(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	closeStreamsFirst(t, s)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	followNow(t, s, bob.identity, alice.identity)

	conn, ws := openWebSocket(t, s, bob, "stream=user")
	id := postAs(t, alice, "Kia ora koutou", "public")
	e := ws.next("the update of alice's post", isStatusEvent("update", id))
	if !slices.Equal(e.Stream, []string{"user"}) {
		t.Errorf("stream %v, want [user]", e.Stream)
	}
	st := e.object(t)
	if acct := st["account"].(map[string]any)["acct"]; acct != "alice" || st["favourited"] != false {
		t.Errorf("status as bob sees it: account %v, favourited %v", acct, st["favourited"])
	}

	mention := postAs(t, alice, "@bob he aha tēnei?", "public")
	n := ws.next("the mention", func(e streamEvent) bool { return e.Event == "notification" }).object(t)
	if n["type"] != "mention" || n["status"].(map[string]any)["id"] != mention || n["account"].(map[string]any)["id"] != strconv.FormatInt(int64(alice.identity.ID), 10) {
		t.Errorf("notification: %v", n)
	}

	alice.json("DELETE", "/api/v1/statuses/"+id, nil, nil)
	ws.next("the delete", func(e streamEvent) bool { return e.Event == "delete" && e.Payload == id })

	// More streams on the same socket, each event named by its stream.
	wsSend(t, conn, map[string]any{"type": "subscribe", "stream": "public:local"})
	wsSend(t, conn, map[string]any{"type": "subscribe", "stream": "hashtag", "tag": "Kea"})
	tagged := postAs(t, alice, "He #kea", "public")
	seen := map[string]bool{}
	for len(seen) < 3 {
		e := ws.next("the tagged post on three streams", isStatusEvent("update", tagged))
		seen[e.Stream[0]] = true
		if e.Stream[0] == "hashtag" && (len(e.Stream) != 2 || e.Stream[1] != "Kea") {
			t.Errorf("hashtag stream named %v", e.Stream)
		}
	}
	if !seen["user"] || !seen["public:local"] || !seen["hashtag"] {
		t.Errorf("streams seen: %v", seen)
	}
	wsSend(t, conn, map[string]any{"type": "unsubscribe", "stream": "public:local"})
	wsSend(t, conn, map[string]any{"type": "subscribe", "stream": "nonsense"})
	if e := ws.next("an error", func(e streamEvent) bool { return e.Error != "" }); e.Status != 400 {
		t.Errorf("error for an unknown stream: %+v", e)
	}
	last := postAs(t, alice, "Ka kite", "public")
	ws.next("the last post at home", isStatusEvent("update", last))
	waitFannedOut(t, s, last)
	ws.none("the last post on an unsubscribed stream", 500*time.Millisecond, func(e streamEvent) bool {
		return len(e.Stream) > 0 && e.Stream[0] == "public:local"
	})
}
