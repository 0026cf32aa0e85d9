package mastodon_test

import "testing"

// Two web nodes on one database: a client streaming from the second node
// (which runs no Stator) hears of a post made through the first.
func TestStreamingAcrossNodes(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	closeStreamsFirst(t, s)
	peer := startPeerNode(t, s)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	followNow(t, s, bob.identity, alice.identity)

	_, home := openWebSocket(t, peer, bob.onNode(peer), "stream=user")
	public := openEventStream(t, peer, bob.onNode(peer), "/api/v1/streaming/public/local")
	id := postAs(t, alice, "From the first node", "public")
	home.next("the post at home, through the other node", isStatusEvent("update", id))
	public.next("the post on the local stream, through the other node", isStatusEvent("update", id))
}
