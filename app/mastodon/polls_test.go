package mastodon_test

import (
	"net/http"
	"net/url"
	"testing"
)

// Reading a poll and voting in it; the poll's id is its status's.
func TestPollVote(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	carol := s.user("carol", "")
	st := alice.compose("Which bird?", map[string]any{"poll": map[string]any{
		"options": []string{"kea", "tui", "kiwi"}, "expires_in": 3600, "multiple": true}})
	id := st["id"].(string)
	if st["poll"].(map[string]any)["id"] != id {
		t.Fatalf("poll id: %v", st["poll"])
	}

	var poll map[string]any
	s.anonymous().json("GET", "/api/v1/polls/"+id, nil, &poll)
	if poll["id"] != id || poll["votes_count"] != float64(0) || poll["multiple"] != true || poll["voted"] != nil {
		t.Fatalf("poll logged out: %v", poll)
	}
	bob.json("POST", "/api/v1/polls/"+id+"/votes", map[string]any{"choices": []int{0, 2}}, &poll)
	options := poll["options"].([]any)
	if poll["voted"] != true || poll["votes_count"] != float64(2) || poll["voters_count"] != float64(1) ||
		options[0].(map[string]any)["votes_count"] != float64(1) || options[1].(map[string]any)["votes_count"] != float64(0) {
		t.Fatalf("after voting: %v", poll)
	}
	if own := poll["own_votes"].([]any); len(own) != 2 || own[0] != float64(0) || own[1] != float64(2) {
		t.Fatalf("own votes: %v", poll["own_votes"])
	}
	carol.json("POST", "/api/v1/polls/"+id+"/votes", url.Values{"choices[]": {"1"}}, &poll)
	if poll["votes_count"] != float64(3) || poll["voters_count"] != float64(2) {
		t.Fatalf("after a second voter: %v", poll)
	}
	bob.json("GET", "/api/v1/polls/"+id, nil, &poll)
	if poll["voted"] != true || poll["votes_count"] != float64(3) {
		t.Fatalf("poll read back: %v", poll)
	}

	refusals := []struct {
		name string
		who  *client
		body any
		want int
	}{
		{"voting again for a choice", bob, map[string]any{"choices": []int{0}}, http.StatusUnprocessableEntity},
		{"one's own poll", alice, map[string]any{"choices": []int{1}}, http.StatusUnprocessableEntity},
		{"a choice out of range", carol, map[string]any{"choices": []int{7}}, http.StatusUnprocessableEntity},
		{"no choice", carol, map[string]any{}, http.StatusUnprocessableEntity},
		{"a choice that is no number", carol, url.Values{"choices[]": {"kea"}}, http.StatusUnprocessableEntity},
	}
	for _, r := range refusals {
		if status, body := r.who.do("POST", "/api/v1/polls/"+id+"/votes", r.body); status != r.want {
			t.Errorf("%s: %d %s", r.name, status, body)
		}
	}

	plain := alice.compose("no poll here", nil)["id"].(string)
	if status, _ := bob.do("GET", "/api/v1/polls/"+plain, nil); status != http.StatusNotFound {
		t.Errorf("the poll of a status without one: %d", status)
	}
	hidden := alice.compose("A secret poll", map[string]any{"visibility": "private",
		"poll": map[string]any{"options": []string{"a", "b"}, "expires_in": 3600}})["id"].(string)
	if status, _ := bob.do("GET", "/api/v1/polls/"+hidden, nil); status != http.StatusNotFound {
		t.Errorf("a hidden poll: %d", status)
	}
	if status, _ := bob.do("POST", "/api/v1/polls/"+hidden+"/votes", map[string]any{"choices": []int{0}}); status != http.StatusNotFound {
		t.Errorf("voting in a hidden poll: %d", status)
	}
}
