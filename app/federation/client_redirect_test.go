package federation

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRedirectLimit(t *testing.T) {
	t.Parallel()
	// /hop/N redirects to /hop/N-1; /hop/0 is the document.
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if n > 0 {
			http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusMovedPermanently)
			return
		}
		serveJSON(w, "application/activity+json", `{"id":"end"}`)
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true})

	obj, final, err := c.GetActivity(t.Context(), srv.URL+"/hop/3", nil)
	if err != nil {
		t.Fatalf("3 redirects: %v", err)
	}
	if obj.ID() != "end" || final != srv.URL+"/hop/0" {
		t.Errorf("3 redirects: got %q from %q", obj.ID(), final)
	}
	if _, _, err := c.GetActivity(t.Context(), srv.URL+"/hop/4", nil); !errors.Is(err, errTooManyRedirects) {
		t.Errorf("4 redirects: err = %v, want too many redirects", err)
	}
}

func TestUnsupportedURLsRefused(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, ClientOptions{AllowPrivate: true})
	for _, u := range []string{
		"ftp://a.test/x", "file:///etc/passwd", "http://user:pw@a.test/", "http://user@a.test/",
		"/relative", "http:opaque", "http:///nohost", "gopher://a.test/",
	} {
		if _, _, err := c.GetActivity(t.Context(), u, nil); !errors.Is(err, ErrUnsupportedURL) {
			t.Errorf("GetActivity(%q): err = %v, want ErrUnsupportedURL", u, err)
		}
	}
}

func TestRedirectToUnsupportedURLRefused(t *testing.T) {
	t.Parallel()
	var creds, ftp atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/creds":
			creds.Add(1)
			http.Redirect(w, r, "http://user:secret@"+r.Host+"/target", http.StatusFound)
		case "/ftp":
			ftp.Add(1)
			http.Redirect(w, r, "ftp://"+r.Host+"/target", http.StatusFound)
		default:
			t.Errorf("redirect followed to %s", r.URL)
		}
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true})
	for _, p := range []string{"/creds", "/ftp"} {
		if _, _, err := c.GetActivity(t.Context(), srv.URL+p, nil); !errors.Is(err, ErrUnsupportedURL) {
			t.Errorf("redirect from %s: err = %v, want ErrUnsupportedURL", p, err)
		}
	}
	if creds.Load() != 1 || ftp.Load() != 1 {
		t.Errorf("hits: %d, %d; want 1, 1", creds.Load(), ftp.Load())
	}
}
