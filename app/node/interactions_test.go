package node_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// notifications returns the types of an identity's notifications on the
// node, newest first, as "type:subject-uri".
func (f *fedNode) notifications(t *testing.T, i *model.Identity, pg store.Page) []*model.Notification {
	t.Helper()
	local := f.remote(t, i.URI)
	got, err := store.Notifications(context.Background(), f.DB, local.ID, pg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// hasNotification reports whether i has a notification of typ from subject
// on the node.
func (f *fedNode) hasNotification(t *testing.T, i *model.Identity, typ string, subject *model.Identity) bool {
	t.Helper()
	s := f.remote(t, subject.URI)
	for _, n := range f.notifications(t, i, store.Page{Limit: 40}) {
		if n.Type == typ && n.SubjectID == s.ID {
			return true
		}
	}
	return false
}

func (f *fedNode) counts(t *testing.T, uri string) model.PostCounts {
	t.Helper()
	p, err := store.PostByURI(context.Background(), f.DB, uri)
	if err != nil || p == nil {
		t.Fatalf("%s: post %s: %v", f.domain, uri, err)
	}
	c, err := store.PostCounts(context.Background(), f.DB, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// interactionRows counts the interaction rows of type with the post on the
// node, in any state.
func (f *fedNode) interactionRows(t *testing.T, uri, typ string) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRow(context.Background(), `SELECT count(*) FROM post_interactions pi JOIN posts p ON p.id = pi.post_id
		WHERE p.uri = $1 AND pi.type = $2`, uri, typ).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sentBody returns the body of the delivery of an activity of typ the
// node queued, waiting for it.
func (f *fedNode) sentBody(t *testing.T, typ string) []byte {
	t.Helper()
	var body []byte
	waitUntil(t, f.domain+" to queue a "+typ, func() bool {
		err := f.DB.QueryRow(context.Background(), `SELECT body FROM deliveries WHERE body->>'type' = $1 ORDER BY id LIMIT 1`,
			typ).Scan(&body)
		return err == nil
	})
	return body
}

// postOn waits for a post to be fanned out on the node and returns its copy.
func (f *fedNode) postOn(t *testing.T, uri string) *model.Post {
	t.Helper()
	f.waitPostState(t, uri, social.PostFannedOut)
	p, err := store.PostByURI(context.Background(), f.DB, uri)
	if err != nil || p == nil {
		t.Fatalf("%s: post %s: %v", f.domain, uri, err)
	}
	return p
}

func (f *fedNode) waitProcessed(t *testing.T, body []byte) string {
	t.Helper()
	id := activityID(t, body)
	var result string
	waitUntil(t, f.domain+" to process "+id, func() bool {
		var state string
		state, result = f.inboxMessage(t, id)
		return state == social.InboxProcessed || state == social.InboxErrored
	})
	if state, _ := f.inboxMessage(t, id); state != social.InboxProcessed {
		t.Fatalf("%s: %s %s: %s", f.domain, id, state, result)
	}
	return result
}

// bob@b likes and boosts alice@a's post: a counts both and notifies alice;
// the same Like twice (or a second Like by bob) is one like; undoing both
// takes them, their counts and notifications away.
func TestLikeAndBoostAcrossServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	bob := b.identity(t, "bob", false)
	follow(t, b, a, bob, alice)

	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "Like me"})
	if err != nil {
		t.Fatal(err)
	}
	onB := b.postOn(t, p.URI)
	if _, err := b.Instance.Like(ctx, bob, onB); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Instance.Like(ctx, bob, onB); err != nil { // again: no change
		t.Fatal(err)
	}
	boost, err := b.Instance.Boost(ctx, bob, onB)
	if err != nil {
		t.Fatal(err)
	}
	waitOrDump(t, "a to count the like and the boost", func() bool {
		c := a.counts(t, p.URI)
		return c.Likes == 1 && c.Boosts == 1
	}, a, b)
	if c := b.counts(t, p.URI); c.Likes != 1 || c.Boosts != 1 {
		t.Fatalf("counts on b: %+v", c)
	}
	waitUntil(t, "alice's favourite and reblog notifications", func() bool {
		return a.hasNotification(t, alice, store.NotifyFavourite, bob) && a.hasNotification(t, alice, store.NotifyReblog, bob)
	})

	// The Announce is addressed as Mastodon addresses it.
	var announce map[string]any
	if err := json.Unmarshal(b.sentBody(t, "Announce"), &announce); err != nil {
		t.Fatal(err)
	}
	if announce["id"] != boost.URI || announce["object"] != p.URI || fmt.Sprint(announce["to"]) != "["+ap.Public+"]" ||
		!strings.Contains(fmt.Sprint(announce["cc"]), alice.URI) || !strings.Contains(fmt.Sprint(announce["cc"]), bob.FollowersURI) {
		t.Fatalf("Announce: %v", announce)
	}

	// The same Like delivered again, and another Like by bob: one like.
	like := b.sentBody(t, "Like")
	postAs(t, b, a, bob, like)
	again := activity(t, "Like", bob.URI, p.URI)
	postAs(t, b, a, bob, again)
	a.waitProcessed(t, again)
	if n := a.interactionRows(t, p.URI, model.InteractionLike); n != 1 {
		t.Fatalf("%d likes on a, want 1", n)
	}
	if c := a.counts(t, p.URI); c.Likes != 1 {
		t.Fatalf("counts on a: %+v", c)
	}
	if n := len(a.notifications(t, alice, store.Page{})); n != 3 { // follow, favourite, reblog
		t.Fatalf("alice has %d notifications, want 3", n)
	}

	if err := b.Instance.Unlike(ctx, bob, onB); err != nil {
		t.Fatal(err)
	}
	if err := b.Instance.Unboost(ctx, bob, onB); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a to forget the like and the boost", func() bool {
		c := a.counts(t, p.URI)
		return c.Likes == 0 && c.Boosts == 0 && a.interactionRows(t, p.URI, model.InteractionLike) == 0 &&
			a.interactionRows(t, p.URI, model.InteractionBoost) == 0
	})
	if a.hasNotification(t, alice, store.NotifyFavourite, bob) || a.hasNotification(t, alice, store.NotifyReblog, bob) {
		t.Fatal("alice's notifications outlived the undo")
	}
	if c := b.counts(t, p.URI); c.Likes != 0 || c.Boosts != 0 {
		t.Fatalf("counts on b after the undo: %+v", c)
	}

	// Liking again after the undo is a new like.
	if _, err := b.Instance.Like(ctx, bob, onB); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a to count the new like", func() bool { return a.counts(t, p.URI).Likes == 1 })
}

// Emoji reactions, Pleroma's EmojiReact and Misskey's Like with a
// reaction, are stored with their emoji and counted; an Undo removes one.
func TestEmojiReactions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, alice, bob, carol := aliceBobCarol(t)
	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "React to me"})
	if err != nil {
		t.Fatal(err)
	}
	a.waitPostState(t, p.URI, social.PostFannedOut)

	react := ap.NewActivity("EmojiReact", bob.URI+"#reactions/1", bob.URI, p.URI)
	react["content"] = "🔥"
	reactBody, _ := json.Marshal(react)
	postAs(t, b, a, bob, reactBody)
	misskey := ap.NewActivity("Like", carol.URI+"#likes/1", carol.URI, p.URI)
	misskey["_misskey_reaction"] = "👍"
	misskey["content"] = "👍"
	misskeyBody, _ := json.Marshal(misskey)
	postAs(t, b, a, carol, misskeyBody)
	postAs(t, b, a, carol, misskeyBody)
	a.waitProcessed(t, reactBody)
	a.waitProcessed(t, misskeyBody)
	waitUntil(t, "a to count both reactions", func() bool { return a.counts(t, p.URI).Reactions == 2 })
	if c := a.counts(t, p.URI); c.Likes != 0 {
		t.Fatalf("counts: %+v", c)
	}
	rows, err := a.DB.Query(ctx, `SELECT value FROM post_interactions WHERE post_id = $1 AND type = 'reaction' ORDER BY value`, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for rows.Next() {
		var v string
		rows.Scan(&v)
		values = append(values, v)
	}
	rows.Close()
	if !slices.Equal(values, []string{"👍", "🔥"}) {
		t.Fatalf("reactions %q", values)
	}

	undo, _ := json.Marshal(ap.Undo(bob.URI+"#reactions/1/undo", bob.URI, react))
	postAs(t, b, a, bob, undo)
	if result := a.waitProcessed(t, undo); !strings.Contains(result, "undone") {
		t.Fatalf("undo: %s", result)
	}
	if c := a.counts(t, p.URI); c.Reactions != 1 {
		t.Fatalf("counts after the undo: %+v", c)
	}
}

// alice pins posts: the featured collection lists them and b hears of it
// (Add); one pin over MaxPins is refused; unpinning sends Remove.
func TestPins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	a.Instance.MaxPins = 5
	alice := a.identity(t, "alice", false)
	bob := b.identity(t, "bob", false)
	follow(t, b, a, bob, alice)

	var posts []*model.Post
	for k := range 6 {
		p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: fmt.Sprintf("post %d", k)})
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	for _, p := range posts {
		b.postOn(t, p.URI)
	}
	for _, p := range posts[:5] {
		if _, err := a.Instance.Pin(ctx, alice, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Instance.Pin(ctx, alice, posts[5]); !errors.Is(err, social.ErrTooManyPins) {
		t.Fatalf("6th pin: %v, want ErrTooManyPins", err)
	}
	if _, err := a.Instance.Pin(ctx, alice, posts[0]); err != nil { // again: no change
		t.Fatal(err)
	}
	status, body := a.get(t, "a.test", "/@alice/featured", ap.ContentType)
	if status != 200 || !strings.Contains(string(body), `"totalItems":5`) || !strings.Contains(string(body), posts[0].URI) ||
		strings.Contains(string(body), posts[5].URI) {
		t.Fatalf("featured: %d %s", status, body)
	}
	aliceOnB := b.remote(t, alice.URI)
	pinsOnB := func() int {
		var n int
		b.DB.QueryRow(ctx, "SELECT count(*) FROM post_interactions WHERE identity_id = $1 AND type = 'pin'", aliceOnB.ID).Scan(&n)
		return n
	}
	waitUntil(t, "b to record the 5 pins", func() bool { return pinsOnB() == 5 })

	if err := a.Instance.Unpin(ctx, alice, posts[0]); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "b to record the unpin", func() bool { return pinsOnB() == 4 })
	var remove map[string]any
	json.Unmarshal(a.sentBody(t, "Remove"), &remove)
	if remove["object"] != posts[0].URI || remove["target"] != alice.FeaturedURI {
		t.Fatalf("Remove: %v", remove)
	}
	if _, body := a.get(t, "a.test", "/@alice/featured", ap.ContentType); strings.Contains(string(body), posts[0].URI) {
		t.Fatalf("featured still lists the unpinned post: %s", body)
	}
	// With a pin free, the 6th post can be pinned.
	if _, err := a.Instance.Pin(ctx, alice, posts[5]); err != nil {
		t.Fatal(err)
	}
}

// Follows, follow requests and mentions notify; notifications page by id,
// and can be dismissed and cleared.
func TestNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	carol := a.identity(t, "carol", true)
	dave := a.identity(t, "dave", false)
	bob := b.identity(t, "bob", false)

	follow(t, b, a, bob, alice)
	waitUntil(t, "alice's follow notification", func() bool { return a.hasNotification(t, alice, store.NotifyFollow, bob) })

	if _, err := b.Instance.Follow(ctx, bob, b.resolve(t, "carol@a.test")); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, a, bob, carol, social.FollowPendingApproval)
	waitUntil(t, "carol's follow request notification", func() bool {
		return a.hasNotification(t, carol, store.NotifyFollowRequest, bob)
	})
	if a.hasNotification(t, carol, store.NotifyFollow, bob) {
		t.Fatal("carol was told of a follow before approving it")
	}
	// A local follow of a local identity notifies too.
	if _, err := a.Instance.Follow(ctx, dave, alice); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "alice's follow notification from dave", func() bool { return a.hasNotification(t, alice, store.NotifyFollow, dave) })

	p, err := b.Instance.CreatePost(ctx, bob, social.PostOptions{Text: "hello @alice@a.test"})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "alice's mention notification", func() bool { return a.hasNotification(t, alice, store.NotifyMention, bob) })
	// A local mention, and a like by a local identity.
	q, err := a.Instance.CreatePost(ctx, dave, social.PostOptions{Text: "hi @alice"})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "alice's mention by dave", func() bool { return a.hasNotification(t, alice, store.NotifyMention, dave) })
	mine, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Instance.Like(ctx, dave, mine); err != nil {
		t.Fatal(err)
	}
	all := a.notifications(t, alice, store.Page{})
	if len(all) != 5 {
		t.Fatalf("alice has %d notifications, want 5", len(all))
	}
	if all[0].Type != store.NotifyFavourite || all[0].PostID != mine.ID {
		t.Fatalf("newest notification: %+v", all[0])
	}
	onA, _ := store.PostByURI(ctx, a.DB, p.URI)
	if all[1].Type != store.NotifyMention || all[1].PostID != q.ID || all[2].PostID != onA.ID {
		t.Fatalf("mentions: %+v %+v", all[1], all[2])
	}

	// Paging by id.
	first := a.notifications(t, alice, store.Page{Limit: 2})
	next := a.notifications(t, alice, store.Page{Limit: 2, MaxID: model.ID(first[1].ID)})
	if len(first) != 2 || len(next) != 2 || first[0].ID != all[0].ID || next[0].ID != all[2].ID || next[1].ID != all[3].ID {
		t.Fatalf("pages: %v %v", first, next)
	}
	newer := a.notifications(t, alice, store.Page{Limit: 2, MinID: model.ID(all[2].ID)})
	if len(newer) != 2 || newer[0].ID != all[0].ID || newer[1].ID != all[1].ID {
		t.Fatalf("min_id page: %v", newer)
	}
	only, err := store.Notifications(ctx, a.DB, alice.ID, store.Page{}, []string{store.NotifyFollow}, nil)
	if err != nil || len(only) != 2 {
		t.Fatalf("follow notifications: %v %v", only, err)
	}
	without, err := store.Notifications(ctx, a.DB, alice.ID, store.Page{}, nil, []string{store.NotifyFollow, store.NotifyMention})
	if err != nil || len(without) != 1 {
		t.Fatalf("without follows and mentions: %v %v", without, err)
	}

	// Dismiss, mark seen, clear.
	if ok, err := store.DismissNotification(ctx, a.DB, alice.ID, all[0].ID); err != nil || !ok {
		t.Fatalf("dismiss: %v %v", ok, err)
	}
	if ok, _ := store.DismissNotification(ctx, a.DB, carol.ID, all[1].ID); ok {
		t.Fatal("carol dismissed alice's notification")
	}
	if got := a.notifications(t, alice, store.Page{}); len(got) != 4 || got[0].ID != all[1].ID {
		t.Fatalf("after dismissing: %v", got)
	}
	if err := store.MarkNotificationsSeen(ctx, a.DB, alice.ID, all[1].ID); err != nil {
		t.Fatal(err)
	}
	for _, n := range a.notifications(t, alice, store.Page{}) {
		if !n.Seen {
			t.Fatalf("not seen: %+v", n)
		}
	}
	if err := store.ClearNotifications(ctx, a.DB, alice.ID); err != nil {
		t.Fatal(err)
	}
	if got := a.notifications(t, alice, store.Page{}); len(got) != 0 {
		t.Fatalf("after clearing: %v", got)
	}
	if !a.hasNotification(t, carol, store.NotifyFollowRequest, bob) {
		t.Fatal("clearing alice's notifications cleared carol's")
	}

	// Muting dave with notifications hidden silences him; blocked
	// identities cannot like at all.
	if _, err := a.Instance.Mute(ctx, alice, dave, true, 0); err != nil {
		t.Fatal(err)
	}
	again, err := a.Instance.CreatePost(ctx, dave, social.PostOptions{Text: "again @alice"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "other"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Instance.Like(ctx, dave, other); err != nil {
		t.Fatal(err)
	}
	a.waitPostState(t, other.URI, social.PostFannedOut)
	a.waitPostState(t, again.URI, social.PostFannedOut)
	if got := a.notifications(t, alice, store.Page{}); len(got) != 0 {
		t.Fatalf("muted dave still notifies: %v", got)
	}
}

// A boost of a post the server never saw makes it fetch the post; a post
// a local identity boosted, once edited, notifies it.
func TestBoostFetchesAndEditNotifies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, alice, bob, carol := aliceBobCarol(t)
	follow(t, a, b, alice, bob)

	p, err := b.Instance.CreatePost(ctx, carol, social.PostOptions{Text: "nobody on a follows me"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Instance.Boost(ctx, bob, b.postOn(t, p.URI)); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a to fetch the boosted post and count the boost", func() bool {
		q, _ := store.PostByURI(ctx, a.DB, p.URI)
		return q != nil && a.counts(t, p.URI).Boosts == 1
	})

	own, err := b.Instance.CreatePost(ctx, bob, social.PostOptions{Text: "boost me"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Instance.Boost(ctx, alice, a.postOn(t, own.URI)); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "b to count alice's boost", func() bool { return b.counts(t, own.URI).Boosts == 1 })
	if _, err := b.Instance.EditPost(ctx, bob, own.ID, social.PostEdit{Text: ptr("boost me, edited")}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "alice's update notification", func() bool { return a.hasNotification(t, alice, store.NotifyUpdate, bob) })
	if !b.hasNotification(t, bob, store.NotifyReblog, alice) {
		t.Fatal("bob was not told of alice's boost")
	}
}

// waitOrDump is waitUntil, dumping the nodes' interactions, deliveries
// and inbox messages when it times out.
func waitOrDump(t *testing.T, what string, cond func() bool, nodes ...*fedNode) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			for _, n := range nodes {
				for _, q := range []string{
					"SELECT type, uri, state, coalesce(state_error, '') FROM post_interactions",
					"SELECT activity_id, inbox_uri, state, last_status::text, coalesce(state_error, '') FROM deliveries",
					"SELECT activity_id, actor_uri, state, result || ' ' || coalesce(state_error, '') FROM inbox_messages",
				} {
					rows, err := n.DB.Query(context.Background(), q)
					if err != nil {
						t.Log(err)
						continue
					}
					for rows.Next() {
						v, _ := rows.Values()
						t.Logf("%s: %v", n.domain, v)
					}
					rows.Close()
				}
			}
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
