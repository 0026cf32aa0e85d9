package node_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"pukeko/app/ap"
	"pukeko/app/social"
)

// Bad posts from another server: too much content, an unknown object
// type, a reply to a deleted post. Each gets a clear answer, at most one
// post, and the server keeps working; the replies collection lists the
// replies that remain.
func TestIncomingPostBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	bob := b.identity(t, "bob", false)
	b.resolve(t, "alice@a.test")
	a.resolve(t, "bob@b.test")

	send := func(activity map[string]any) error {
		body, _ := json.Marshal(activity)
		return b.Instance.Client.PostActivity(ctx, "http://a.test/inbox", body, signerOf(t, bob))
	}
	note := func(id, content string) map[string]any {
		return map[string]any{"id": id, "type": "Note", "attributedTo": bob.URI, "content": content,
			"to": []string{ap.Public}, "published": "2025-01-02T03:04:05Z"}
	}

	// 1 MB of content is over the inbox limit: refused, nothing stored.
	huge := note(bob.URI+"/posts/huge", "<p>"+strings.Repeat("a", 1<<20)+"</p>")
	if err := send(ap.NewActivity("Create", bob.URI+"/posts/huge/activity", bob.URI, huge)); err == nil ||
		!strings.Contains(err.Error(), "413") {
		t.Fatalf("a 1 MB post: %v, want a 413", err)
	}

	// An object type that is not a post: recorded and ignored.
	odd := map[string]any{"id": bob.URI + "/things/1", "type": "Hologram", "attributedTo": bob.URI}
	create := ap.NewActivity("Create", bob.URI+"/things/1/activity", bob.URI, odd)
	if err := send(create); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(create)
	if result := a.waitProcessed(t, body); !strings.Contains(result, "ignored") {
		t.Fatalf("Create of a Hologram: result %q, want it ignored", result)
	}

	// A reply to a post that was deleted is stored as a reply, and alice's
	// post route keeps answering 410 for the deleted one.
	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "soon gone"})
	if err != nil {
		t.Fatal(err)
	}
	a.waitPostState(t, p.URI, social.PostFannedOut)
	kept, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "stays"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Instance.DeletePost(ctx, alice, p.ID); err != nil {
		t.Fatal(err)
	}
	for k, parent := range []string{p.URI, kept.URI} {
		reply := note(fmt.Sprintf("%s/posts/reply%d", bob.URI, k), "<p>a reply</p>")
		reply["inReplyTo"] = parent
		create := ap.NewActivity("Create", fmt.Sprintf("%s/posts/reply%d/activity", bob.URI, k), bob.URI, reply)
		if err := send(create); err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(create)
		a.waitProcessed(t, body)
	}
	if status, _ := a.get(t, "a.test", fmt.Sprintf("/@alice/posts/%d", p.ID), ap.ContentType); status != 410 {
		t.Fatalf("GET deleted post: %d, want 410", status)
	}
	// The replies collection of the kept post lists bob's reply.
	page := a.getJSON(t, "a.test", fmt.Sprintf("/@alice/posts/%d/replies?page=1", kept.ID), ap.ContentType)
	items, _ := page["items"].([]any)
	if len(items) != 1 || items[0] != bob.URI+"/posts/reply1" {
		t.Fatalf("replies collection: %v", page)
	}
	a.assertServing(t)
}
