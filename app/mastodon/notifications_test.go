package mastodon_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// notificationsOf decodes a list of notifications.
func notificationsOf(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("not a list: %v: %s", err, data)
	}
	return list
}

// summary writes notifications as type:username, newest first.
func summary(list []map[string]any) string {
	var out []string
	for _, n := range list {
		acct, _ := n["account"].(map[string]any)
		out = append(out, n["type"].(string)+":"+acct["acct"].(string))
	}
	return strings.Join(out, ",")
}

// notificationSetup gives alice a post and five notifications about it
// and her: bob's and carol's favourites, bob's boost, bob's follow and
// carol's mention, in that order.
func notificationSetup(t *testing.T) (s *server, alice, bob, carol *client, postID string) {
	s = startServer(t, "a.test", nil)
	alice, bob, carol = s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	postID = alice.compose("Notice me", nil)["id"].(string)
	bob.json("POST", "/api/v1/statuses/"+postID+"/favourite", nil, nil)
	carol.json("POST", "/api/v1/statuses/"+postID+"/favourite", nil, nil)
	bob.json("POST", "/api/v1/statuses/"+postID+"/reblog", nil, nil)
	followNow(t, s, bob.identity, alice.identity)
	carol.compose("@alice hello", nil)
	eventually(t, "five notifications", func() bool {
		_, body := alice.request("GET", "/api/v1/notifications", nil, nil)
		return len(notificationsOf(t, body)) == 5
	})
	return s, alice, bob, carol, postID
}

// The notification list: newest first, with accounts and statuses,
// filtered by types, excluded types and account, paged with Link
// headers; one notification; dismissing; clearing.
func TestNotificationList(t *testing.T) {
	t.Parallel()
	s, alice, _, carol, postID := notificationSetup(t)

	resp, body := alice.request("GET", "/api/v1/notifications", nil, nil)
	list := notificationsOf(t, body)
	if got := summary(list); got != "mention:carol,follow:bob,reblog:bob,favourite:carol,favourite:bob" {
		t.Fatalf("notifications: %s", got)
	}
	for _, n := range list {
		st, _ := n["status"].(map[string]any)
		switch n["type"] {
		case "follow":
			if _, has := n["status"]; has {
				t.Errorf("a follow with a status: %v", n)
			}
		case "favourite", "reblog":
			if st["id"] != postID {
				t.Errorf("%s of %v", n["type"], st)
			}
			if !strings.HasPrefix(n["group_key"].(string), n["type"].(string)+"-"+postID+"-") {
				t.Errorf("group key of a %s: %v", n["type"], n["group_key"])
			}
		case "mention":
			if st == nil || !strings.Contains(st["content"].(string), "hello") || n["group_key"] != "ungrouped-"+n["id"].(string) {
				t.Errorf("mention: %v", n)
			}
		}
	}
	if resp.Header.Get("Link") == "" {
		t.Fatal("no Link header")
	}

	filters := map[string]string{
		"types[]=favourite":                             "favourite:carol,favourite:bob",
		"types[]=favourite&types[]=mention":             "mention:carol,favourite:carol,favourite:bob",
		"exclude_types[]=favourite":                     "mention:carol,follow:bob,reblog:bob",
		"account_id=" + carol.accountID():               "mention:carol,favourite:carol",
		"types[]=admin.sign_up":                         "",
		"limit=2":                                       "mention:carol,follow:bob",
		"max_id=" + list[1]["id"].(string):              "reblog:bob,favourite:carol,favourite:bob",
		"since_id=" + list[2]["id"].(string):            "mention:carol,follow:bob",
		"min_id=" + list[4]["id"].(string) + "&limit=1": "favourite:carol",
	}
	for q, want := range filters {
		_, body := alice.request("GET", "/api/v1/notifications?"+q, nil, nil)
		if got := summary(notificationsOf(t, body)); got != want {
			t.Errorf("?%s: %s, want %s", q, got, want)
		}
	}
	resp, _ = alice.request("GET", "/api/v1/notifications?limit=2", nil, nil)
	if next := linkQuery(t, resp.Header.Get("Link"), "next", "max_id"); next != list[1]["id"] {
		t.Errorf("next page after %s, want %s", next, list[1]["id"])
	}

	first := list[0]["id"].(string)
	var one map[string]any
	alice.json("GET", "/api/v1/notifications/"+first, nil, &one)
	if one["id"] != first || one["type"] != "mention" {
		t.Fatalf("one notification: %v", one)
	}
	if status, _ := carol.do("GET", "/api/v1/notifications/"+first, nil); status != http.StatusNotFound {
		t.Fatalf("someone else's notification: %d", status)
	}
	alice.json("POST", "/api/v1/notifications/"+first+"/dismiss", nil, nil)
	if status, _ := alice.do("GET", "/api/v1/notifications/"+first, nil); status != http.StatusNotFound {
		t.Fatalf("a dismissed notification: %d", status)
	}
	if status, _ := alice.do("POST", "/api/v1/notifications/"+first+"/dismiss", nil); status != http.StatusNotFound {
		t.Fatalf("dismissing twice: %d", status)
	}
	if status, _ := carol.do("POST", "/api/v1/notifications/"+list[1]["id"].(string)+"/dismiss", nil); status != http.StatusNotFound {
		t.Fatalf("dismissing someone else's: %d", status)
	}
	reader := s.user("rita", "read")
	if status, _ := reader.do("POST", "/api/v1/notifications/clear", nil); status != http.StatusForbidden {
		t.Fatalf("clearing with a read token: %d", status)
	}
	alice.json("POST", "/api/v1/notifications/clear", nil, nil)
	if _, body := alice.request("GET", "/api/v1/notifications", nil, nil); len(notificationsOf(t, body)) != 0 {
		t.Fatalf("after clearing: %s", body)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/notifications", nil); status != http.StatusUnauthorized {
		t.Fatalf("notifications without a token: %d", status)
	}
}

// Unread counts run from the notifications marker; a muted thread's new
// notifications stay out.
func TestNotificationUnreadAndThreadMute(t *testing.T) {
	t.Parallel()
	s, alice, _, _, postID := notificationSetup(t)
	var count map[string]int
	alice.json("GET", "/api/v1/notifications/unread_count", nil, &count)
	if count["count"] != 5 {
		t.Fatalf("unread before any marker: %v", count)
	}
	alice.json("GET", "/api/v1/notifications/unread_count?limit=3", nil, &count)
	if count["count"] != 3 {
		t.Fatalf("unread capped at 3: %v", count)
	}
	_, body := alice.request("GET", "/api/v1/notifications", nil, nil)
	list := notificationsOf(t, body)
	alice.json("POST", "/api/v1/markers", url.Values{"notifications[last_read_id]": {list[2]["id"].(string)}}, nil)
	alice.json("GET", "/api/v1/notifications/unread_count", nil, &count)
	if count["count"] != 2 {
		t.Fatalf("unread after the marker: %v", count)
	}
	alice.json("GET", "/api/v1/notifications/unread_count?types[]=mention", nil, &count)
	if count["count"] != 1 {
		t.Fatalf("unread mentions: %v", count)
	}

	var st map[string]any
	alice.json("POST", "/api/v1/statuses/"+postID+"/mute", nil, &st)
	if st["muted"] != true {
		t.Fatalf("mute answered %v", st)
	}
	dave := s.user("dave", "")
	dave.json("POST", "/api/v1/statuses/"+postID+"/favourite", nil, nil)
	_, body = alice.request("GET", "/api/v1/notifications?types[]=favourite", nil, nil)
	if got := summary(notificationsOf(t, body)); got != "favourite:carol,favourite:bob" {
		t.Fatalf("favourites of a muted thread: %s", got)
	}
	alice.json("GET", "/api/v1/notifications/unread_count", nil, &count)
	if count["count"] != 2 {
		t.Fatalf("unread with a muted thread: %v", count)
	}
}

// Grouped notifications: likes and boosts of one post and follows group
// within the hour; a group can be read, listed by account and dismissed.
func TestNotificationGroups(t *testing.T) {
	t.Parallel()
	_, alice, bob, carol, postID := notificationSetup(t)
	var res struct {
		Accounts []map[string]any `json:"accounts"`
		Statuses []map[string]any `json:"statuses"`
		Groups   []map[string]any `json:"notification_groups"`
	}
	alice.json("GET", "/api/v2/notifications", nil, &res)
	if len(res.Groups) != 4 || len(res.Statuses) != 2 || len(res.Accounts) != 2 {
		t.Fatalf("groups: %+v", res)
	}
	var fav map[string]any
	for _, g := range res.Groups {
		if g["type"] == "favourite" {
			fav = g
		}
	}
	samples, _ := fav["sample_account_ids"].([]any)
	if fav == nil || fav["notifications_count"] != float64(2) || fav["status_id"] != postID || len(samples) != 2 ||
		samples[0] != carol.accountID() || samples[1] != bob.accountID() {
		t.Fatalf("favourite group: %v", fav)
	}
	key := fav["group_key"].(string)
	var one struct {
		Groups []map[string]any `json:"notification_groups"`
	}
	alice.json("GET", "/api/v2/notifications/"+url.PathEscape(key), nil, &one)
	if len(one.Groups) != 1 || one.Groups[0]["notifications_count"] != float64(2) {
		t.Fatalf("one group: %+v", one)
	}
	_, body := alice.request("GET", "/api/v2/notifications/"+url.PathEscape(key)+"/accounts", nil, nil)
	if got := usernamesOf(t, body); strings.Join(got, ",") != "carol,bob" {
		t.Fatalf("group accounts: %v", got)
	}
	alice.json("GET", "/api/v2/notifications?grouped_types[]=reblog", nil, &res)
	if len(res.Groups) != 5 {
		t.Fatalf("with only boosts grouped: %d groups", len(res.Groups))
	}
	var count map[string]int
	alice.json("GET", "/api/v2/notifications/unread_count", nil, &count)
	if count["count"] != 4 {
		t.Fatalf("unread groups: %v", count)
	}
	alice.json("POST", "/api/v2/notifications/"+url.PathEscape(key)+"/dismiss", nil, nil)
	if status, _ := alice.do("GET", "/api/v2/notifications/"+url.PathEscape(key), nil); status != http.StatusNotFound {
		t.Fatalf("a dismissed group: %d", status)
	}
	if status, _ := bob.do("GET", "/api/v2/notifications/ungrouped-1", nil); status != http.StatusNotFound {
		t.Fatalf("no such group: %d", status)
	}
}

func summaryOf(t *testing.T, data []byte) string { return summary(notificationsOf(t, data)) }
