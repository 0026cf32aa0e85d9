package mastodon_test

import (
	"fmt"
	"slices"
	"testing"

	"pukeko/app/model"
)

// A follow of an unlocked local account counts from the moment it is
// made, as the API reports it (following: true) before Stator accepts it:
// a post made meanwhile reaches the follower's home. The follow is held
// unaccepted here, where Stator would accept it within moments.
func TestFanOutReachesAFollowJustMade(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	sql(t, s, `INSERT INTO follows (id, source_id, target_id, uri, state, state_next_attempt)
		VALUES ($1, $2, $3, $4, 'unrequested', now() + interval '1 hour')`,
		model.NewID(), bob.identity.ID, alice.identity.ID, fmt.Sprintf("%s#follows/held", bob.identity.URI))
	if rel := bob.acctRel(alice.accountID()); rel["following"] != true {
		t.Fatalf("relationship of a follow just made: %v", rel)
	}
	id := alice.postStatus(map[string]any{"status": "hello"})
	waitFannedOut(t, s, id)
	if ids := homeIDs(bob); !slices.Contains(ids, id) {
		t.Fatalf("bob's home %v lacks %s, posted while his follow was being accepted", ids, id)
	}
}
