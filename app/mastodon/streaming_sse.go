package mastodon

import (
	"net/http"
	"strings"
	"time"
)

// sseHeartbeat is how often an idle event stream gets a comment line, which
// keeps proxies from closing it (Mastodon sends one every 15 seconds).
const sseHeartbeat = 15 * time.Second

// serveEventStream serves one stream as server-sent events.
func (h *streamHub) serveEventStream(stream string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if strings.HasPrefix(stream, "public") && truthy(q.Get("only_media")) {
			stream += ":media"
		}
		h.streamEvents(w, r, streamRequest{stream: stream, tag: q.Get("tag"), list: q.Get("list")})
	}
}

// streamEvents sends the events of one stream until the client leaves, is
// too slow, or the server shuts down.
func (h *streamHub) streamEvents(w http.ResponseWriter, r *http.Request, req streamRequest) {
	v, _, aerr := h.api.authenticateStream(r)
	if aerr != nil {
		writeError(w, aerr.status, aerr.msg)
		return
	}
	c := newStreamClient(v, h.buffer)
	s, aerr := h.api.resolveStream(r.Context(), c, req)
	if aerr != nil {
		writeError(w, aerr.status, aerr.msg)
		return
	}
	if err := h.join(r.Context(), c); err != nil {
		writeError(w, http.StatusServiceUnavailable, "Streaming is unavailable")
		return
	}
	defer h.leave(c)
	if err := h.subscribe(s); err != nil {
		writeError(w, http.StatusServiceUnavailable, "Streaming is unavailable")
		return
	}
	rc := http.NewResponseController(w)
	// The server's read timeout would otherwise cancel the request a
	// minute in (its background read fails), ending the stream.
	_ = rc.SetReadDeadline(time.Time{})
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(":)\n")); err != nil || rc.Flush() != nil {
		return
	}
	beat := time.NewTicker(sseHeartbeat)
	defer beat.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-c.gone:
			return
		case f := <-c.out:
			_, err = w.Write(f.eventStream())
			for more := true; more && err == nil; {
				select {
				case f := <-c.out:
					_, err = w.Write(f.eventStream())
				default:
					more = false
				}
			}
		case <-beat.C:
			_, err = w.Write([]byte(":thump\n"))
		}
		if err != nil || rc.Flush() != nil {
			return
		}
	}
}
