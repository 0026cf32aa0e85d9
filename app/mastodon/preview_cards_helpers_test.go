package mastodon_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"pukeko/app/store"
)

// site is a web server on loopback that posts link to: each path answers
// a fixed content type and body, and the requests are counted.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]sitePage
	hits  map[string]int
	held  map[string]chan struct{} // paths answered only once released
}

type sitePage struct {
	ctype string
	body  []byte
}

// newSite serves pages (path -> HTML) until the test ends.
func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{pages: map[string]sitePage{}, hits: map[string]int{}, held: map[string]chan struct{}{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		p, ok := s.pages[r.URL.Path]
		gate := s.held[r.URL.Path]
		s.mu.Unlock()
		if gate != nil {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", p.ctype)
		w.Write(p.body)
	}))
	t.Cleanup(s.Close)
	return s
}

// addr is the site's host:port, for federation.resolve.
func (s *site) addr() string { return strings.TrimPrefix(s.URL, "http://") }

// page serves body as ctype at path.
func (s *site) page(path, ctype, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = sitePage{ctype, []byte(body)}
}

// hold keeps requests for path waiting until release is called.
func (s *site) hold(path string) (release func()) {
	gate := make(chan struct{})
	s.mu.Lock()
	s.held[path] = gate
	s.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(gate) }) }
}

// hitsOf counts the requests for path so far.
func (s *site) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// ogPage is an article page described by OpenGraph tags.
func ogPage(title, description, image string) string {
	return `<!doctype html><html lang="en"><head><title>Fallback</title>
		<meta property="og:title" content="` + title + `">
		<meta property="og:description" content="` + description + `">
		<meta property="og:image" content="` + image + `">
		<meta property="og:site_name" content="Kea News">
		</head><body><p>Article</p></body></html>`
}

// smallPNG is a 2x2 PNG image.
func smallPNG(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// cardState waits until the card of link leaves 'new' and returns its
// state.
func cardState(t *testing.T, s *server, link string) string {
	t.Helper()
	var state string
	eventually(t, "the card of "+link+" to be fetched", func() bool {
		c, err := store.PreviewCardByURL(context.Background(), s.DB, link)
		if err != nil {
			t.Fatal(err)
		}
		if c != nil {
			state = c.State
		}
		return c != nil && c.State != "new"
	})
	return state
}

// statusCard reads a status and returns its card (nil for null).
func (c *client) statusCard(id string) map[string]any {
	c.t.Helper()
	var st map[string]any
	c.json("GET", "/api/v1/statuses/"+id, nil, &st)
	card, _ := st["card"].(map[string]any)
	return card
}
