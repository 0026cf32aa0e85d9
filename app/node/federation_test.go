package node_test

import (
	"context"
	"testing"
)

// Two instances follow, request, approve, unfollow and block across, over
// real HTTP with real signatures, and both sides end in the same state.
func TestFederationFollowLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	bob := b.identity(t, "bob", false)
	carol := b.identity(t, "carol", true) // locked: follows need approval

	// Webfinger and actor fetch across.
	bobOnA := a.resolve(t, "bob@b.test")
	if bobOnA.URI != bob.URI || bobOnA.Name != "Bob" || bobOnA.PublicKey == "" || bobOnA.Local {
		t.Fatalf("bob as seen from a: %+v", bobOnA)
	}

	// a -> b follow: requested, accepted on both sides.
	if _, err := a.Instance.Follow(ctx, alice, bobOnA); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, b, alice, bob, "accepted")
	waitFollow(t, a, alice, bob, "accepted")

	// A locked account: a request, approved by its owner.
	carolOnA := a.resolve(t, "CAROL@B.TEST") // handles are case-insensitive
	if !carolOnA.Locked {
		t.Fatal("carol's lock was not federated")
	}
	if _, err := a.Instance.Follow(ctx, alice, carolOnA); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, b, alice, carol, "pending_approval")
	if s := a.followState(t, alice.URI, carol.URI); s != "requested" {
		t.Fatalf("alice's request to carol on a: %q, want requested", s)
	}
	aliceOnB := b.resolve(t, "alice@a.test")
	if err := b.Instance.ApproveFollow(ctx, carol, aliceOnB); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, a, alice, carol, "accepted")
	waitFollow(t, b, alice, carol, "accepted")

	// Unfollow.
	if err := a.Instance.Unfollow(ctx, alice, carolOnA); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "b to drop the follow of carol", func() bool {
		s := b.followState(t, alice.URI, carol.URI)
		return s == "removed" || s == ""
	})

	// Block: bob blocks alice, who follows him; the follow ends on both
	// sides and a records the block.
	if _, err := b.Instance.Block(ctx, bob, aliceOnB); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a to drop alice's follow of bob", func() bool {
		s := a.followState(t, alice.URI, bob.URI)
		return s == "removed" || s == ""
	})
	var blocks int
	a.DB.QueryRow(ctx, `SELECT count(*) FROM blocks b JOIN identities s ON s.id = b.source_id
		WHERE s.uri = $1 AND b.state = 'received'`, bob.URI).Scan(&blocks)
	if blocks != 1 {
		t.Fatalf("a recorded %d blocks by bob, want 1", blocks)
	}
	if _, err := a.Instance.Follow(ctx, alice, bobOnA); err == nil {
		t.Fatal("alice could follow bob although bob blocks her")
	}
}
