package node_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// bob@b.test posts with :blobcat:, a local emoji of b.test: the text keeps
// the shortcode, the Note carries an Emoji tag, and a.test stores the
// emoji under b.test and links it to its copy of the post.
func TestCustomEmoji(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice, bob := a.someone(t, "alice"), b.someone(t, "bob")
	follow(t, a, b, alice, bob)
	blobcat := &model.Emoji{Shortcode: "blobcat", ImageURL: "https://b.test/files/blobcat.png", MediaType: "image/png", VisibleInPicker: true}
	if err := store.SaveEmoji(ctx, b.DB, blobcat); err != nil {
		t.Fatal(err)
	}
	p := mustPost(t, b, bob, social.PostOptions{Text: "hello :blobcat: and :unknown:"})
	if !strings.Contains(p.Content, ":blobcat:") {
		t.Fatalf("content %q lost the shortcode", p.Content)
	}
	if got, err := store.PostEmoji(ctx, b.DB, p.ID); err != nil || len(got) != 1 || got[0].ID != blobcat.ID {
		t.Fatalf("emoji of the local post: %+v (%v)", got, err)
	}

	// The Create b sends carries the Emoji tag.
	var create struct {
		Object struct {
			Tag []struct {
				ID   string `json:"id"`
				Type string `json:"type"`
				Name string `json:"name"`
				Icon struct {
					Type      string `json:"type"`
					MediaType string `json:"mediaType"`
					URL       string `json:"url"`
				} `json:"icon"`
			} `json:"tag"`
		} `json:"object"`
	}
	if err := json.Unmarshal(b.sentBody(t, "Create"), &create); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tag := range create.Object.Tag {
		if tag.Type == "Emoji" {
			found = true
			if tag.Name != ":blobcat:" || tag.ID == "" || tag.Icon.Type != "Image" || tag.Icon.URL != blobcat.ImageURL || tag.Icon.MediaType != "image/png" {
				t.Fatalf("emoji tag %+v", tag)
			}
		}
	}
	if !found {
		t.Fatalf("no Emoji tag in %+v", create.Object.Tag)
	}

	// a stores the emoji of b.test and links it to its copy of the post.
	onA := a.postOn(t, p.URI)
	got, err := store.PostEmoji(ctx, a.DB, onA.ID)
	if err != nil || len(got) != 1 {
		t.Fatalf("emoji of the received post: %+v (%v)", got, err)
	}
	e := got[0]
	if e.Shortcode != "blobcat" || e.Domain != "b.test" || e.ImageURL != blobcat.ImageURL || e.MediaType != "image/png" || e.URI == "" || e.VisibleInPicker {
		t.Fatalf("stored emoji %+v", e)
	}
	// Its image goes to a's remote media cache (b serves no such file
	// here, so caching it fails; what matters is that it was queued).
	if state := a.remoteMediaState(t, blobcat.ImageURL); state == "" {
		t.Fatal("the remote emoji's image was not queued for the media cache")
	}
	if !strings.Contains(onA.Content, ":blobcat:") {
		t.Fatalf("received content %q", onA.Content)
	}
}
