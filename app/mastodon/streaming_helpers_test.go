package mastodon_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pukeko/app/node"
	"pukeko/app/node/nodetest"
	"pukeko/app/social"
)

// streamEvent is one event received from a stream.
type streamEvent struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
	// Error and Status: a WebSocket error message instead.
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// object decodes the payload as a JSON object.
func (e streamEvent) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(e.Payload), &m); err != nil {
		t.Fatalf("%s payload is not a JSON object: %v: %s", e.Event, err, e.Payload)
	}
	return m
}

// streamReader is a stream being read in the background.
type streamReader struct {
	t      testing.TB
	events chan streamEvent
	close  func()
}

// next returns the first event that match accepts, skipping others,
// failing the test when none comes within 15 s.
func (r *streamReader) next(what string, match func(streamEvent) bool) streamEvent {
	r.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case e, ok := <-r.events:
			if !ok {
				r.t.Fatalf("waiting for %s: the stream ended", what)
			}
			if match(e) {
				return e
			}
		case <-deadline:
			r.t.Fatalf("waiting for %s: nothing came", what)
		}
	}
}

// none fails the test if an event match accepts comes within d.
func (r *streamReader) none(what string, d time.Duration, match func(streamEvent) bool) {
	r.t.Helper()
	deadline := time.After(d)
	for {
		select {
		case e, ok := <-r.events:
			if !ok {
				return
			}
			if match(e) {
				r.t.Fatalf("unexpected %s: %+v", what, e)
			}
		case <-deadline:
			return
		}
	}
}

// isStatusEvent matches an event whose payload is the status id.
func isStatusEvent(event, id string) func(streamEvent) bool {
	return func(e streamEvent) bool {
		if e.Event != event {
			return false
		}
		var s struct{ ID string }
		return json.Unmarshal([]byte(e.Payload), &s) == nil && s.ID == id
	}
}

// openWebSocket connects c to /api/v1/streaming?query on s and reads it in
// the background; c's token goes as a bearer, or as the subprotocol when
// protocols are given.
func openWebSocket(t testing.TB, s *server, c *client, query string, protocols ...string) (*websocket.Conn, *streamReader) {
	t.Helper()
	conn, resp, err := dialStream(s, c.token, query, protocols...)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("WebSocket to %s: %v (status %d)", s.domain, err, status)
	}
	r := &streamReader{t: t, events: make(chan streamEvent, 1024)}
	ctx, cancel := context.WithCancel(context.Background())
	r.close = func() { cancel(); conn.Close(websocket.StatusNormalClosure, "") }
	go func() {
		defer close(r.events)
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var e streamEvent
			if err := json.Unmarshal(data, &e); err != nil {
				t.Errorf("WebSocket message %s: %v", data, err)
				return
			}
			r.events <- e
		}
	}()
	t.Cleanup(r.close)
	return conn, r
}

// dialStream opens a WebSocket to s with a token (as a bearer, or as the
// subprotocol when protocols are given).
func dialStream(s *server, token, query string, protocols ...string) (*websocket.Conn, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h := http.Header{}
	if token != "" && len(protocols) == 0 {
		h.Set("Authorization", "Bearer "+token)
	}
	return websocket.Dial(ctx, "ws://"+s.addr+"/api/v1/streaming?"+query, &websocket.DialOptions{
		Host: s.domain, HTTPHeader: h, Subprotocols: protocols,
	})
}

// wsSend sends a message on a WebSocket (subscribe, unsubscribe).
func wsSend(t testing.TB, conn *websocket.Conn, msg map[string]any) {
	t.Helper()
	data, _ := json.Marshal(msg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := conn.Write(ctx, websocket.MessageText, data); err != nil {
		t.Fatal(err)
	}
}

// openEventStream GETs a server-sent event stream of s as c and reads it
// in the background; it fails the test unless the answer is 200.
func openEventStream(t testing.TB, s *server, c *client, path string) *streamReader {
	t.Helper()
	resp, cancel := getStream(t, s, c.token, path)
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	r := &streamReader{t: t, events: make(chan streamEvent, 1024)}
	r.close = func() { cancel(); resp.Body.Close() }
	go func() {
		defer close(r.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var e streamEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				e.Event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.Payload = strings.TrimPrefix(line, "data: ")
			case line == "" && e.Event != "":
				r.events <- e
				e = streamEvent{}
			}
		}
	}()
	t.Cleanup(r.close)
	return r
}

// getStream starts a GET of a stream and returns once the headers came.
func getStream(t testing.TB, s *server, token, path string) (*http.Response, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+s.addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = s.domain
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	return resp, cancel
}

// closeStreamsFirst ends the streaming API of s before the node stops,
// as the node's shutdown should.
func closeStreamsFirst(t testing.TB, s *server) {
	t.Cleanup(s.API.CloseStreaming)
}

// postAs posts as c and returns the status id.
func postAs(t testing.TB, c *client, text, visibility string) string {
	t.Helper()
	var st map[string]any
	c.json("POST", "/api/v1/statuses", map[string]any{"status": text, "visibility": visibility}, &st)
	return st["id"].(string)
}

// waitFannedOut waits until a post's creation has been fanned out.
func waitFannedOut(t testing.TB, s *server, id string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var state string
		if err := s.DB.QueryRow(context.Background(), "SELECT state FROM posts WHERE id = $1::bigint", id).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if state != social.PostNew {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("post %s was not fanned out", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startPeerNode starts another web node (no Stator) of s's site on the
// same database, as `pukeko serve --no-stator` would run beside it; env
// adds PUKEKO_* settings.
func startPeerNode(t testing.TB, s *server, env ...string) *server {
	t.Helper()
	ln := nodetest.Listen(t)
	n := nodetest.New(t, "peer", append([]string{
		"PUKEKO_MAIN_DOMAIN=" + s.domain,
		"PUKEKO_DATA_DIR=" + t.TempDir(),
		"PUKEKO_DATABASE_URL=" + s.Config.Database.URL,
		"PUKEKO_SERVER_PUBLIC_SCHEME=http",
		"PUKEKO_SERVER_SHUTDOWN_TIMEOUT=2s",
	}, env...), node.Options{})
	nodetest.Run(t, n, node.Listeners{Plain: ln}, "peer node")
	peer := &server{Node: n, t: t, domain: s.domain, addr: ln.Addr().String()}
	closeStreamsFirst(t, peer)
	return peer
}

// onNode returns a copy of c talking to another node of the same site.
func (c *client) onNode(s *server) *client {
	cc := *c
	cc.s = s
	return &cc
}
