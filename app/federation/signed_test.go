package federation

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pukeko/app/httpsig"
)

// testSigner shares one key: RSA generation is slow.
var testSigner = sync.OnceValue(func() *Signer {
	key, err := httpsig.GenerateKey()
	if err != nil {
		panic(err)
	}
	return &Signer{KeyID: "https://pukeko.test/users/alice#main-key", Key: key}
})

// verifyRequest checks r's signature as a receiving server would.
func verifyRequest(r *http.Request, body []byte, s *Signer) (*httpsig.Verified, error) {
	keys := func(_ context.Context, keyID string, _ bool) (crypto.PublicKey, error) {
		if keyID != s.KeyID {
			return nil, fmt.Errorf("unknown key %q", keyID)
		}
		return &s.Key.PublicKey, nil
	}
	return httpsig.Verify(r.Context(), r, body, keys, httpsig.Options{RequireDigest: true})
}

func TestPostActivitySigned(t *testing.T) {
	t.Parallel()
	signer := testSigner()
	payload := []byte(`{"type":"Follow","actor":"https://pukeko.test/users/alice"}`)
	var verified atomic.Pointer[httpsig.Verified]
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/activity+json" || string(body) != string(payload) {
			t.Errorf("got %s with %q: %s", r.Method, r.Header.Get("Content-Type"), body)
		}
		v, err := verifyRequest(r, body, signer)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		verified.Store(v)
		w.WriteHeader(http.StatusAccepted)
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Resolve: srv.resolveAll("remote.test")})

	if err := c.PostActivity(t.Context(), "http://remote.test/inbox", payload, signer); err != nil {
		t.Fatal(err)
	}
	v := verified.Load()
	if v == nil {
		t.Fatal("server did not verify")
	}
	for _, h := range []string{"(request-target)", "host", "date", "digest"} {
		if !slices.Contains(v.Covered, h) {
			t.Errorf("signature covers %v, lacks %s", v.Covered, h)
		}
	}

	// A different key must not verify, or the check above proves nothing.
	other := &Signer{KeyID: signer.KeyID, Key: mustKey(t)}
	var se *StatusError
	if err := c.PostActivity(t.Context(), "http://remote.test/inbox", payload, other); !errors.As(err, &se) || se.Code != 401 {
		t.Errorf("wrong key: err = %v, want 401", err)
	}
}

func mustKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := httpsig.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestPostActivityStatus(t *testing.T) {
	t.Parallel()
	var followed atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
		case "/elsewhere":
			followed.Add(1)
		default:
			var code int
			fmt.Sscanf(r.URL.Path, "/%d", &code)
			http.Error(w, "nope", code)
		}
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true})
	for path, permanent := range map[string]bool{"/500": false, "/503": false, "/404": true, "/410": true, "/429": false, "/408": false, "/moved": false} {
		err := c.PostActivity(t.Context(), srv.URL+path, []byte(`{}`), testSigner())
		var se *StatusError
		if !errors.As(err, &se) {
			t.Errorf("%s: err = %v, want *StatusError", path, err)
			continue
		}
		if se.Permanent() != permanent || se.URL != srv.URL+path {
			t.Errorf("%s: %v: Permanent() = %v, want %v", path, se, se.Permanent(), permanent)
		}
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("POST redirect followed %d times", n)
	}
	if err := c.PostActivity(t.Context(), srv.URL+"/202", []byte(`{}`), nil); err == nil {
		t.Error("unsigned PostActivity succeeded")
	}
}

func TestPostActivityTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	const timeout = 300 * time.Millisecond
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Timeout: timeout})

	start := time.Now()
	err := c.PostActivity(t.Context(), srv.URL+"/inbox", []byte(`{}`), testSigner())
	elapsed := time.Since(start)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("err = %v, want a timeout", err)
	}
	var se *StatusError
	if errors.As(err, &se) {
		t.Errorf("timeout reported as %v", se)
	}
	if elapsed < timeout || elapsed > timeout+2*time.Second {
		t.Errorf("returned after %v, want about %v", elapsed, timeout)
	}
}

func TestGetActivitySigned(t *testing.T) {
	t.Parallel()
	signer := testSigner()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "http://other.test/note", http.StatusFound)
			return
		}
		if r.Header.Get("Accept") != activityAccept {
			t.Errorf("Accept = %q", r.Header.Get("Accept"))
		}
		v, err := verifyRequest(r, nil, signer)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		serveJSON(w, `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
			fmt.Sprintf(`{"id":"http://%s%s","signedBy":%q}`, r.Host, r.URL.Path, v.KeyID))
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Resolve: srv.resolveAll("remote.test", "other.test")})

	obj, final, err := c.GetActivity(t.Context(), "http://remote.test/note", signer)
	if err != nil {
		t.Fatal(err)
	}
	if obj.String("signedBy") != signer.KeyID || final != "http://remote.test/note" {
		t.Errorf("got %v from %s", obj, final)
	}
	// The redirect target gets its own signature: the original one names
	// another host and path.
	obj, final, err = c.GetActivity(t.Context(), "http://remote.test/old", signer)
	if err != nil {
		t.Fatalf("after redirect: %v", err)
	}
	if obj.ID() != "http://other.test/note" || final != "http://other.test/note" {
		t.Errorf("after redirect: got %v from %s", obj, final)
	}
	var se *StatusError
	if _, _, err := c.GetActivity(t.Context(), "http://remote.test/note", nil); !errors.As(err, &se) || se.Code != 401 {
		t.Errorf("unsigned: err = %v, want 401", err)
	}
}

func TestGetActivityRejectsNonObjects(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			serveJSON(w, "text/html; charset=utf-8", `{"id":"x"}`)
		case "/none":
			w.Header()["Content-Type"] = nil // no sniffing
			_, _ = w.Write([]byte(`{"id":"x"}`))
		case "/array":
			serveJSON(w, "application/activity+json", `[{"id":"x"}]`)
		case "/null":
			serveJSON(w, "application/activity+json", `null`)
		case "/broken":
			serveJSON(w, "application/activity+json", `{"id":`)
		case "/ok":
			serveJSON(w, "application/json; charset=utf-8", `{"id":"x"}`)
		}
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true})
	for _, p := range []string{"/html", "/none", "/array", "/null", "/broken"} {
		if obj, _, err := c.GetActivity(t.Context(), srv.URL+p, nil); err == nil {
			t.Errorf("%s: got %v, want error", p, obj)
		}
	}
	if _, _, err := c.GetActivity(t.Context(), srv.URL+"/ok", nil); err != nil {
		t.Errorf("/ok: %v", err)
	}
}
