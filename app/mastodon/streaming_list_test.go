package mastodon_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"pukeko/app/model"
)

// A list stream has its members' posts, for its owner only; with the
// replies policy none, not their replies to others.
func TestStreamingList(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	closeStreamsFirst(t, s)
	ctx := context.Background()
	var exists bool
	if err := s.DB.QueryRow(ctx, "SELECT to_regclass('list_accounts') IS NOT NULL").Scan(&exists); err != nil || !exists {
		t.Skip("no lists table in this schema yet")
	}
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	carol := s.user("carol", "")
	followNow(t, s, bob.identity, alice.identity)
	list := model.NewID()
	if _, err := s.DB.Exec(ctx, `INSERT INTO lists (id, identity_id, title, replies_policy) VALUES ($1, $2, 'Birds', 'none')`,
		list, bob.identity.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(ctx, `INSERT INTO list_accounts (list_id, identity_id, id) VALUES ($1, $2, $3)`,
		list, alice.identity.ID, model.NewID()); err != nil {
		t.Fatal(err)
	}
	listID := strconv.FormatInt(int64(list), 10)

	if got := func() int {
		resp, cancel := getStream(t, s, carol.token, "/api/v1/streaming/list?list="+listID)
		defer cancel()
		defer resp.Body.Close()
		return resp.StatusCode
	}(); got != 401 {
		t.Errorf("someone else's list: %d, want 401", got)
	}

	_, ws := openWebSocket(t, s, bob, "stream=list&list="+listID)
	other := postAs(t, carol, "Anyone there?", "public")
	var reply map[string]any
	alice.json("POST", "/api/v1/statuses", map[string]any{"status": "@carol yes", "in_reply_to_id": other}, &reply)
	waitFannedOut(t, s, reply["id"].(string))
	id := postAs(t, alice, "For my followers", "private")
	e := ws.next("the member's post", func(e streamEvent) bool {
		if isStatusEvent("update", reply["id"].(string))(e) {
			t.Errorf("a reply to someone else on a list with replies_policy none")
		}
		return isStatusEvent("update", id)(e)
	})
	if len(e.Stream) != 2 || e.Stream[0] != "list" || e.Stream[1] != listID {
		t.Errorf("stream %v", e.Stream)
	}
	alice.json("DELETE", "/api/v1/statuses/"+id, nil, nil)
	ws.next("the delete", func(e streamEvent) bool { return e.Event == "delete" && e.Payload == id })
	ws.none("carol's posts", 200*time.Millisecond, isStatusEvent("update", other))
}
