package mastodon_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// Suggestions, dismissals, the directory, familiar followers and account
// search.
func TestAccountDiscovery(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	carol := s.user("carol", "")
	dave := s.user("dave", "")
	hidden := s.user("hidden", "")
	hidden.json("PATCH", "/api/v1/accounts/update_credentials", url.Values{"discoverable": {"false"}}, nil)
	// carol is the most followed; alice follows dave already.
	bob.acctAction(carol.accountID(), "follow", nil)
	dave.acctAction(carol.accountID(), "follow", nil)
	alice.acctAction(dave.accountID(), "follow", nil)
	dave.acctAction(bob.accountID(), "follow", nil)
	eventually(t, "the follows to be accepted", func() bool {
		counts := map[*client]float64{carol: 2, bob: 1, dave: 1}
		for c, n := range counts {
			_, body := alice.acctGet("/api/v1/accounts/" + c.accountID())
			if obj(t, body)["followers_count"] != n {
				return false
			}
		}
		return true
	})

	_, body := alice.acctGet("/api/v1/suggestions")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"carol", "bob"}) {
		t.Fatalf("suggestions (v1): %v", names)
	}
	var v2 []map[string]any
	alice.json("GET", "/api/v2/suggestions?limit=1", nil, &v2)
	if len(v2) != 1 || v2[0]["account"].(map[string]any)["username"] != "carol" || v2[0]["sources"].([]any)[0] != "most_followed" {
		t.Fatalf("suggestions (v2): %v", v2)
	}
	var empty map[string]any
	alice.json("DELETE", "/api/v1/suggestions/"+carol.accountID(), nil, &empty)
	_, body = alice.acctGet("/api/v1/suggestions")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"bob"}) {
		t.Fatalf("suggestions after a dismissal: %v", names)
	}
	if status, _ := alice.do("DELETE", "/api/v1/suggestions/31337", nil); status != http.StatusNotFound {
		t.Fatalf("dismissing nobody: %d", status)
	}

	// The directory: discoverable accounts, by latest post or newest.
	bob.postStatus(url.Values{"status": {"recent"}})
	_, body = s.anonymous().acctGet("/api/v1/directory?local=true")
	if names := usernamesOf(t, body); len(names) != 4 || names[0] != "bob" || slices.Contains(names, "hidden") {
		t.Fatalf("directory (active): %v", names)
	}
	_, body = alice.acctGet("/api/v1/directory?order=new&limit=2")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"dave", "carol"}) {
		t.Fatalf("directory (new): %v", names)
	}
	_, body = alice.acctGet("/api/v1/directory?order=new&limit=2&offset=2")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"bob", "alice"}) {
		t.Fatalf("directory (new, offset 2): %v", names)
	}

	// Familiar followers: dave (whom alice follows) follows carol and bob.
	var familiar []map[string]any
	alice.json("GET", "/api/v1/accounts/familiar_followers?id[]="+carol.accountID()+"&id[]="+hidden.accountID(), nil, &familiar)
	if len(familiar) != 2 || familiar[0]["id"] != carol.accountID() || len(familiar[0]["accounts"].([]any)) != 1 ||
		familiar[0]["accounts"].([]any)[0].(map[string]any)["username"] != "dave" || len(familiar[1]["accounts"].([]any)) != 0 {
		t.Fatalf("familiar followers: %v", familiar)
	}

	// Search by prefix; following=true; blocked accounts left out.
	_, body = alice.acctGet("/api/v1/accounts/search?q=" + url.QueryEscape("@da"))
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"dave"}) {
		t.Fatalf("search da: %v", names)
	}
	_, body = alice.acctGet("/api/v1/accounts/search?q=d&following=true")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"dave"}) {
		t.Fatalf("search following: %v", names)
	}
	_, body = alice.acctGet("/api/v1/accounts/search?q=b&following=true")
	if names := usernamesOf(t, body); len(names) != 0 {
		t.Fatalf("search following b: %v", names)
	}
	bob.acctAction(alice.accountID(), "block", nil)
	_, body = alice.acctGet("/api/v1/accounts/search?q=bo")
	if names := usernamesOf(t, body); len(names) != 0 {
		t.Fatalf("search finds an account that blocks you: %v", names)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/accounts/search?q=a", nil); status != http.StatusUnauthorized {
		t.Fatalf("search logged out: %d", status)
	}
}
