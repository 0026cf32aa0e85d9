package node_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// pollOn reads the node's copy of the poll of the post with uri (nil when
// it has none).
func (f *fedNode) pollOn(t *testing.T, uri string) *model.Poll {
	t.Helper()
	p, err := store.PostByURI(context.Background(), f.DB, uri)
	if err != nil || p == nil {
		t.Fatalf("%s: post %s: %v", f.domain, uri, err)
	}
	pl, err := store.PollResults(context.Background(), f.DB, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

// pollIs reports whether a poll has these counts and voters.
func pollIs(pl *model.Poll, voters int, counts ...int) bool {
	return pl != nil && pl.VotersCount == voters && slices.Equal(pl.Counts, counts)
}

// voteBody renders a vote as Mastodon sends it: a Create of a Note named
// by the option, in reply to the poll.
func voteBody(t *testing.T, voter *model.Identity, noteID, question, author, option string) []byte {
	t.Helper()
	body, err := json.Marshal(ap.VoteActivity(noteID, voter.URI, question, author, option))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// alice@a polls; carol@a and bob@b vote: a counts both, bob cannot vote
// twice. When the poll ends a closes it, notifies alice and carol, and
// b's copy gets the final counts by an Update; a vote arriving after the
// end is ignored.
func TestPollAcrossServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	a.Instance.MinPollExpiry = time.Second
	alice := a.identity(t, "alice", false)
	carol := a.identity(t, "carol", false)
	bob := b.identity(t, "bob", false)
	dave := b.identity(t, "dave", false)
	follow(t, b, a, bob, alice)

	// Refused polls.
	for _, bad := range []*social.PollOptions{
		{Options: []string{"only"}, ExpiresIn: time.Hour},
		{Options: []string{"a", "b", "c", "d", "e"}, ExpiresIn: time.Hour},
		{Options: []string{"a", strings.Repeat("x", 51)}, ExpiresIn: time.Hour},
		{Options: []string{"a", "b"}, ExpiresIn: 40 * 24 * time.Hour},
	} {
		if _, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "bad", Poll: bad}); !errors.Is(err, social.ErrInvalidPoll) {
			t.Fatalf("poll %+v: %v, want ErrInvalidPoll", bad, err)
		}
	}

	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "Tea or coffee?",
		Poll: &social.PollOptions{Options: []string{"tea", "coffee", "water"}, ExpiresIn: 3 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	// The Question carries its options.
	var create map[string]any
	if err := json.Unmarshal(a.sentBody(t, "Create"), &create); err != nil {
		t.Fatal(err)
	}
	q := ap.Object(create["object"].(map[string]any))
	if q.Type() != "Question" || len(q.Objects("oneOf")) != 3 || q.String("endTime") == "" {
		t.Fatalf("Question: %v", q)
	}
	// The post's own URL serves the same Question.
	req, _ := http.NewRequest("GET", "http://"+a.addr+"/@alice/posts/"+strconv.FormatInt(int64(p.ID), 10), nil)
	req.Host = "a.test"
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var served map[string]any
	json.NewDecoder(resp.Body).Decode(&served)
	resp.Body.Close()
	if so := ap.Object(served); so.Type() != "Question" || len(so.Objects("oneOf")) != 3 {
		t.Fatalf("the post URL serves %v, want the Question with its options", served)
	}

	if _, err := a.Instance.Vote(ctx, alice, p, []int{0}); !errors.Is(err, social.ErrOwnPoll) {
		t.Fatalf("alice voting in her own poll: %v", err)
	}
	if _, err := a.Instance.Vote(ctx, carol, p, []int{3}); !errors.Is(err, social.ErrInvalidChoice) {
		t.Fatalf("out of range: %v", err)
	}
	if _, err := a.Instance.Vote(ctx, carol, p, []int{0, 1}); !errors.Is(err, social.ErrInvalidChoice) {
		t.Fatalf("two choices in a one-choice poll: %v", err)
	}
	if _, err := a.Instance.Vote(ctx, carol, p, []int{0}); err != nil {
		t.Fatal(err)
	}
	onB := b.postOn(t, p.URI)
	if pl := b.pollOn(t, p.URI); pl == nil || !slices.Equal(pl.Options, []string{"tea", "coffee", "water"}) {
		t.Fatalf("b's copy of the poll: %+v", pl)
	}
	if _, err := b.Instance.Vote(ctx, bob, onB, []int{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Instance.Vote(ctx, bob, onB, []int{2}); !errors.Is(err, social.ErrAlreadyVoted) {
		t.Fatalf("bob voting again: %v", err)
	}
	waitOrDump(t, "a to count both votes", func() bool { return pollIs(a.pollOn(t, p.URI), 2, 1, 1, 0) }, a, b)
	var replies int
	if err := a.DB.QueryRow(ctx, "SELECT count(*) FROM posts WHERE in_reply_to_uri = $1", p.URI).Scan(&replies); err != nil {
		t.Fatal(err)
	}
	if c := a.counts(t, p.URI); replies != 0 || c.Replies != 0 {
		t.Fatalf("the vote was stored as a reply: %d posts, %+v", replies, c)
	}

	waitOrDump(t, "the poll to close on a", func() bool {
		pl := a.pollOn(t, p.URI)
		return pl.Closed != nil && pl.State == social.PollClosed
	}, a, b)
	waitUntil(t, "alice's and carol's poll notifications", func() bool {
		return a.hasNotification(t, alice, store.NotifyPoll, alice) && a.hasNotification(t, carol, store.NotifyPoll, alice)
	})
	waitOrDump(t, "b's copy to show the final counts", func() bool {
		pl := b.pollOn(t, p.URI)
		return pollIs(pl, 2, 1, 1, 0) && pl.Closed != nil
	}, a, b)
	waitUntil(t, "bob's poll notification on b", func() bool { return b.hasNotification(t, bob, store.NotifyPoll, alice) })
	if _, err := b.Instance.Vote(ctx, bob, onB, []int{2}); !errors.Is(err, social.ErrPollClosed) {
		t.Fatalf("voting in a closed poll: %v", err)
	}

	// A vote after the end is ignored.
	late := voteBody(t, dave, dave.URI+"#votes/late", p.URI, alice.URI, "water")
	postAs(t, b, a, dave, late)
	if result := a.waitProcessed(t, late); !strings.Contains(result, "ended") {
		t.Fatalf("late vote: %s", result)
	}
	if pl := a.pollOn(t, p.URI); !pollIs(pl, 2, 1, 1, 0) {
		t.Fatalf("counts after a late vote: %+v", pl)
	}
}

// A multiple-choice poll: a voter's two choices make one voter and count
// once each; a remote vote delivered twice, or wrapped in another Create,
// counts once.
func TestPollMultipleChoice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	carol := a.identity(t, "carol", false)
	bob := b.identity(t, "bob", false)
	follow(t, b, a, bob, alice)

	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "Which fruit?",
		Poll: &social.PollOptions{Options: []string{"apple", "pear", "plum"}, Multiple: true, ExpiresIn: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := a.Instance.Vote(ctx, carol, p, []int{0, 2})
	if err != nil {
		t.Fatal(err)
	}
	if !pollIs(pl, 1, 1, 0, 1) {
		t.Fatalf("after carol's vote: %+v", pl)
	}
	if _, err := a.Instance.Vote(ctx, carol, p, []int{2}); !errors.Is(err, social.ErrAlreadyVoted) {
		t.Fatalf("the same choice twice: %v", err)
	}
	if _, err := a.Instance.Vote(ctx, carol, p, []int{1, 1}); !errors.Is(err, social.ErrInvalidChoice) {
		t.Fatalf("a repeated choice: %v", err)
	}

	onB := b.postOn(t, p.URI)
	if got := b.pollOn(t, p.URI); got == nil || !got.Multiple {
		t.Fatalf("b's copy: %+v", got)
	}
	if _, err := b.Instance.Vote(ctx, bob, onB, []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	waitOrDump(t, "a to count bob's two choices", func() bool { return pollIs(a.pollOn(t, p.URI), 2, 1, 1, 2) }, a, b)

	// One of bob's votes again, as sent and in a new Create.
	var sent []byte
	waitUntil(t, "b's vote deliveries", func() bool {
		return b.DB.QueryRow(ctx, `SELECT body FROM deliveries WHERE body->>'type' = 'Create'
			AND body->'object'->>'name' = 'pear'`).Scan(&sent) == nil
	})
	postAs(t, b, a, bob, sent)
	var create map[string]any
	if err := json.Unmarshal(sent, &create); err != nil {
		t.Fatal(err)
	}
	again := activity(t, "Create", bob.URI, create["object"])
	postAs(t, b, a, bob, again)
	if result := a.waitProcessed(t, again); result != "vote already counted" {
		t.Fatalf("the same vote again: %s", result)
	}
	if got := a.pollOn(t, p.URI); !pollIs(got, 2, 1, 1, 2) {
		t.Fatalf("counts after a repeated vote: %+v", got)
	}
	var votes int
	if err := a.DB.QueryRow(ctx, "SELECT count(*) FROM poll_votes WHERE post_id = $1", p.ID).Scan(&votes); err != nil {
		t.Fatal(err)
	}
	if votes != 4 {
		t.Fatalf("%d vote rows, want 4", votes)
	}
}

// Votes on one of our polls reach other servers before the poll ends: one
// Update after a burst of votes, not one per vote.
func TestPollCountsSentWhileOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	a.Instance.PollUpdateDelay = 300 * time.Millisecond
	alice := a.identity(t, "alice", false)
	carol := a.identity(t, "carol", false)
	dave := a.identity(t, "dave", false)
	bob := b.identity(t, "bob", false)
	follow(t, b, a, bob, alice)

	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "Which day?",
		Poll: &social.PollOptions{Options: []string{"monday", "friday"}, ExpiresIn: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "b to receive the poll", func() bool {
		known, _ := store.PostByURI(ctx, b.DB, p.URI)
		return known != nil && b.pollOn(t, p.URI) != nil
	})
	for _, voter := range []*model.Identity{carol, dave} {
		if _, err := a.Instance.Vote(ctx, voter, p, []int{1}); err != nil {
			t.Fatal(err)
		}
	}
	waitOrDump(t, "b's copy to show both votes while the poll is open", func() bool {
		pl := b.pollOn(t, p.URI)
		return pollIs(pl, 2, 0, 2) && pl.Closed == nil
	}, a, b)
	var updates int
	a.DB.QueryRow(ctx, `SELECT count(*) FROM deliveries WHERE body->>'type' = 'Update' AND activity_id LIKE '%#updates/poll-%'`).Scan(&updates)
	if updates != 1 {
		t.Fatalf("%d poll Updates sent for a burst of two votes, want 1", updates)
	}
}
