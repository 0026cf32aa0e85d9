package node_test

import (
	"context"
	"encoding/json"
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

// home returns the URIs of an identity's home timeline on the node, newest
// first.
func (f *fedNode) home(t testing.TB, i *model.Identity) []string {
	t.Helper()
	local, err := store.IdentityByURI(context.Background(), f.DB, i.URI)
	if err != nil || local == nil {
		t.Fatalf("%s: identity %s: %v", f.domain, i.URI, err)
	}
	posts, err := store.HomeTimeline(context.Background(), f.DB, local.ID, store.Page{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range posts {
		out = append(out, p.URI)
	}
	return out
}

// postState reads the post graph state of the post with uri on the node,
// "" when it is not there.
func (f *fedNode) postState(t testing.TB, uri string) string {
	t.Helper()
	p, err := store.PostByURI(context.Background(), f.DB, uri)
	if err != nil {
		t.Fatal(err)
	}
	if p == nil {
		return ""
	}
	return p.State
}

func (f *fedNode) waitPostState(t *testing.T, uri, state string) {
	t.Helper()
	waitUntil(t, fmt.Sprintf("%s: post %s to be %s", f.domain, uri, state), func() bool { return f.postState(t, uri) == state })
}

func (f *fedNode) postEdits(t *testing.T, uri string) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRow(context.Background(), `SELECT count(*) FROM post_edits e JOIN posts p ON p.id = e.post_id
		WHERE p.uri = $1`, uri).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// follow makes source (on n) follow target and waits until both sides
// agree.
func follow(t *testing.T, n, other *fedNode, source, target *model.Identity) {
	t.Helper()
	targetHere := n.resolve(t, target.Handle())
	if _, err := n.Instance.Follow(context.Background(), source, targetHere); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, other, source, target, "accepted")
	waitFollow(t, n, source, target, "accepted")
}

func ptr[T any](v T) *T { return &v }

// A public post reaches a remote follower's home timeline and the author's
// own, not a non-follower's; its edit and its deletion follow it.
func TestPostLifecycleAcrossServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, alice, bob, carol := aliceBobCarol(t)
	follow(t, b, a, bob, alice)

	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "Kia ora #Pukeko", Language: "mi", Summary: "greeting"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Content, "/tags/pukeko") || !slices.Equal(p.Hashtags, []string{"pukeko"}) {
		t.Fatalf("rendered post: %q %v", p.Content, p.Hashtags)
	}
	waitUntil(t, "the post in bob's home on b", func() bool { return slices.Contains(b.home(t, bob), p.URI) })
	waitUntil(t, "the post in alice's home on a", func() bool { return slices.Contains(a.home(t, alice), p.URI) })
	b.waitPostState(t, p.URI, social.PostFannedOut)
	if got := b.home(t, carol); len(got) != 0 {
		t.Fatalf("carol (no follower) sees %v", got)
	}
	onB, _ := store.PostByURI(ctx, b.DB, p.URI)
	if onB.Visibility != model.VisibilityPublic || onB.Summary != "greeting" || !onB.Sensitive || onB.Language != "mi" ||
		onB.Local || onB.URL != p.URL || !slices.Equal(onB.Hashtags, []string{"pukeko"}) {
		t.Fatalf("post on b: %+v", onB)
	}

	// The post is served as a Note and listed in the outbox.
	status, body := a.get(t, "a.test", fmt.Sprintf("/@alice/posts/%d", p.ID), ap.ContentType)
	if status != 200 || !strings.Contains(string(body), `"type":"Note"`) {
		t.Fatalf("GET post: %d %s", status, body)
	}
	// A browser gets a page with the content (the content warning around it).
	status, body = a.get(t, "a.test", fmt.Sprintf("/@alice/posts/%d", p.ID), "text/html")
	if status != 200 || !strings.Contains(string(body), "<summary>greeting</summary>") || !strings.Contains(string(body), "Kia ora") {
		t.Fatalf("GET post as HTML: %d %s", status, body)
	}
	status, body = a.get(t, "a.test", "/@alice/outbox?page=1", ap.ContentType)
	if status != 200 || !strings.Contains(string(body), p.URI) || !strings.Contains(string(body), `"Create"`) {
		t.Fatalf("GET outbox: %d %s", status, body)
	}

	// An edit reaches b, visibility kept, history on both sides.
	if _, err := a.Instance.EditPost(ctx, alice, p.ID, social.PostEdit{Text: ptr("Kia ora koutou")}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the edit on b", func() bool {
		q, _ := store.PostByURI(ctx, b.DB, p.URI)
		return q != nil && strings.Contains(q.Content, "koutou") && q.State == social.PostEditedFannedOut
	})
	onB, _ = store.PostByURI(ctx, b.DB, p.URI)
	if onB.Visibility != model.VisibilityPublic || onB.Edited == nil {
		t.Fatalf("edited post on b: %+v", onB)
	}
	if a.postEdits(t, p.URI) != 1 || b.postEdits(t, p.URI) != 1 {
		t.Fatalf("edits: a %d, b %d; want 1 each", a.postEdits(t, p.URI), b.postEdits(t, p.URI))
	}

	// A delete takes it out of bob's home on b.
	if err := a.Instance.DeletePost(ctx, alice, p.ID); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the delete on b", func() bool { return b.postState(t, p.URI) == social.PostDeletedFannedOut })
	if got := b.home(t, bob); slices.Contains(got, p.URI) {
		t.Fatalf("bob still sees the deleted post: %v", got)
	}
	var events int
	b.DB.QueryRow(ctx, "SELECT count(*) FROM timeline_events e JOIN posts p ON p.id = e.post_id WHERE p.uri = $1", p.URI).Scan(&events)
	if events != 0 {
		t.Fatalf("%d timeline events left for the deleted post on b", events)
	}
	if status, _ := a.get(t, "a.test", fmt.Sprintf("/@alice/posts/%d", p.ID), ap.ContentType); status != 410 {
		t.Fatalf("GET deleted post: %d, want 410", status)
	}
}

// Followers-only posts reach followers only, direct posts the mentioned
// only, and local posts never leave the server.
func TestPostVisibilities(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, alice, bob, carol := aliceBobCarol(t)
	follow(t, b, a, bob, alice)
	b.resolve(t, "alice@a.test")

	private, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "for followers", Visibility: model.VisibilityPrivate})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "psst @carol@b.test", Visibility: model.VisibilityDirect})
	if err != nil {
		t.Fatal(err)
	}
	if len(direct.Mentions) != 1 || !strings.Contains(direct.Content, "@<span>carol</span>") {
		t.Fatalf("direct post: %q mentions %v", direct.Content, direct.Mentions)
	}
	local, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "only here", Visibility: model.VisibilityLocal})
	if err != nil {
		t.Fatal(err)
	}
	b.waitPostState(t, private.URI, social.PostFannedOut)
	b.waitPostState(t, direct.URI, social.PostFannedOut)
	a.waitPostState(t, local.URI, social.PostFannedOut)

	if got := b.home(t, bob); !slices.Contains(got, private.URI) || slices.Contains(got, direct.URI) {
		t.Fatalf("bob's home %v: want the followers-only post, not the direct one", got)
	}
	if got := b.home(t, carol); !slices.Equal(got, []string{direct.URI}) {
		t.Fatalf("carol's home %v: want only the direct post", got)
	}
	onB, _ := store.PostByURI(ctx, b.DB, private.URI)
	if onB.Visibility != model.VisibilityPrivate {
		t.Fatalf("followers-only post on b has visibility %s", onB.Visibility)
	}
	onB, _ = store.PostByURI(ctx, b.DB, direct.URI)
	if onB.Visibility != model.VisibilityDirect {
		t.Fatalf("direct post on b has visibility %s", onB.Visibility)
	}
	if got := a.home(t, alice); !slices.Contains(got, local.URI) || len(got) != 3 {
		t.Fatalf("alice's home %v: want her three posts", got)
	}
	var deliveries, shared int
	a.DB.QueryRow(ctx, "SELECT count(*) FROM deliveries WHERE body->'object'->>'id' = $1", local.URI).Scan(&deliveries)
	if deliveries != 0 || b.postState(t, local.URI) != "" {
		t.Fatalf("a local post was delivered (%d deliveries)", deliveries)
	}
	// One delivery per inbox: bob and carol share b's inbox.
	a.DB.QueryRow(ctx, "SELECT count(*) FROM deliveries WHERE body->'object'->>'id' = $1", private.URI).Scan(&shared)
	if shared != 1 {
		t.Fatalf("%d deliveries of the followers-only post, want 1", shared)
	}
	// Only public and unlisted posts are served to anyone.
	for _, p := range []*model.Post{private, direct, local} {
		if status, _ := a.get(t, "a.test", fmt.Sprintf("/@alice/posts/%d", p.ID), ap.ContentType); status != 404 {
			t.Fatalf("GET %s post: %d, want 404", p.Visibility, status)
		}
	}
}

// Incoming Creates: a duplicate is one post, remote HTML is sanitized, a
// post attributed to someone else is refused.
func TestIncomingCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, alice, bob, carol := aliceBobCarol(t)
	follow(t, a, b, alice, bob)

	send := func(activity map[string]any) {
		t.Helper()
		body, _ := json.Marshal(activity)
		if err := b.Instance.Client.PostActivity(ctx, "http://a.test/inbox", body, signerOf(t, bob)); err != nil {
			t.Fatal(err)
		}
	}
	noteURI := bob.URI + "/posts/4242"
	note := map[string]any{
		"id": noteURI, "type": "Note", "attributedTo": bob.URI,
		"content": `<p>hi<script>alert(1)</script> <a href="javascript:alert(1)">click</a></p>`,
		"to":      []string{ap.Public}, "cc": []string{bob.FollowersURI},
		"published": "2025-01-02T03:04:05Z",
	}
	create := ap.NewActivity("Create", noteURI+"/activity", bob.URI, note)
	send(create)
	send(create)
	waitUntil(t, "both Creates processed", func() bool {
		var pending int
		a.DB.QueryRow(ctx, "SELECT count(*) FROM inbox_messages WHERE activity_id = $1 AND state = 'received'", noteURI+"/activity").Scan(&pending)
		return pending == 0 && a.postState(t, noteURI) == social.PostFannedOut
	})
	var n int
	a.DB.QueryRow(ctx, "SELECT count(*) FROM posts WHERE uri = $1", noteURI).Scan(&n)
	if n != 1 {
		t.Fatalf("%d posts for one Note sent twice", n)
	}
	p, _ := store.PostByURI(ctx, a.DB, noteURI)
	if strings.Contains(p.Content, "script") || strings.Contains(p.Content, "javascript:") || !strings.Contains(p.Content, "click") {
		t.Fatalf("content not sanitized: %q", p.Content)
	}
	if p.Visibility != model.VisibilityPublic || p.Published.Year() != 2025 || p.ID.Time().Year() != 2025 {
		t.Fatalf("stored post: %+v", p)
	}
	if got := a.home(t, alice); !slices.Equal(got, []string{noteURI}) {
		t.Fatalf("alice's home %v: want bob's post", got)
	}

	// Attributed to carol but sent by bob: refused.
	forged := bob.URI + "/posts/4343"
	send(ap.NewActivity("Create", forged+"/activity", bob.URI, map[string]any{
		"id": forged, "type": "Note", "attributedTo": carol.URI, "content": "not mine", "to": []string{ap.Public},
	}))
	waitUntil(t, "the forged Create to be refused", func() bool {
		var state string
		a.DB.QueryRow(ctx, "SELECT state FROM inbox_messages WHERE activity_id = $1", forged+"/activity").Scan(&state)
		return state == "errored"
	})
	if a.postState(t, forged) != "" {
		t.Fatal("a post attributed to someone else was stored")
	}
}

// Fan-out writes one timeline event per local follower, plus the author's.
func TestFanOutLocalFollowers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := startFederation(t, "a.test")[0]
	alice := a.identity(t, "alice", false)
	addLocalFollowers(t, a.DB, "a.test", alice, 2000)
	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "to all of you"})
	if err != nil {
		t.Fatal(err)
	}
	a.waitPostState(t, p.URI, social.PostFannedOut)
	var events int
	a.DB.QueryRow(ctx, "SELECT count(*) FROM timeline_events WHERE post_id = $1", p.ID).Scan(&events)
	if events != 2001 {
		t.Fatalf("%d timeline events, want 2001", events)
	}
	// Running it again writes nothing.
	if n, err := store.FanOutLocal(ctx, a.DB, p, true); err != nil || n != 0 {
		t.Fatalf("fan-out again wrote %d (%v)", n, err)
	}
}

// addLocalFollowers inserts n local identities of domain following target
// (accepted), in SQL.
func addLocalFollowers(t testing.TB, db store.DB, domain string, target *model.Identity, n int) {
	t.Helper()
	ctx := context.Background()
	base := int64(model.NewID())
	if _, err := db.Exec(ctx, `INSERT INTO identities (id, uri, local, username, domain, state, state_next_attempt)
		SELECT $1::bigint + g, 'http://' || $2 || '/@f' || g || '@' || $2, true, 'f' || g, $2, 'local', NULL
		FROM generate_series(1, $3) g`, base, domain, n); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO follows (id, source_id, target_id, uri, state, state_next_attempt)
		SELECT $1::bigint + $3::int + g, $1::bigint + g, $4::bigint, 'http://' || $2 || '/@f' || g || '@' || $2 || '#follows/1', 'accepted', NULL
		FROM generate_series(1, $3) g`, base, domain, n, target.ID); err != nil {
		t.Fatal(err)
	}
	// One statement made every row at once (and the counter triggers an
	// update of each identity): vacuum, as time would, so that what is
	// measured next is the steady state, not the bulk load's dead rows.
	if _, err := db.Exec(ctx, `VACUUM ANALYZE identities, follows`); err != nil {
		t.Fatal(err)
	}
}

// Home timeline pages: newest first, bounded by max_id, since_id and min_id.
func TestHomeTimelinePages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := startFederation(t, "a.test")[0]
	alice := a.identity(t, "alice", false)
	var ids []model.ID // oldest first
	for k := range 5 {
		p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: fmt.Sprintf("post %d", k)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	waitUntil(t, "five posts in alice's home", func() bool { return len(a.home(t, alice)) == 5 })
	page := func(pg store.Page) []model.ID {
		t.Helper()
		pg.Limit = 2
		posts, err := store.HomeTimeline(ctx, a.DB, alice.ID, pg)
		if err != nil {
			t.Fatal(err)
		}
		var out []model.ID
		for _, p := range posts {
			out = append(out, p.ID)
		}
		return out
	}
	for _, c := range []struct {
		name string
		pg   store.Page
		want []model.ID
	}{
		{"first", store.Page{}, []model.ID{ids[4], ids[3]}},
		{"max_id", store.Page{MaxID: ids[3]}, []model.ID{ids[2], ids[1]}},
		{"max_id at the end", store.Page{MaxID: ids[1]}, []model.ID{ids[0]}},
		{"since_id", store.Page{SinceID: ids[1]}, []model.ID{ids[4], ids[3]}},
		{"min_id", store.Page{MinID: ids[1]}, []model.ID{ids[3], ids[2]}},
		{"min_id and max_id", store.Page{MinID: ids[0], MaxID: ids[2]}, []model.ID{ids[1]}},
		{"since_id and max_id", store.Page{SinceID: ids[0], MaxID: ids[4]}, []model.ID{ids[3], ids[2]}},
	} {
		if got := page(c.pg); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// A muted author leaves the timeline.
	bobby := a.identity(t, "bobby", false)
	if _, err := a.Instance.Mute(ctx, bobby, alice, false, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := store.FanOutLocal(ctx, a.DB, &model.Post{ID: ids[0], AuthorID: alice.ID, Mentions: []model.ID{bobby.ID}}, false); err != nil {
		t.Fatal(err)
	}
	if got := a.home(t, bobby); len(got) != 0 {
		t.Fatalf("bobby sees posts of someone he mutes: %v", got)
	}
}

// BenchmarkFanOutLocal measures the time from a post until every one of its
// author's 10,000 local followers has it in their home timeline.
func BenchmarkFanOutLocal(b *testing.B) {
	n, _ := benchNode(b, "a.test")
	ctx := context.Background()
	alice, err := n.Instance.CreateIdentity(ctx, 0, "alice", "a.test", "Alice")
	if err != nil {
		b.Fatal(err)
	}
	const followers = 10_000
	addLocalFollowers(b, n.DB, "a.test", alice, followers)
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		p, err := n.Instance.CreatePost(ctx, alice, social.PostOptions{Text: fmt.Sprintf("post %d", k)})
		if err != nil {
			b.Fatal(err)
		}
		// The post leaves 'new' only after its timeline events were
		// committed: watching its state (a primary-key read) does not load
		// the database the way counting 10,000 rows every few ms would.
		deadline := time.Now().Add(time.Minute)
		for {
			var state string
			n.DB.QueryRow(ctx, "SELECT state FROM posts WHERE id = $1", p.ID).Scan(&state)
			if state != social.PostNew {
				break
			}
			if time.Now().After(deadline) {
				b.Fatal("the post was not fanned out within a minute")
			}
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		var events int
		n.DB.QueryRow(ctx, "SELECT count(*) FROM timeline_events WHERE post_id = $1", p.ID).Scan(&events)
		if events != followers+1 {
			b.Fatalf("%d of %d home timeline events", events, followers+1)
		}
		b.StartTimer()
	}
}
