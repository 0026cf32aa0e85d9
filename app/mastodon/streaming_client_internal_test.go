package mastodon

import (
	"strings"
	"testing"
	"time"
)

// A client whose buffer is full is let go at once; the sender never waits.
func TestStreamingSlowClientLetGo(t *testing.T) {
	c := &streamClient{out: make(chan *frame, 2), gone: make(chan struct{}), subs: map[string]*subscription{}}
	f := &frame{stream: []string{"public"}, event: eventUpdate, payload: "{}"}
	c.send(f)
	c.send(f)
	select {
	case <-c.gone:
		t.Fatal("let go with room in its buffer")
	default:
	}
	sent := make(chan struct{})
	go func() { c.send(f); close(sent) }()
	select {
	case <-sent:
	case <-time.After(time.Second):
		t.Fatal("sending to a full client blocked")
	}
	<-c.gone
	if !strings.Contains(c.why, "too slow") {
		t.Errorf("why: %q", c.why)
	}
}

// Frames encode as Mastodon's streaming server writes events.
func TestStreamingFrames(t *testing.T) {
	f := &frame{stream: []string{"hashtag", "kea"}, event: eventUpdate, payload: `{"id":"1","content":"<p>a</p>"}`}
	if got, want := string(f.websocket()), `{"stream":["hashtag","kea"],"event":"update","payload":"{\"id\":\"1\",\"content\":\"<p>a</p>\"}"}`; got != want {
		t.Errorf("websocket:\n got %s\nwant %s", got, want)
	}
	if got, want := string(f.eventStream()), "event: update\ndata: {\"id\":\"1\",\"content\":\"<p>a</p>\"}\n\n"; got != want {
		t.Errorf("event stream: %q", got)
	}
	n := &frame{stream: []string{"user"}, event: eventFiltersChanged, none: true}
	if got, want := string(n.websocket()), `{"stream":["user"],"event":"filters_changed"}`; got != want {
		t.Errorf("websocket without payload: %s", got)
	}
	if got := string(n.eventStream()); got != "event: filters_changed\ndata: undefined\n\n" {
		t.Errorf("event stream without payload: %q", got)
	}
}
