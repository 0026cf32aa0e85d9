package node_test

import (
	"context"
	"testing"
	"time"
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

	// The server met is recorded with its software, from its nodeinfo.
	waitUntil(t, "a to record b.test's software", func() bool {
		var software, version string
		a.DB.QueryRow(ctx, "SELECT software, version FROM domains WHERE domain = 'b.test' AND NOT local").Scan(&software, &version)
		return software == "pukeko" && version != ""
	})

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
	// The Reject of alice's follow may arrive before the Block: wait for it.
	var blocks int
	waitUntil(t, "a to record bob's block", func() bool {
		a.DB.QueryRow(ctx, `SELECT count(*) FROM blocks b JOIN identities s ON s.id = b.source_id
			WHERE s.uri = $1 AND b.state = 'received'`, bob.URI).Scan(&blocks)
		return blocks != 0
	})
	if blocks != 1 {
		t.Fatalf("a recorded %d blocks by bob, want 1", blocks)
	}
	if _, err := a.Instance.Follow(ctx, alice, bobOnA); err == nil {
		t.Fatal("alice could follow bob although bob blocks her")
	}
}

// A local identity removes a remote follower (the follower's server is told
// with a Reject), and mutes stay local and expire.
func TestRemoveFollowerAndMutes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	bob := b.identity(t, "bob", false)
	bobOnA := a.resolve(t, "bob@b.test")
	if _, err := a.Instance.Follow(ctx, alice, bobOnA); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, a, alice, bob, "accepted")

	aliceOnB := b.resolve(t, "alice@a.test")
	if err := b.Instance.RemoveFollower(ctx, bob, aliceOnB); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a to learn alice no longer follows bob", func() bool {
		s := a.followState(t, alice.URI, bob.URI)
		return s == "removed" || s == ""
	})

	// A mute is never sent and lifts itself when it expires.
	m, err := a.Instance.Mute(ctx, alice, bobOnA, false, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	var state string
	a.DB.QueryRow(ctx, "SELECT state FROM blocks WHERE id = $1", m.ID).Scan(&state)
	if state != "muted" {
		t.Fatalf("mute state %q, want muted", state)
	}
	waitUntil(t, "the mute to expire", func() bool {
		a.DB.QueryRow(ctx, "SELECT coalesce((SELECT state FROM blocks WHERE id = $1), 'gone')", m.ID).Scan(&state)
		return state == "removed" || state == "gone"
	})
	var sent int
	a.DB.QueryRow(ctx, "SELECT count(*) FROM deliveries WHERE body->>'type' IN ('Block', 'Mute')").Scan(&sent)
	if sent != 0 {
		t.Fatalf("a mute was delivered to another server (%d deliveries)", sent)
	}
}
