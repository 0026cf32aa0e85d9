package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"pukeko/app/model"
	"pukeko/app/store"
)

// notificationRequestsOf decodes a list of notification requests.
func notificationRequestsOf(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("not a list: %v: %s", err, data)
	}
	return list
}

// policySummary reads the caller's policy summary: pending requests and
// pending notifications.
func policySummary(c *client) (requests, notifications float64) {
	c.t.Helper()
	var p map[string]any
	c.json("GET", "/api/v2/notifications/policy", nil, &p)
	sum := p["summary"].(map[string]any)
	return sum["pending_requests_count"].(float64), sum["pending_notifications_count"].(float64)
}

// waitNotifications waits until c has n notifications counting the
// filtered ones, and returns the shown ones as type:acct.
func waitNotifications(t *testing.T, c *client, n int) string {
	t.Helper()
	eventually(t, "notifications to arrive", func() bool {
		_, body := c.request("GET", "/api/v1/notifications?include_filtered=true", nil, nil)
		return len(notificationsOf(t, body)) == n
	})
	_, body := c.request("GET", "/api/v1/notifications", nil, nil)
	return summaryOf(t, body)
}

// With for_not_following set to filter, notifications from accounts the
// user does not follow are filed into one request per sender: left out of
// the lists and the stream, counted in the policy's summary, listed and
// paged as requests; accepting one merges its notifications and lets the
// sender through from then on; dismissing one drops them, and the next
// filtered notification opens a new request.
func TestNotificationRequests(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	closeStreamsFirst(t, s)
	alice, bob, carol, dave := s.user("alice", ""), s.user("bob", ""), s.user("carol", ""), s.user("dave", "")
	followNow(t, s, alice.identity, carol.identity)
	var p map[string]any
	alice.json("PATCH", "/api/v2/notifications/policy", map[string]any{"for_not_following": "filter"}, &p)
	if p["for_not_following"] != "filter" || p["for_not_followers"] != "accept" {
		t.Fatalf("policy: %v", p)
	}
	if status, body := alice.do("PATCH", "/api/v2/notifications/policy", map[string]any{"for_new_accounts": "maybe"}); status != http.StatusUnprocessableEntity {
		t.Fatalf("an unknown choice: %d %s", status, body)
	}
	_, ws := openWebSocket(t, s, alice, "stream=user:notification")

	postID := alice.compose("Notice me", nil)["id"].(string)
	bob.json("POST", "/api/v1/statuses/"+postID+"/favourite", nil, nil)
	waitNotifications(t, alice, 1)
	bobMention := bob.compose("@alice hello from bob", nil)["id"].(string)
	waitNotifications(t, alice, 2)
	carol.compose("@alice hello from carol", nil)
	if got := waitNotifications(t, alice, 3); got != "mention:carol" {
		t.Fatalf("shown notifications: %s", got)
	}
	// The stream skipped bob's two: the first notification it brings is
	// carol's.
	n := ws.next("a notification", func(e streamEvent) bool { return e.Event == "notification" })
	if acct := n.object(t)["account"].(map[string]any)["acct"]; acct != "carol" {
		t.Fatalf("streamed first: a notification from %v", acct)
	}
	var groups map[string]any
	alice.json("GET", "/api/v2/notifications", nil, &groups)
	if g := groups["notification_groups"].([]any); len(g) != 1 {
		t.Fatalf("grouped notifications: %v", g)
	}
	if r, n := policySummary(alice); r != 1 || n != 2 {
		t.Fatalf("summary: %v requests, %v notifications", r, n)
	}

	_, body := alice.request("GET", "/api/v1/notifications/requests", nil, nil)
	list := notificationRequestsOf(t, body)
	if len(list) != 1 {
		t.Fatalf("requests: %s", body)
	}
	req := list[0]
	last, _ := req["last_status"].(map[string]any)
	if req["account"].(map[string]any)["acct"] != "bob" || req["notifications_count"] != "2" || last["id"] != bobMention {
		t.Fatalf("bob's request: %v", req)
	}
	bobRequest := req["id"].(string)
	var one map[string]any
	alice.json("GET", "/api/v1/notifications/requests/"+bobRequest, nil, &one)
	if one["id"] != bobRequest || one["notifications_count"] != "2" {
		t.Fatalf("one request: %v", one)
	}
	for _, path := range []string{"/api/v1/notifications/requests/" + bobRequest, "/api/v1/notifications/requests/12345"} {
		if status, _ := carol.do("GET", path, nil); status != http.StatusNotFound {
			t.Fatalf("GET %s as another user: %d", path, status)
		}
	}
	if status, _ := carol.do("POST", "/api/v1/notifications/requests/"+bobRequest+"/accept", nil); status != http.StatusNotFound {
		t.Fatalf("accepting another user's request: %d", status)
	}

	dave.compose("@alice hello from dave", nil)
	waitNotifications(t, alice, 4)
	resp, body := alice.request("GET", "/api/v1/notifications/requests?limit=1", nil, nil)
	list = notificationRequestsOf(t, body)
	if len(list) != 1 || list[0]["account"].(map[string]any)["acct"] != "dave" {
		t.Fatalf("first page of requests: %s", body)
	}
	daveRequest := list[0]["id"].(string)
	next := linkQuery(t, resp.Header.Get("Link"), "next", "max_id")
	_, body = alice.request("GET", "/api/v1/notifications/requests?limit=1&max_id="+next, nil, nil)
	if list = notificationRequestsOf(t, body); len(list) != 1 || list[0]["id"] != bobRequest {
		t.Fatalf("second page of requests: %s", body)
	}
	if r, n := policySummary(alice); r != 2 || n != 3 {
		t.Fatalf("summary with dave's: %v requests, %v notifications", r, n)
	}

	// Accepting bob's request merges his notifications and lets his next
	// ones through.
	alice.json("POST", "/api/v1/notifications/requests/"+bobRequest+"/accept", nil, nil)
	_, body = alice.request("GET", "/api/v1/notifications", nil, nil)
	if got := summaryOf(t, body); got != "mention:carol,mention:bob,favourite:bob" {
		t.Fatalf("after accepting bob: %s", got)
	}
	var merged map[string]any
	alice.json("GET", "/api/v1/notifications/requests/merged", nil, &merged)
	if merged["merged"] != true {
		t.Fatalf("merged: %v", merged)
	}
	bob.compose("@alice again", nil)
	if got := waitNotifications(t, alice, 5); got != "mention:bob,mention:carol,mention:bob,favourite:bob" {
		t.Fatalf("bob's next mention: %s", got)
	}
	if status, _ := alice.do("GET", "/api/v1/notifications/requests/"+bobRequest, nil); status != http.StatusNotFound {
		t.Fatalf("an accepted request: %d", status)
	}

	// Dismissing dave's request drops his notifications; his next one
	// opens a new request.
	alice.json("POST", "/api/v1/notifications/requests/"+daveRequest+"/dismiss", nil, nil)
	if r, n := policySummary(alice); r != 0 || n != 0 {
		t.Fatalf("summary after dismissing: %v requests, %v notifications", r, n)
	}
	_, body = alice.request("GET", "/api/v1/notifications?include_filtered=true", nil, nil)
	if got := summaryOf(t, body); got != "mention:bob,mention:carol,mention:bob,favourite:bob" {
		t.Fatalf("dave's notifications after dismissing: %s", got)
	}
	dave.compose("@alice still here", nil)
	eventually(t, "dave's new request", func() bool {
		_, body = alice.request("GET", "/api/v1/notifications/requests", nil, nil)
		return len(notificationRequestsOf(t, body)) == 1
	})
	if list = notificationRequestsOf(t, body); list[0]["id"] == daveRequest || list[0]["notifications_count"] != "1" {
		t.Fatalf("dave's new request: %s", body)
	}
}

// Requests accepted and dismissed in bulk: ids of others and unknown ids
// are passed over. drop writes nothing at all; accept shows everything.
func TestNotificationRequestsBulkAndDrop(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol, dave := s.user("alice", ""), s.user("bob", ""), s.user("carol", ""), s.user("dave", "")
	alice.json("PATCH", "/api/v2/notifications/policy", url.Values{"for_not_followers": {"filter"}}, nil)
	bob.json("PATCH", "/api/v2/notifications/policy", url.Values{"for_not_following": {"filter"}}, nil)

	// A follow younger than three days does not make a follower yet.
	followNow(t, s, carol.identity, alice.identity)
	carol.compose("@alice from carol", nil)
	dave.compose("@alice from dave", nil)
	dave.compose("@bob from dave", nil)
	waitNotifications(t, alice, 3)
	waitNotifications(t, bob, 1)
	_, body := alice.request("GET", "/api/v1/notifications/requests", nil, nil)
	list := notificationRequestsOf(t, body)
	if len(list) != 2 {
		t.Fatalf("alice's requests: %s", body)
	}
	_, body = bob.request("GET", "/api/v1/notifications/requests", nil, nil)
	bobs := notificationRequestsOf(t, body)[0]["id"].(string)

	ids := url.Values{"id[]": {list[0]["id"].(string), bobs, "nonsense"}}
	alice.json("POST", "/api/v1/notifications/requests/accept", ids, nil)
	_, body = alice.request("GET", "/api/v1/notifications/requests", nil, nil)
	if left := notificationRequestsOf(t, body); len(left) != 1 || left[0]["id"] != list[1]["id"] {
		t.Fatalf("after accepting one in bulk: %s", body)
	}
	if r, _ := policySummary(bob); r != 1 {
		t.Fatalf("bob's request was accepted by alice")
	}
	alice.json("POST", "/api/v1/notifications/requests/dismiss", map[string]any{"id": []string{list[1]["id"].(string)}}, nil)
	if r, n := policySummary(alice); r != 0 || n != 0 {
		t.Fatalf("after dismissing in bulk: %v requests, %v notifications", r, n)
	}
	alice.json("POST", "/api/v1/notifications/requests/dismiss", nil, nil)

	// drop: nothing is written, not even filtered.
	bob.json("PATCH", "/api/v2/notifications/policy", url.Values{"for_not_following": {"drop"}}, nil)
	dave.compose("@bob dropped", nil)
	waitFannedOutText(t, s, "dropped")
	_, body = bob.request("GET", "/api/v1/notifications?include_filtered=true", nil, nil)
	if n := len(notificationsOf(t, body)); n != 1 {
		t.Fatalf("bob's notifications after a dropped mention: %s", body)
	}

	// accept: everything shows.
	bob.json("PATCH", "/api/v2/notifications/policy", url.Values{"for_not_following": {"accept"}}, nil)
	dave.compose("@bob accepted", nil)
	if got := waitNotifications(t, bob, 2); got != "mention:dave" {
		t.Fatalf("bob's notifications under accept: %s", got)
	}
}

// waitFannedOutText waits until the post whose text contains text has
// been fanned out.
func waitFannedOutText(t *testing.T, s *server, text string) {
	t.Helper()
	var id string
	eventually(t, "the post", func() bool {
		return s.DB.QueryRow(t.Context(), "SELECT id::text FROM posts WHERE content LIKE '%' || $1 || '%'", text).Scan(&id) == nil
	})
	waitFannedOut(t, s, id)
}

// Private mentions from accounts not followed are filtered, but not one
// that answers the user's own private mention; a sender the user follows
// passes.
func TestNotificationRequestsPrivateMentions(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	alice.json("PATCH", "/api/v2/notifications/policy", url.Values{"for_private_mentions": {"filter"}}, nil)
	followNow(t, s, alice.identity, carol.identity)

	bob.compose("@alice psst", map[string]any{"visibility": "direct"})
	bob.compose("@alice in the open", nil)
	waitNotifications(t, alice, 2)
	asked := alice.compose("@bob a question", map[string]any{"visibility": "direct"})["id"].(string)
	bob.compose("@alice the answer", map[string]any{"visibility": "direct", "in_reply_to_id": asked})
	waitNotifications(t, alice, 3)
	carol.compose("@alice from a friend", map[string]any{"visibility": "direct"})
	if got := waitNotifications(t, alice, 4); got != "mention:carol,mention:bob,mention:bob" {
		t.Fatalf("shown: %s", got)
	}
	if r, n := policySummary(alice); r != 1 || n != 1 {
		t.Fatalf("summary: %v requests, %v notifications", r, n)
	}
}

// New accounts are filtered unless followed; mentions from the server's
// staff always pass.
func TestNotificationRequestsNewAccountsAndStaff(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	ctx := context.Background()
	u := &model.User{Email: "admin@a.test.example", PasswordHash: hashedTestPassword, Admin: true}
	if err := store.CreateUser(ctx, s.DB, u); err != nil {
		t.Fatal(err)
	}
	admin := s.anonymous()
	var err error
	if admin.identity, err = s.Instance.CreateIdentity(ctx, u.ID, "admin", s.domain, "Admin"); err != nil {
		t.Fatal(err)
	}
	admin.token = admin.login(u.Email, "read write")
	alice.json("PATCH", "/api/v2/notifications/policy", url.Values{"for_new_accounts": {"filter"}}, nil)
	followNow(t, s, alice.identity, carol.identity)

	bob.compose("@alice from a newcomer", nil)
	waitNotifications(t, alice, 1)
	carol.compose("@alice from a newcomer alice follows", nil)
	waitNotifications(t, alice, 2)
	admin.compose("@alice from the staff", nil)
	if got := waitNotifications(t, alice, 3); got != "mention:admin,mention:carol" {
		t.Fatalf("shown: %s", got)
	}
	if r, n := policySummary(alice); r != 1 || n != 1 {
		t.Fatalf("summary: %v requests, %v notifications", r, n)
	}
}
