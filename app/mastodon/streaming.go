package mastodon

import (
	"net/http"
	"sync"

	"pukeko/app/oauth"
)

// The streaming API: one WebSocket endpoint multiplexing streams, and
// server-sent events, one stream per request. Events come from every
// process through PostgreSQL (schema/0017_streaming.sql, streamHub).

// streamHubs holds each API's hub: the API struct has no field for it (yet).
var streamHubs sync.Map // *API -> *streamHub

// sseStreams maps the paths of server-sent event streams (after
// /api/v1/streaming/) to Mastodon's stream names.
var sseStreams = map[string]string{
	"user":              "user",
	"user/notification": "user:notification",
	"public":            "public",
	"public/local":      "public:local",
	"public/remote":     "public:remote",
	"hashtag":           "hashtag",
	"hashtag/local":     "hashtag:local",
	"list":              "list",
	"direct":            "direct",
}

// registerStreaming adds the streaming API.
func (a *API) registerStreaming(mux Mux) {
	h := newStreamHub(a)
	streamHubs.Store(a, h)
	a.streamRoute(mux, "GET /api/v1/streaming/health", http.HandlerFunc(streamHealth))
	a.streamRoute(mux, "GET /api/v1/streaming", http.HandlerFunc(h.serveRoot))
	for path, stream := range sseStreams {
		a.streamRoute(mux, "GET /api/v1/streaming/"+path, h.serveEventStream(stream))
	}
}

// CloseStreaming ends the streaming API of this process for good: every
// client is let go (WebSockets closed with 1001, going away; event
// streams ended) and the database listener stops. Call it as shutdown
// begins, before the HTTP server drains its requests: event streams are
// requests that would otherwise hold the drain until its timeout, and
// WebSockets are hijacked connections the drain does not see at all.
func (a *API) CloseStreaming() {
	if h, ok := streamHubs.LoadAndDelete(a); ok {
		h.(*streamHub).close()
	}
}

// streamRoute registers a streaming endpoint, with and without a trailing
// slash, behind CORS. Streams authenticate themselves (authenticateStream):
// the token may come in ways the REST routes do not take, and the scope
// depends on the stream asked for.
func (a *API) streamRoute(mux Mux, pattern string, h http.Handler) {
	h = oauth.CORS(h)
	mux.Handle(pattern, h)
	mux.Handle(pattern+"/{$}", h)
	a.routes = append(a.routes, pattern)
}

// streamHealth answers Mastodon's health check of the streaming server.
func streamHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("OK"))
}
