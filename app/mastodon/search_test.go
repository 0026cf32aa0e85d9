package mastodon_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// searchResult is a v2 search answer.
type searchResult struct {
	Accounts []map[string]any `json:"accounts"`
	Statuses []map[string]any `json:"statuses"`
	Hashtags []map[string]any `json:"hashtags"`
}

func (r searchResult) accts() string {
	var out []string
	for _, a := range r.Accounts {
		out = append(out, a["acct"].(string))
	}
	return strings.Join(out, ",")
}

// Searching what is known here: accounts by prefix (following only, with
// offset), hashtags, statuses by words (logged in only, by account, only
// what the caller may see); resolving needs a user token.
func TestSearchLocal(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	alan := s.user("alan", "")
	bob := s.user("bob", "")
	public := alice.compose("The #kea is a clever parrot", nil)["id"].(string)
	alice.compose("A private parrot", map[string]any{"visibility": "private"})
	mine := bob.compose("My parrot is loud", nil)["id"].(string)

	var r searchResult
	bob.json("GET", "/api/v2/search?q=al&type=accounts", nil, &r)
	if r.accts() != "alan,alice" || len(r.Statuses) != 0 || len(r.Hashtags) != 0 {
		t.Fatalf("accounts al: %+v", r)
	}
	bob.json("GET", "/api/v2/search?q=al&type=accounts&offset=1&limit=1", nil, &r)
	if r.accts() != "alice" {
		t.Fatalf("second account: %+v", r)
	}
	followNow(t, s, bob.identity, alice.identity)
	bob.json("GET", "/api/v2/search?q=al&type=accounts&following=true", nil, &r)
	if r.accts() != "alice" {
		t.Fatalf("followed accounts: %+v", r)
	}
	bob.json("GET", "/api/v2/search?q=@alice@a.test", nil, &r)
	if r.accts() != "alice" {
		t.Fatalf("an exact address: %+v", r)
	}
	bob.json("GET", "/api/v2/search?q=%23ke", nil, &r)
	if len(r.Hashtags) != 1 || r.Hashtags[0]["name"] != "kea" || r.Hashtags[0]["history"] == nil {
		t.Fatalf("hashtags #ke: %+v", r)
	}

	alan.json("GET", "/api/v2/search?q=parrot&type=statuses", nil, &r)
	if got := idsOfStatuses(r.Statuses); got != mine+","+public {
		t.Fatalf("alan's parrots: %s", got)
	}
	bob.json("GET", "/api/v2/search?q=parrot&type=statuses", nil, &r)
	if len(r.Statuses) != 3 {
		t.Fatalf("bob (a follower) finds the private post too: %+v", r.Statuses)
	}
	alan.json("GET", "/api/v2/search?q=parrot&type=statuses&account_id="+alice.accountID(), nil, &r)
	if got := idsOfStatuses(r.Statuses); got != public {
		t.Fatalf("alice's parrots: %s", got)
	}
	alan.json("GET", "/api/v2/search?q=parrot&type=statuses&offset=1", nil, &r)
	if got := idsOfStatuses(r.Statuses); got != public {
		t.Fatalf("parrots after one: %s", got)
	}
	alan.json("GET", "/api/v2/search?q=&type=statuses", nil, &r)
	if len(r.Statuses)+len(r.Accounts)+len(r.Hashtags) != 0 {
		t.Fatalf("an empty query: %+v", r)
	}

	anon := s.anonymous()
	anon.json("GET", "/api/v2/search?q=parrot", nil, &r)
	if len(r.Statuses) != 0 {
		t.Fatalf("statuses found logged out: %+v", r.Statuses)
	}
	anon.json("GET", "/api/v2/search?q=ali", nil, &r)
	if r.accts() != "alice" {
		t.Fatalf("accounts found logged out: %+v", r)
	}
	for _, q := range []string{"q=@bob@b.test&resolve=true", "q=ali&offset=1"} {
		if status, body := anon.do("GET", "/api/v2/search?"+q, nil); status != http.StatusUnauthorized {
			t.Fatalf("logged out, %s: %d %s", q, status, body)
		}
	}
	// A post's URI finds it, when the caller may see it.
	var st map[string]any
	alan.json("GET", "/api/v1/statuses/"+public, nil, &st)
	alan.json("GET", "/api/v2/search?q="+url.QueryEscape(st["uri"].(string)), nil, &r)
	if got := idsOfStatuses(r.Statuses); got != public || len(r.Accounts) != 0 {
		t.Fatalf("search by URI: %+v", r)
	}
	if status, _ := s.user("rita", "write").do("GET", "/api/v2/search?q=ali", nil); status != http.StatusForbidden {
		t.Fatalf("search without read:search: %d", status)
	}
}

func idsOfStatuses(list []map[string]any) string {
	var out []string
	for _, s := range list {
		out = append(out, s["id"].(string))
	}
	return strings.Join(out, ",")
}

// Resolving an account address and a post URL of another server, then
// favouriting that post: the like reaches its author's server and shows
// in the author's notifications there.
func TestSearchResolveAndFederatedFavourite(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	alice := a.user("alice", "")
	bob := b.user("bob", "")
	st := bob.compose("Greetings from b", nil)
	uri, bobsID := st["uri"].(string), st["id"].(string)

	var r searchResult
	alice.json("GET", "/api/v2/search?q=@bob@b.test", nil, &r)
	if len(r.Accounts) != 0 {
		t.Fatalf("bob known before resolving: %+v", r)
	}
	alice.json("GET", "/api/v2/search?q=@bob@b.test&resolve=true", nil, &r)
	if r.accts() != "bob@b.test" || r.Accounts[0]["display_name"] != "Bob" {
		t.Fatalf("resolved account: %+v", r)
	}
	alice.json("GET", "/api/v2/search?q="+url.QueryEscape(uri)+"&resolve=true&type=statuses", nil, &r)
	if len(r.Statuses) != 1 || r.Statuses[0]["uri"] != uri || !strings.Contains(r.Statuses[0]["content"].(string), "Greetings") {
		t.Fatalf("resolved post: %+v", r)
	}
	local := r.Statuses[0]["id"].(string)
	alice.json("GET", "/api/v2/search?q="+url.QueryEscape("https://b.test/nothing/here")+"&resolve=true", nil, &r)
	if len(r.Statuses)+len(r.Accounts) != 0 {
		t.Fatalf("an unknown URL: %+v", r)
	}

	var fav map[string]any
	alice.json("POST", "/api/v1/statuses/"+local+"/favourite", nil, &fav)
	if fav["favourited"] != true || fav["favourites_count"] != float64(1) {
		t.Fatalf("favourite of a remote post: %v", fav)
	}
	var got []map[string]any
	eventually(t, "the favourite on b.test", func() bool {
		bob.json("GET", "/api/v1/notifications?types[]=favourite", nil, &got)
		return len(got) == 1
	})
	if got[0]["account"].(map[string]any)["acct"] != "alice@a.test" || got[0]["status"].(map[string]any)["id"] != bobsID {
		t.Fatalf("bob's notification: %v", got[0])
	}
	var onB map[string]any
	bob.json("GET", "/api/v1/statuses/"+bobsID, nil, &onB)
	if onB["favourites_count"] != float64(1) {
		t.Fatalf("the post on b.test: %v", onB)
	}
}
