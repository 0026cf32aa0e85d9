package mastodon

import (
	"bytes"
	"encoding/json"
	"sync"
)

// Streaming events, as Mastodon names them.
const (
	eventUpdate         = "update"
	eventStatusUpdate   = "status.update"
	eventDelete         = "delete"
	eventNotification   = "notification"
	eventFiltersChanged = "filters_changed"
)

// frame is one message for clients: an event of a stream with its payload
// (an entity as a JSON string, an id, or none). Every client given the same
// event of the same stream shares one frame, and so its encodings, each
// made once on first use: a post on the public stream is encoded once for
// all the clients listening.
type frame struct {
	stream  []string // Mastodon's stream name, such as ["hashtag", "kea"]
	event   string
	payload string
	none    bool   // no payload (filters_changed)
	raw     []byte // a ready WebSocket message instead (errors)

	wsOnce, sseOnce sync.Once
	ws, sse         []byte
}

// websocket is the frame as a WebSocket message:
// {"stream":[...],"event":"update","payload":"{...}"}.
func (f *frame) websocket() []byte {
	f.wsOnce.Do(func() {
		if f.raw != nil {
			f.ws = f.raw
			return
		}
		m := struct {
			Stream  []string `json:"stream"`
			Event   string   `json:"event"`
			Payload *string  `json:"payload,omitempty"`
		}{Stream: f.stream, Event: f.event}
		if !f.none {
			m.Payload = &f.payload
		}
		f.ws = encodeJSON(m)
	})
	return f.ws
}

// eventStream is the frame as a server-sent event. Without a payload the
// data line says "undefined", as Mastodon's streaming server writes it.
func (f *frame) eventStream() []byte {
	f.sseOnce.Do(func() {
		data := f.payload
		if f.none {
			data = "undefined"
		}
		f.sse = []byte("event: " + f.event + "\ndata: " + data + "\n\n")
	})
	return f.sse
}

// encodeJSON encodes v without escaping HTML characters (as Mastodon's
// JSON has them) and without the encoder's newline. Entities always
// encode; a failure would be a programming error, answered with null.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// errorFrame is the message Mastodon sends over a WebSocket when a
// subscription fails.
func errorFrame(status int, msg string) *frame {
	return &frame{raw: encodeJSON(map[string]any{"error": msg, "status": status})}
}
