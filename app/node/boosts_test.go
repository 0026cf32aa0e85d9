package node_test

import (
	"context"
	"fmt"
	"testing"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// homeEntries renders an identity's home timeline on the node as
// "uri" for posts and "uri<booster-uri" for boosts, newest first.
func (f *fedNode) homeEntries(t *testing.T, i *model.Identity) []string {
	t.Helper()
	entries, err := store.HomeEntries(context.Background(), f.DB, f.localID(t, i), store.Page{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		s := e.URI
		if e.BoostID != 0 {
			by, err := store.IdentityByID(context.Background(), f.DB, e.BoostedBy)
			if err != nil || by == nil {
				t.Fatalf("booster %d: %v", e.BoostedBy, err)
			}
			s += "<" + by.URI
		}
		out = append(out, s)
	}
	return out
}

func sameList(a, b []string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// bob follows alice and carol; carol boosts alice's post: bob's home shows
// the boost, attributed to carol, above alice's own post (once); dave, who
// follows only carol, sees the boost; a follow without boosts does not.
// Unboosting takes the boost out everywhere.
func TestBoostsInHomeTimeline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := startFederation(t, "a.test")[0]
	alice, bob, carol, dave, erin := a.someone(t, "alice"), a.someone(t, "bob"), a.someone(t, "carol"), a.someone(t, "dave"), a.someone(t, "erin")
	follow(t, a, a, bob, alice)
	follow(t, a, a, bob, carol)
	follow(t, a, a, dave, carol)
	follow(t, a, a, erin, carol)
	if _, err := a.DB.Exec(ctx, "UPDATE follows SET boosts = false WHERE source_id = $1", erin.ID); err != nil {
		t.Fatal(err)
	}
	p := mustPost(t, a, alice, social.PostOptions{Text: "boost me"})
	a.postOn(t, p.URI)
	if got := a.homeEntries(t, bob); !sameList(got, []string{p.URI}) {
		t.Fatalf("bob's home before the boost: %q", got)
	}
	it, err := a.Instance.Boost(ctx, carol, p)
	if err != nil {
		t.Fatal(err)
	}
	boosted := p.URI + "<" + carol.URI
	if got := a.homeEntries(t, bob); !sameList(got, []string{boosted, p.URI}) {
		t.Fatalf("bob's home: %q, want the boost above the post", got)
	}
	if got := a.homeEntries(t, dave); !sameList(got, []string{boosted}) {
		t.Fatalf("dave's home: %q", got)
	}
	if got := a.homeEntries(t, carol); !sameList(got, []string{boosted}) {
		t.Fatalf("carol's home: %q", got)
	}
	if got := a.homeEntries(t, erin); len(got) != 0 {
		t.Fatalf("erin (boosts off) sees %q", got)
	}
	// Paging by the boost's id: the boost is newer than the post.
	entries, err := store.HomeEntries(ctx, a.DB, bob.ID, store.Page{MaxID: it.ID})
	if err != nil || len(entries) != 1 || entries[0].BoostID != 0 || entries[0].ID != p.ID {
		t.Fatalf("page below the boost: %+v (%v)", entries, err)
	}
	// Boosting again changes nothing; HomeTimeline shows the post twice.
	if _, err := a.Instance.Boost(ctx, carol, p); err != nil {
		t.Fatal(err)
	}
	if posts, err := store.HomeTimeline(ctx, a.DB, bob.ID, store.Page{}); err != nil || len(posts) != 2 {
		t.Fatalf("HomeTimeline: %d posts (%v)", len(posts), err)
	}
	if err := a.Instance.Unboost(ctx, carol, p); err != nil {
		t.Fatal(err)
	}
	if got := a.homeEntries(t, bob); !sameList(got, []string{p.URI}) {
		t.Fatalf("bob's home after the unboost: %q", got)
	}
	if got := a.homeEntries(t, dave); len(got) != 0 {
		t.Fatalf("dave's home after the unboost: %q", got)
	}
}

// bob@b.test boosts alice@a.test's post: dave@a.test, who follows bob,
// sees the boost attributed to bob; alice sees only her post. The Undo
// takes it away.
func TestRemoteBoostReachesFollowers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice, dave := a.someone(t, "alice"), a.someone(t, "dave")
	bob := b.someone(t, "bob")
	follow(t, b, a, bob, alice)
	follow(t, a, b, dave, bob)
	p := mustPost(t, a, alice, social.PostOptions{Text: "travel far"})
	onB := b.postOn(t, p.URI)
	if _, err := b.Instance.Boost(ctx, bob, onB); err != nil {
		t.Fatal(err)
	}
	boosted := p.URI + "<" + bob.URI
	waitOrDump(t, "the boost in dave's home", func() bool { return sameList(a.homeEntries(t, dave), []string{boosted}) }, a, b)
	if got := a.homeEntries(t, alice); !sameList(got, []string{p.URI}) {
		t.Fatalf("alice's home: %q", got)
	}
	if err := b.Instance.Unboost(ctx, bob, onB); err != nil {
		t.Fatal(err)
	}
	waitOrDump(t, "the boost gone from dave's home", func() bool { return len(a.homeEntries(t, dave)) == 0 }, a, b)
}

// A follower that asked to be notified gets a status notification when
// the followed identity posts, here and from another server; others and
// replies to someone else do not notify.
func TestStatusNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice, bob, carol := a.someone(t, "alice"), a.someone(t, "bob"), a.someone(t, "carol")
	remote := b.someone(t, "remote")
	follow(t, a, a, bob, alice)
	follow(t, a, a, carol, alice)
	follow(t, a, b, bob, remote)
	if _, err := a.DB.Exec(ctx, "UPDATE follows SET notify = true WHERE source_id = $1", bob.ID); err != nil {
		t.Fatal(err)
	}
	p := mustPost(t, a, alice, social.PostOptions{Text: "news"})
	a.postOn(t, p.URI)
	if !a.hasNotification(t, bob, store.NotifyStatus, alice) {
		t.Fatal("bob has no status notification of alice's post")
	}
	if a.hasNotification(t, carol, store.NotifyStatus, alice) {
		t.Fatal("carol (notify off) has a status notification")
	}
	r := mustPost(t, b, remote, social.PostOptions{Text: "news from b"})
	a.postOn(t, r.URI)
	waitOrDump(t, "bob's status notification of the remote post", func() bool {
		return a.hasNotification(t, bob, store.NotifyStatus, remote)
	}, a, b)
	// A reply to someone else notifies nobody.
	reply := mustPost(t, a, alice, social.PostOptions{Text: "@carol yes", InReplyTo: a.postOn(t, mustPost(t, a, carol, social.PostOptions{Text: "q"}).URI)})
	a.postOn(t, reply.URI)
	n := 0
	for _, x := range a.notifications(t, bob, store.Page{Limit: 40}) {
		if x.Type == store.NotifyStatus {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("bob has %d status notifications, want 2", n)
	}
}
