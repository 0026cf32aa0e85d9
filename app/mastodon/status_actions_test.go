package mastodon_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// compose makes c post a status with extra parameters and returns it.
func (c *client) compose(text string, extra map[string]any) map[string]any {
	c.t.Helper()
	body := map[string]any{"status": text}
	for k, v := range extra {
		body[k] = v
	}
	var st map[string]any
	c.json("POST", "/api/v1/statuses", body, &st)
	return st
}

// Favourites, boosts, bookmarks, pins and thread mutes through the API:
// each answers the status with the viewer's state, and undoing answers it
// without.
func TestStatusActionToggles(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	id := alice.compose("Kia ora", nil)["id"].(string)

	cases := []struct {
		who       *client
		do, undo  string
		field     string
		countName string
	}{
		{bob, "favourite", "unfavourite", "favourited", "favourites_count"},
		{bob, "bookmark", "unbookmark", "bookmarked", ""},
		{alice, "pin", "unpin", "pinned", ""},
		{bob, "mute", "unmute", "muted", ""},
	}
	for _, c := range cases {
		var st map[string]any
		c.who.json("POST", "/api/v1/statuses/"+id+"/"+c.do, nil, &st)
		if st["id"] != id || st[c.field] != true {
			t.Fatalf("%s: %v = %v in %v", c.do, c.field, st[c.field], st)
		}
		if c.countName != "" && st[c.countName] != float64(1) {
			t.Fatalf("%s: %s = %v", c.do, c.countName, st[c.countName])
		}
		var again map[string]any
		c.who.json("GET", "/api/v1/statuses/"+id, nil, &again)
		if c.field != "muted" && again[c.field] != true {
			t.Fatalf("after %s, GET shows %s = %v", c.do, c.field, again[c.field])
		}
		c.who.json("POST", "/api/v1/statuses/"+id+"/"+c.undo, nil, &st)
		if st[c.field] != false {
			t.Fatalf("%s: %v = %v", c.undo, c.field, st[c.field])
		}
		if c.countName != "" && st[c.countName] != float64(0) {
			t.Fatalf("%s: %s = %v", c.undo, c.countName, st[c.countName])
		}
	}

	// A boost answers the boost, wrapping the post; unboosting answers
	// the post.
	var boost map[string]any
	bob.json("POST", "/api/v1/statuses/"+id+"/reblog", url.Values{"visibility": {"unlisted"}}, &boost)
	inner, _ := boost["reblog"].(map[string]any)
	if inner == nil || inner["id"] != id || boost["id"] == id || boost["reblogged"] != true ||
		boost["visibility"] != "unlisted" || boost["account"].(map[string]any)["username"] != "bob" ||
		inner["reblogs_count"] != float64(1) {
		t.Fatalf("reblog answered %v", boost)
	}
	var again map[string]any
	bob.json("POST", "/api/v1/statuses/"+id+"/reblog", nil, &again)
	if again["id"] != boost["id"] {
		t.Fatalf("boosting twice made a second boost: %v then %v", boost["id"], again["id"])
	}
	var unboosted map[string]any
	bob.json("POST", "/api/v1/statuses/"+id+"/unreblog", nil, &unboosted)
	if unboosted["id"] != id || unboosted["reblogged"] != false || unboosted["reblogs_count"] != float64(0) {
		t.Fatalf("unreblog answered %v", unboosted)
	}
	if status, body := bob.do("POST", "/api/v1/statuses/"+id+"/reblog", url.Values{"visibility": {"direct"}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("a direct boost: %d %s", status, body)
	}
	// Only one's own posts are pinned.
	if status, body := bob.do("POST", "/api/v1/statuses/"+id+"/pin", nil); status != http.StatusUnprocessableEntity {
		t.Fatalf("pinning someone else's post: %d %s", status, body)
	}
}

// Actions on a post the caller may not see, or that does not exist, are
// 404; a token without the scope gets 403, none 401.
func TestStatusActionRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	reader := s.user("rita", "read")
	private := alice.compose("for my followers", map[string]any{"visibility": "private"})["id"].(string)
	public := alice.compose("for everyone", nil)["id"].(string)

	for _, action := range []string{"favourite", "unfavourite", "reblog", "unreblog", "bookmark", "unbookmark", "pin", "unpin", "mute", "unmute"} {
		if status, body := bob.do("POST", "/api/v1/statuses/"+private+"/"+action, nil); status != http.StatusNotFound {
			t.Errorf("%s of a hidden post: %d %s", action, status, body)
		}
		if status, _ := bob.do("POST", "/api/v1/statuses/123/"+action, nil); status != http.StatusNotFound {
			t.Errorf("%s of no post: %d", action, status)
		}
	}
	for _, path := range []string{"favourited_by", "reblogged_by", "history", "source"} {
		if status, _ := bob.do("GET", "/api/v1/statuses/"+private+"/"+path, nil); status != http.StatusNotFound {
			t.Errorf("%s of a hidden post: %d", path, status)
		}
	}
	if status, _ := reader.do("POST", "/api/v1/statuses/"+public+"/favourite", nil); status != http.StatusForbidden {
		t.Errorf("favourite with a read token: %d", status)
	}
	if status, _ := s.anonymous().do("POST", "/api/v1/statuses/"+public+"/favourite", nil); status != http.StatusUnauthorized {
		t.Errorf("favourite without a token: %d", status)
	}
	// The author sees it, and may act on it.
	if status, _ := alice.do("POST", "/api/v1/statuses/"+private+"/bookmark", nil); status != http.StatusOK {
		t.Errorf("bookmarking one's own private post: %d", status)
	}
	// Boosting a private post is refused as Mastodon refuses it.
	if status, _ := alice.do("POST", "/api/v1/statuses/"+private+"/reblog", nil); status != http.StatusUnprocessableEntity {
		t.Errorf("boosting a private post: %d", status)
	}
}

// Who favourited and boosted, paged by the like's and boost's own order,
// with Link headers; blocked accounts are left out for the blocker.
func TestStatusActionAccounts(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	fans := []*client{s.user("bob", ""), s.user("carol", ""), s.user("dave", "")}
	id := alice.compose("Like me", nil)["id"].(string)
	for _, f := range fans {
		f.json("POST", "/api/v1/statuses/"+id+"/favourite", nil, nil)
	}
	fans[0].json("POST", "/api/v1/statuses/"+id+"/reblog", nil, nil)

	resp, body := alice.request("GET", "/api/v1/statuses/"+id+"/favourited_by?limit=2", nil, nil)
	if got := usernamesOf(t, body); strings.Join(got, ",") != "dave,carol" {
		t.Fatalf("favourited_by page 1: %v", got)
	}
	next := linkQuery(t, resp.Header.Get("Link"), "next", "max_id")
	_, body = alice.request("GET", "/api/v1/statuses/"+id+"/favourited_by?limit=2&max_id="+next, nil, nil)
	if got := usernamesOf(t, body); strings.Join(got, ",") != "bob" {
		t.Fatalf("favourited_by page 2: %v", got)
	}
	_, body = s.anonymous().request("GET", "/api/v1/statuses/"+id+"/reblogged_by", nil, nil)
	if got := usernamesOf(t, body); strings.Join(got, ",") != "bob" {
		t.Fatalf("reblogged_by: %v", got)
	}
	alice.json("POST", "/api/v1/accounts/"+fans[1].accountID()+"/block", nil, nil)
	_, body = alice.request("GET", "/api/v1/statuses/"+id+"/favourited_by", nil, nil)
	if got := usernamesOf(t, body); strings.Join(got, ",") != "dave,bob" {
		t.Fatalf("favourited_by after blocking carol: %v", got)
	}
}

// History lists every version oldest first; source is what was typed;
// GET /api/v1/statuses answers several visible statuses in order.
func TestStatusActionHistorySourceAndMany(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	id := alice.compose("first", nil)["id"].(string)

	var history []map[string]any
	bob.json("GET", "/api/v1/statuses/"+id+"/history", nil, &history)
	if len(history) != 1 || !strings.Contains(history[0]["content"].(string), "first") {
		t.Fatalf("history of an unedited post: %v", history)
	}
	alice.json("PUT", "/api/v1/statuses/"+id, map[string]any{"status": "second", "spoiler_text": "cw"}, nil)
	alice.json("PUT", "/api/v1/statuses/"+id, map[string]any{"status": "third"}, nil)
	bob.json("GET", "/api/v1/statuses/"+id+"/history", nil, &history)
	if len(history) != 3 {
		t.Fatalf("history after two edits: %v", history)
	}
	for k, want := range []string{"first", "second", "third"} {
		if !strings.Contains(history[k]["content"].(string), want) {
			t.Fatalf("version %d: %v", k, history[k])
		}
	}
	if history[1]["spoiler_text"] != "cw" || history[0]["spoiler_text"] != "" || history[0]["account"].(map[string]any)["username"] != "alice" {
		t.Fatalf("versions: %v", history)
	}
	if history[0]["created_at"].(string) > history[1]["created_at"].(string) {
		t.Fatalf("versions out of order: %v", history)
	}

	var src map[string]any
	alice.json("GET", "/api/v1/statuses/"+id+"/source", nil, &src)
	if src["id"] != id || src["text"] != "third" || src["spoiler_text"] != "cw" {
		t.Fatalf("source: %v", src)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/statuses/"+id+"/source", nil); status != http.StatusUnauthorized {
		t.Fatalf("source without a token: %d", status)
	}

	hidden := alice.compose("secret", map[string]any{"visibility": "private"})["id"].(string)
	other := alice.compose("another", nil)["id"].(string)
	var many []map[string]any
	bob.json("GET", "/api/v1/statuses?id[]="+other+"&id[]="+hidden+"&id[]="+id+"&id[]=999", nil, &many)
	if len(many) != 2 || many[0]["id"] != other || many[1]["id"] != id {
		t.Fatalf("several statuses: %v", many)
	}
	status, body := bob.do("GET", "/api/v1/statuses?"+strings.Repeat("id[]=1&", 41), nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("41 ids: %d %s", status, body)
	}
}
