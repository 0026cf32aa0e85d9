package mastodon_test

import (
	"context"
	"testing"
	"time"
)

// Server-sent events: the public stream has public posts and not unlisted
// ones; a hashtag stream only the public posts with its tag; a muted
// author's posts reach neither stream of the one who muted them.
func TestStreamingSSEPublicAndHashtag(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	closeStreamsFirst(t, s)
	alice := s.user("alice", "")
	mallory := s.user("mallory", "")
	carol := s.user("carol", "read")
	if _, err := s.Instance.Mute(context.Background(), carol.identity, mallory.identity, true, 0); err != nil {
		t.Fatal(err)
	}

	public := openEventStream(t, s, carol, "/api/v1/streaming/public")
	kea := openEventStream(t, s, carol, "/api/v1/streaming/hashtag?tag=kea")

	plain := postAs(t, alice, "Mōrena", "public")
	unlisted := postAs(t, alice, "Quietly #kea", "unlisted")
	muted := postAs(t, mallory, "Buy now #kea", "public")
	waitFannedOut(t, s, unlisted)
	waitFannedOut(t, s, muted)
	tagged := postAs(t, alice, "A #Kea on the roof", "public")

	e := public.next("the public post", isStatusEvent("update", plain))
	if st := e.object(t); st["content"] == nil || st["favourited"] != nil {
		t.Errorf("public payload (rendered for anyone): %v", st)
	}
	public.next("the tagged post", func(e streamEvent) bool {
		if e.Event == "update" && (isStatusEvent("update", unlisted)(e) || isStatusEvent("update", muted)(e)) {
			t.Errorf("unlisted or muted post on the public stream: %s", e.Payload)
		}
		return isStatusEvent("update", tagged)(e)
	})
	kea.next("the tagged post", func(e streamEvent) bool {
		if e.Event == "update" && !isStatusEvent("update", tagged)(e) {
			t.Errorf("another post on the hashtag stream: %s", e.Payload)
		}
		return isStatusEvent("update", tagged)(e)
	})

	alice.json("DELETE", "/api/v1/statuses/"+tagged, nil, nil)
	public.next("the delete", func(e streamEvent) bool { return e.Event == "delete" && e.Payload == tagged })
	kea.next("the delete", func(e streamEvent) bool { return e.Event == "delete" && e.Payload == tagged })
	kea.none("anything more", 300*time.Millisecond, func(e streamEvent) bool { return e.Event == "update" })
}
