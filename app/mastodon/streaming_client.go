package mastodon

import (
	"strings"
	"sync"

	"pukeko/app/model"
	"pukeko/app/oauth"
)

// streamClient is one connection (a WebSocket or an event stream) of one
// identity, with the frames waiting for it. The hub never waits for a
// client: when its buffer is full it is let go (end), and its handler
// closes the connection.
type streamClient struct {
	viewer  *model.Identity
	tokenID model.ID
	scopes  oauth.Scopes
	host    string // the domain it connected to: accounts and URLs render for it
	https   bool

	out  chan *frame
	gone chan struct{} // closed by end
	once sync.Once
	why  string // why it was let go, set before gone closes

	subs map[string]*subscription // by stream name; guarded by the hub's mu
}

func newStreamClient(v *streamViewer, buffer int) *streamClient {
	return &streamClient{
		viewer: v.identity, tokenID: v.tokenID, scopes: v.scopes, host: v.host, https: v.https,
		out: make(chan *frame, buffer), gone: make(chan struct{}), subs: map[string]*subscription{},
	}
}

// send queues f, or lets the client go when its buffer is full: a slow
// client must never hold up the others.
func (c *streamClient) send(f *frame) {
	select {
	case <-c.gone:
	case c.out <- f:
	default:
		c.end("too slow: events were left unread")
	}
}

// end lets the client go; the first reason given stays.
func (c *streamClient) end(why string) {
	c.once.Do(func() {
		c.why = why
		close(c.gone)
	})
}

// subscription is one stream a client listens to.
type subscription struct {
	client *streamClient
	key    string   // what the hub files it under (streamKey)
	name   []string // Mastodon's stream name, sent with every WebSocket message

	// user streams
	identity          model.ID
	notifications     bool // notification events wanted (and allowed by the token)
	notificationsOnly bool // user:notification

	// public streams
	onlyMedia bool // posts with attachments only
	localOnly bool // posts of the domain the client connected to

	list model.ID // list streams
}

// nameKey is the stream name as one string, which tells subscriptions of a
// client apart.
func (s *subscription) nameKey() string { return strings.Join(s.name, "\x00") }
