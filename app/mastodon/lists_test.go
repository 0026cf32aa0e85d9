package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Lists: created, read, renamed and deleted by their owner only; bad input
// refused.
func TestListCRUD(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")

	var l map[string]any
	alice.json("POST", "/api/v1/lists", map[string]any{"title": "Birds", "exclusive": true}, &l)
	if l["title"] != "Birds" || l["replies_policy"] != "list" || l["exclusive"] != true {
		t.Fatalf("created list: %v", l)
	}
	id := l["id"].(string)
	alice.json("PUT", "/api/v1/lists/"+id, url.Values{"replies_policy": {"followed"}}, &l)
	if l["title"] != "Birds" || l["replies_policy"] != "followed" || l["exclusive"] != true {
		t.Fatalf("updated list: %v", l)
	}
	alice.json("PUT", "/api/v1/lists/"+id, map[string]any{"title": "Native birds", "exclusive": false}, &l)
	alice.json("GET", "/api/v1/lists/"+id, nil, &l)
	if l["title"] != "Native birds" || l["replies_policy"] != "followed" || l["exclusive"] != false {
		t.Fatalf("list read back: %v", l)
	}
	var lists []map[string]any
	alice.json("GET", "/api/v1/lists", nil, &lists)
	if len(lists) != 1 || lists[0]["id"] != id {
		t.Fatalf("lists: %v", lists)
	}

	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/lists/" + id, nil},
		{"PUT", "/api/v1/lists/" + id, url.Values{"title": {"mine now"}}},
		{"DELETE", "/api/v1/lists/" + id, nil},
		{"GET", "/api/v1/lists/" + id + "/accounts", nil},
		{"POST", "/api/v1/lists/" + id + "/accounts", url.Values{"account_ids[]": {idStr(alice.identity.ID)}}},
		{"DELETE", "/api/v1/lists/" + id + "/accounts", url.Values{"account_ids[]": {idStr(alice.identity.ID)}}},
		{"GET", "/api/v1/timelines/list/" + id, nil},
		{"GET", "/api/v1/lists/nonsense", nil},
	} {
		srvStatus(t, bob, c.method, c.path, c.body, http.StatusNotFound)
	}
	bob.json("GET", "/api/v1/lists", nil, &lists)
	if len(lists) != 0 {
		t.Fatalf("bob sees lists: %v", lists)
	}

	srvStatus(t, alice, "POST", "/api/v1/lists", url.Values{"title": {"  "}}, http.StatusUnprocessableEntity)
	srvStatus(t, alice, "POST", "/api/v1/lists", url.Values{"title": {"x"}, "replies_policy": {"everyone"}}, http.StatusUnprocessableEntity)
	srvStatus(t, alice, "PUT", "/api/v1/lists/"+id, url.Values{"title": {""}}, http.StatusUnprocessableEntity)
	srvStatus(t, s.anonymous(), "GET", "/api/v1/lists", nil, http.StatusUnauthorized)
	reader := s.user("rita", "read:lists")
	srvStatus(t, reader, "POST", "/api/v1/lists", url.Values{"title": {"x"}}, http.StatusForbidden)
	reader.json("GET", "/api/v1/lists", nil, &lists)

	srvStatus(t, alice, "DELETE", "/api/v1/lists/"+id, nil, http.StatusOK)
	srvStatus(t, alice, "GET", "/api/v1/lists/"+id, nil, http.StatusNotFound)
	srvStatus(t, alice, "DELETE", "/api/v1/lists/"+id, nil, http.StatusNotFound)

	for n := 0; n < store.MaxLists; n++ {
		if err := store.CreateList(context.Background(), s.DB, &model.List{IdentityID: alice.identity.ID, Title: "l", RepliesPolicy: "list"}); err != nil {
			t.Fatal(err)
		}
	}
	data := srvStatus(t, alice, "POST", "/api/v1/lists", url.Values{"title": {"one too many"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(string(data), "maximum number of lists") {
		t.Fatalf("list limit: %s", data)
	}
}

// Members: only followed accounts join; pages of members; the lists an
// account is in; an unfollow takes the account out.
func TestListMembers(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol, dave := s.user("alice", ""), s.user("bob", ""), s.user("carol", ""), s.user("dave", "")
	followNow(t, s, alice.identity, bob.identity)
	followNow(t, s, alice.identity, carol.identity)

	var l map[string]any
	alice.json("POST", "/api/v1/lists", url.Values{"title": {"Friends"}}, &l)
	id := l["id"].(string)
	base := "/api/v1/lists/" + id + "/accounts"

	srvStatus(t, alice, "POST", base, url.Values{"account_ids[]": {idStr(bob.identity.ID), idStr(dave.identity.ID)}}, http.StatusNotFound)
	srvStatus(t, alice, "POST", base, url.Values{"account_ids[]": {"999"}}, http.StatusNotFound)
	srvStatus(t, alice, "POST", base, url.Values{"account_ids[]": {"bob"}}, http.StatusNotFound)
	var members []map[string]any
	alice.json("GET", base, nil, &members)
	if len(members) != 0 {
		t.Fatalf("a refused addition added: %v", members)
	}
	srvStatus(t, alice, "POST", base, map[string]any{"account_ids": []string{idStr(bob.identity.ID)}}, http.StatusOK)
	srvStatus(t, alice, "POST", base, url.Values{"account_ids[]": {idStr(carol.identity.ID)}}, http.StatusOK)
	srvStatus(t, alice, "POST", base, url.Values{"account_ids[]": {idStr(bob.identity.ID)}}, http.StatusUnprocessableEntity)

	resp, data := alice.request("GET", base+"?limit=1", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("members: %d %s", resp.StatusCode, data)
	}
	page := obj(t, []byte(`{"a":`+string(data)+`}`))["a"].([]any)
	link := resp.Header.Get("Link")
	if len(page) != 1 || page[0].(map[string]any)["username"] != "carol" || !strings.Contains(link, `rel="next"`) {
		t.Fatalf("first page of members: %v, Link %q", page, link)
	}
	next := link[strings.Index(link, "<")+1 : strings.Index(link, ">")]
	u, _ := url.Parse(next)
	alice.json("GET", u.RequestURI(), nil, &members)
	if len(members) != 1 || members[0]["username"] != "bob" {
		t.Fatalf("second page of members: %v", members)
	}
	alice.json("GET", base+"?limit=0", nil, &members)
	if len(members) != 2 {
		t.Fatalf("all members: %v", members)
	}

	var lists []map[string]any
	alice.json("GET", "/api/v1/accounts/"+idStr(bob.identity.ID)+"/lists", nil, &lists)
	if len(lists) != 1 || lists[0]["id"] != id {
		t.Fatalf("lists with bob: %v", lists)
	}
	alice.json("GET", "/api/v1/accounts/"+idStr(dave.identity.ID)+"/lists", nil, &lists)
	if len(lists) != 0 {
		t.Fatalf("lists with dave: %v", lists)
	}
	srvStatus(t, alice, "GET", "/api/v1/accounts/999/lists", nil, http.StatusNotFound)

	srvStatus(t, alice, "DELETE", base, url.Values{"account_ids[]": {idStr(carol.identity.ID)}}, http.StatusOK)
	alice.json("GET", base, nil, &members)
	if len(members) != 1 || members[0]["username"] != "bob" {
		t.Fatalf("members after removal: %v", members)
	}
	if err := s.Instance.Unfollow(context.Background(), alice.identity, bob.identity); err != nil {
		t.Fatal(err)
	}
	alice.json("GET", base, nil, &members)
	if len(members) != 0 {
		t.Fatalf("an unfollowed account stays in the list: %v", members)
	}
}

// The list timeline: posts of members from the owner's home timeline, with
// replies as the list's policy says.
func TestListTimeline(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol, dave := s.user("alice", ""), s.user("bob", ""), s.user("carol", ""), s.user("dave", "")
	followNow(t, s, alice.identity, bob.identity)
	followNow(t, s, alice.identity, carol.identity)
	var l map[string]any
	alice.json("POST", "/api/v1/lists", url.Values{"title": {"Bob"}}, &l)
	id := l["id"].(string)
	srvStatus(t, alice, "POST", "/api/v1/lists/"+id+"/accounts", url.Values{"account_ids[]": {idStr(bob.identity.ID)}}, http.StatusOK)

	carolPost := carol.postStatus(map[string]any{"status": "carol here"})
	davePost := dave.postStatus(map[string]any{"status": "dave here"})
	alicePost := alice.postStatus(map[string]any{"status": "alice here"})
	bobPost := bob.postStatus(map[string]any{"status": "bob here"})
	toCarol := bob.postStatus(map[string]any{"status": "@carol indeed", "in_reply_to_id": carolPost})
	toDave := bob.postStatus(map[string]any{"status": "@dave hm", "in_reply_to_id": davePost})
	toAlice := bob.postStatus(map[string]any{"status": "@alice yes", "in_reply_to_id": alicePost})
	toSelf := bob.postStatus(map[string]any{"status": "and more", "in_reply_to_id": bobPost})
	srvHomeHas(t, alice, toSelf)

	timeline := func(policy string) string {
		t.Helper()
		alice.json("PUT", "/api/v1/lists/"+id, url.Values{"replies_policy": {policy}}, &l)
		var page []map[string]any
		alice.json("GET", "/api/v1/timelines/list/"+id, nil, &page)
		var ids []string
		for _, st := range page {
			ids = append(ids, st["id"].(string))
		}
		return strings.Join(ids, ",")
	}
	name := map[string]string{bobPost: "post", toCarol: "toCarol", toDave: "toDave", toAlice: "toAlice", toSelf: "toSelf"}
	names := func(ids string) string {
		var out []string
		for _, id := range strings.Split(ids, ",") {
			out = append(out, name[id])
		}
		return strings.Join(out, ",")
	}
	// dave is neither followed nor a member: a reply to him never shows.
	if got := names(timeline("list")); got != "toSelf,toAlice,post" {
		t.Fatalf("replies_policy list: %s", got)
	}
	if got := names(timeline("followed")); got != "toSelf,toAlice,toCarol,post" {
		t.Fatalf("replies_policy followed: %s", got)
	}
	srvStatus(t, alice, "POST", "/api/v1/lists/"+id+"/accounts", url.Values{"account_ids[]": {idStr(carol.identity.ID)}}, http.StatusOK)
	if got := timeline("list"); !strings.Contains(got, toCarol) || !strings.Contains(got, carolPost) {
		t.Fatalf("replies_policy list with carol a member: %s", names(got))
	}
	if got := names(timeline("none")); strings.Contains(got, "toCarol") || !strings.Contains(got, "toAlice") {
		t.Fatalf("replies_policy none: %s", got)
	}

	// An exclusive list keeps its members out of the home timeline: the
	// condition the home timeline is to apply (store.NotExclusivelyListed).
	homeCount := func() int {
		t.Helper()
		var n int
		if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM timeline_events e JOIN posts p ON p.id = e.post_id
			WHERE e.identity_id = $1 AND e.type = 'post' AND `+store.NotExclusivelyListed("$1"), alice.identity.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := homeCount()
	alice.json("PUT", "/api/v1/lists/"+id, url.Values{"exclusive": {"true"}}, &l)
	// bob wrote 5 posts and carol 1, all in alice's home timeline.
	if after := homeCount(); after != before-6 {
		t.Fatalf("home rows with an exclusive list: %d, %d before", after, before)
	}

	resp, data := alice.request("GET", "/api/v1/timelines/list/"+id+"?limit=2", nil, nil)
	page := obj(t, []byte(`{"a":`+string(data)+`}`))["a"].([]any)
	if resp.StatusCode != http.StatusOK || len(page) != 2 || !strings.Contains(resp.Header.Get("Link"), "max_id=") {
		t.Fatalf("a page of the list: %d %v, Link %q", resp.StatusCode, page, resp.Header.Get("Link"))
	}
}
