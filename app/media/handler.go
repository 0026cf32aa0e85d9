package media

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pukeko/app/media/imaging"
	"pukeko/app/media/storage"
	"pukeko/app/store"
)

// Mux is where Register adds routes.
type Mux interface {
	Mount(prefix string, h http.Handler)
}

// Register serves stored files at /media/<key> and remote media at
// /proxy/<signature>/<url>.
func (s *Service) Register(mux Mux) {
	s.files = storage.Handler(s.Backend, "/media/", s.Logger)
	mux.Mount("/media/", s.files)
	mux.Mount("/proxy/", http.HandlerFunc(s.serveProxy))
}

// serveProxy answers GET and HEAD of /proxy/<signature>/<url>.
func (s *Service) serveProxy(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/proxy/"), "/")
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	s.proxy(w, r, parts[0], parts[1])
}

// proxy serves a remote file: from the cache when it is there, else
// streamed from its origin (and queued for caching), so that a reader's
// address never reaches the other server.
func (s *Service) proxy(w http.ResponseWriter, r *http.Request, sig, enc string) {
	ctx := r.Context()
	remote, ok, err := s.proxyTarget(ctx, sig, enc)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	m, err := store.RemoteMediaByURL(ctx, s.DB, remote)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	if m != nil && m.State == RemoteCached && m.FileKey != "" {
		if err := store.TouchRemoteMedia(ctx, s.DB, m.ID); err != nil {
			s.Logger.Warn("remote media: recording a read failed", "error", err)
		}
		inner := r.Clone(ctx)
		inner.URL = &url.URL{Path: "/media/" + m.FileKey}
		s.files.ServeHTTP(w, inner)
		return
	}
	// Not cached (yet, or any more): have Stator cache it, and pass this
	// request through.
	switch {
	case m == nil:
		err = store.QueueRemoteMedia(ctx, s.DB, []string{remote})
	case m.State == RemoteEvicted:
		_, err = s.graphs().remote.Move(ctx, s.DB, int64(m.ID), RemoteNew)
	}
	if err != nil {
		s.Logger.Warn("remote media: queueing for the cache failed", "url", remote, "error", err)
	}
	s.passThrough(w, r, remote)
}

// passThrough streams a remote file to the client, after checking from its
// first bytes that it is media: whatever else the origin sends (an HTML
// page, a script) never appears under our domain.
func (s *Service) passThrough(w http.ResponseWriter, r *http.Request, remote string) {
	m, err := s.Client.GetMedia(r.Context(), remote, s.Limits.RemoteMaxSize)
	if err != nil {
		status := http.StatusBadGateway
		if permanentFetchError(err) {
			status = http.StatusNotFound
		}
		http.Error(w, "remote media unavailable", status)
		return
	}
	defer m.Body.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(m.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		http.Error(w, "remote media unavailable", http.StatusBadGateway)
		return
	}
	head = head[:n]
	_, mime, err := imaging.Sniff(head)
	if err != nil {
		http.Error(w, "remote file is not media", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", mime)
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if m.ContentLength >= 0 {
		h.Set("Content-Length", strconv.FormatInt(m.ContentLength, 10))
	}
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, io.MultiReader(bytes.NewReader(head), m.Body)); err != nil {
		s.Logger.Debug("remote media: proxying stopped", "url", remote, "error", err)
	}
}
