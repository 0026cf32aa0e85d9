package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// WebSocket timings: a ping every wsPing (as Mastodon's 30 s), a dead peer
// noticed after wsPongWait, a write given up after wsWriteWait.
const (
	wsPing      = 30 * time.Second
	wsPongWait  = 15 * time.Second
	wsWriteWait = 10 * time.Second
)

// serveRoot serves /api/v1/streaming: a WebSocket when the request asks to
// upgrade, otherwise the server-sent events of the stream parameter.
func (h *streamHub) serveRoot(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		stream := q.Get("stream")
		if stream == "" {
			writeError(w, http.StatusBadRequest, "Missing stream")
			return
		}
		h.streamEvents(w, r, streamRequest{stream: stream, tag: q.Get("tag"), list: q.Get("list")})
		return
	}
	v, subprotocol, aerr := h.api.authenticateStream(r)
	if aerr != nil {
		writeError(w, aerr.status, aerr.msg)
		return
	}
	c := newStreamClient(v, h.buffer)
	if err := h.join(r.Context(), c); err != nil {
		writeError(w, http.StatusServiceUnavailable, "Streaming is unavailable")
		return
	}
	defer h.leave(c)
	// Any origin may connect, as to the REST API: tokens, never cookies,
	// authenticate, so a foreign page gains nothing it did not have.
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if subprotocol != "" {
		opts.Subprotocols = []string{subprotocol}
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		return // Accept answered
	}
	defer conn.CloseNow()
	conn.SetReadLimit(16 << 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if stream := q.Get("stream"); stream != "" {
		h.wsSubscribe(ctx, c, streamRequest{stream: stream, tag: q.Get("tag"), list: q.Get("list")})
	}
	go h.wsRead(ctx, conn, c)
	go wsPings(ctx, conn, c)
	h.wsWrite(ctx, conn, c)
	switch c.why {
	case "the server is shutting down":
		conn.Close(websocket.StatusGoingAway, c.why)
	case "gone":
	default:
		conn.Close(websocket.StatusPolicyViolation, c.why)
	}
}

// wsWrite sends the client's frames until it is let go.
func (h *streamHub) wsWrite(ctx context.Context, conn *websocket.Conn, c *streamClient) {
	for {
		select {
		case <-c.gone:
			return
		case f := <-c.out:
			wctx, cancel := context.WithTimeout(ctx, wsWriteWait)
			err := conn.Write(wctx, websocket.MessageText, f.websocket())
			cancel()
			if err != nil {
				c.end("gone")
				return
			}
		}
	}
}

// wsPings pings the peer, letting it go when it stops answering.
func wsPings(ctx context.Context, conn *websocket.Conn, c *streamClient) {
	t := time.NewTicker(wsPing)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.gone:
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, wsPongWait)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				c.end("gone")
				return
			}
		}
	}
}

// wsMessage is what clients send: Mastodon's subscribe and unsubscribe.
// list may come as a string or a number.
type wsMessage struct {
	Type   string          `json:"type"`
	Stream string          `json:"stream"`
	Tag    string          `json:"tag"`
	List   json.RawMessage `json:"list"`
}

// wsRead reads the client's messages until the connection ends; reading
// also answers pings and the closing handshake.
func (h *streamHub) wsRead(ctx context.Context, conn *websocket.Conn, c *streamClient) {
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			c.end("gone")
			return
		}
		var m wsMessage
		if json.Unmarshal(data, &m) != nil {
			continue // Mastodon ignores what it cannot read
		}
		req := streamRequest{stream: m.Stream, tag: m.Tag, list: strings.Trim(string(m.List), `"`)}
		switch m.Type {
		case "subscribe":
			h.wsSubscribe(ctx, c, req)
		case "unsubscribe":
			h.unsubscribe(c, req.name())
		}
	}
}

// wsSubscribe subscribes a WebSocket client to a stream, answering a
// refusal with Mastodon's error message.
func (h *streamHub) wsSubscribe(ctx context.Context, c *streamClient, req streamRequest) {
	s, aerr := h.api.resolveStream(ctx, c, req)
	if aerr != nil {
		c.send(errorFrame(aerr.status, aerr.msg))
		return
	}
	if err := h.subscribe(s); err != nil {
		msg := "Too many subscriptions"
		if !errors.Is(err, errTooManyStreams) {
			msg = "Streaming is unavailable"
		}
		c.send(errorFrame(http.StatusBadRequest, msg))
	}
}
