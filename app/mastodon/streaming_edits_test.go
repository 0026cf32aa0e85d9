package mastodon_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"pukeko/app/model"
	"pukeko/app/store"
)

// The user stream also carries boosts (rendered for the reader: their own
// favourite shows), a boost undone (delete of the boost), edits
// (status.update) and filters_changed.
func TestStreamingEditsBoostsFilters(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	closeStreamsFirst(t, s)
	ctx := context.Background()
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	carol := s.user("carol", "")
	followNow(t, s, bob.identity, alice.identity)
	_, ws := openWebSocket(t, s, bob, "stream=user")

	original := postAs(t, carol, "Worth sharing", "public")
	waitFannedOut(t, s, original)
	p, err := store.PostByID(ctx, s.DB, mustID(t, original))
	if err != nil || p == nil {
		t.Fatal(err)
	}
	if _, err := s.Instance.Like(ctx, bob.identity, p); err != nil {
		t.Fatal(err)
	}
	boost, err := s.Instance.Boost(ctx, alice.identity, p)
	if err != nil {
		t.Fatal(err)
	}
	e := ws.next("the boost", func(e streamEvent) bool {
		return e.Event == "update" && strings.Contains(e.Payload, `"reblog":{"id":"`+original+`"`)
	})
	st := e.object(t)
	reblog := st["reblog"].(map[string]any)
	if st["id"] != idStr(boost.ID) || reblog["favourited"] != true || st["account"].(map[string]any)["acct"] != "alice" {
		t.Errorf("boost as bob sees it: id %v (want %d), favourited %v", st["id"], boost.ID, reblog["favourited"])
	}
	if err := s.Instance.Unboost(ctx, alice.identity, p); err != nil {
		t.Fatal(err)
	}
	ws.next("the boost's delete", func(e streamEvent) bool { return e.Event == "delete" && e.Payload == idStr(boost.ID) })

	id := postAs(t, alice, "First thoughts", "public")
	ws.next("the post", isStatusEvent("update", id))
	alice.json("PUT", "/api/v1/statuses/"+id, url.Values{"status": {"Second thoughts"}}, nil)
	edit := ws.next("the edit", isStatusEvent("status.update", id)).object(t)
	if !strings.Contains(edit["content"].(string), "Second") || edit["edited_at"] == nil {
		t.Errorf("edited status: %v", edit)
	}

	if err := store.NotifyFiltersChanged(ctx, s.DB, bob.identity.ID); err != nil {
		t.Fatal(err)
	}
	if f := ws.next("filters_changed", func(e streamEvent) bool { return e.Event == "filters_changed" }); f.Payload != "" {
		t.Errorf("filters_changed with a payload: %q", f.Payload)
	}
}

// mustID parses an id the API wrote.
func mustID(t testing.TB, s string) model.ID {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return model.ID(n)
}
