package mastodon_test

import (
	"net/http"
	"testing"
)

// conversation is a Conversation as the tests read it.
type conversation struct {
	ID         string           `json:"id"`
	Unread     bool             `json:"unread"`
	Accounts   []map[string]any `json:"accounts"`
	LastStatus map[string]any   `json:"last_status"`
}

// Direct messages make conversations: unread for the addressee until
// read, listed newest first, removed until a newer message comes;
// nobody else sees them.
func TestConversationLifecycle(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	first := alice.compose("@bob psst", map[string]any{"visibility": "direct"})["id"].(string)
	alice.compose("@carol hi", map[string]any{"visibility": "direct"})
	alice.compose("not a secret", nil)

	var list []conversation
	bob.json("GET", "/api/v1/conversations", nil, &list)
	if len(list) != 1 || !list[0].Unread || list[0].LastStatus["id"] != first || len(list[0].Accounts) != 1 ||
		list[0].Accounts[0]["username"] != "alice" {
		t.Fatalf("bob's conversations: %+v", list)
	}
	bobsID := list[0].ID
	alice.json("GET", "/api/v1/conversations", nil, &list)
	if len(list) != 2 || list[0].Unread || list[1].Unread || list[0].Accounts[0]["username"] != "carol" {
		t.Fatalf("alice's conversations: %+v", list)
	}

	var read conversation
	bob.json("POST", "/api/v1/conversations/"+bobsID+"/read", nil, &read)
	if read.ID != bobsID || read.Unread || read.LastStatus["id"] != first {
		t.Fatalf("read: %+v", read)
	}
	reply := bob.compose("@alice what?", map[string]any{"visibility": "direct", "in_reply_to_id": first})["id"].(string)
	bob.json("GET", "/api/v1/conversations", nil, &list)
	if len(list) != 1 || list[0].ID != bobsID || list[0].Unread || list[0].LastStatus["id"] != reply {
		t.Fatalf("after bob's reply: %+v", list)
	}
	alice.json("GET", "/api/v1/conversations?limit=1", nil, &list)
	if len(list) != 1 || !list[0].Unread || list[0].LastStatus["id"] != reply {
		t.Fatalf("alice after bob's reply: %+v", list)
	}

	bob.json("DELETE", "/api/v1/conversations/"+bobsID, nil, nil)
	bob.json("GET", "/api/v1/conversations", nil, &list)
	if len(list) != 0 {
		t.Fatalf("after removing: %+v", list)
	}
	again := alice.compose("@bob still there?", map[string]any{"visibility": "direct", "in_reply_to_id": reply})["id"].(string)
	bob.json("GET", "/api/v1/conversations", nil, &list)
	if len(list) != 1 || list[0].ID != bobsID || !list[0].Unread || list[0].LastStatus["id"] != again {
		t.Fatalf("after a newer message: %+v", list)
	}

	for _, c := range []struct {
		method, path string
	}{{"POST", "/api/v1/conversations/" + bobsID + "/read"}, {"DELETE", "/api/v1/conversations/" + bobsID},
		{"POST", "/api/v1/conversations/12345/read"}} {
		if status, _ := carol.do(c.method, c.path, nil); status != http.StatusNotFound {
			t.Errorf("carol %s %s: %d", c.method, c.path, status)
		}
	}
	if status, _ := s.user("rita", "read").do("DELETE", "/api/v1/conversations/"+bobsID, nil); status != http.StatusForbidden {
		t.Errorf("removing with a read token: %d", status)
	}
}
