package spec

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// fakeAPI serves fixtures the way a Pukeko handler would, one of them
// broken, plus a stream, an endpoint Mastodon lacks and an HTML page.
func fakeAPI(t *testing.T) http.Handler {
	account := readFixture(t, "account.json")
	brokenStatus := mutate(t, "status.json", func(v any) { delete(at(v), "created_at") })
	writeJSON := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/accounts/{id}", writeJSON(account))
	mux.Handle("GET /api/v1/statuses/{id}", writeJSON(brokenStatus))
	mux.Handle("GET /api/v1/pukeko/extras", writeJSON([]byte(`{}`)))
	mux.HandleFunc("GET /api/v1/streaming/user", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "event: update\ndata: {\"not\": \"a status\"}\n\n")
		http.NewResponseController(w).Flush()
	})
	mux.HandleFunc("GET /about", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html></html>")
	})
	mux.HandleFunc("/", http.NotFound)
	return mux
}

func TestMiddlewareReportsEveryBadResponse(t *testing.T) {
	s := loadFresh(t)
	rec := &recorder{TB: t}
	h := Middleware(s, rec)(fakeAPI(t))

	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	w := get("/api/v1/accounts/1")
	if !bytes.Equal(w.Body.Bytes(), readFixture(t, "account.json")) || w.Code != 200 {
		t.Errorf("the response did not pass through unchanged: %d %q", w.Code, w.Body.String()[:40])
	}
	get("/api/v1/statuses/5?with=query")
	get("/api/v1/streaming/user")
	get("/api/v1/pukeko/extras")
	get("/about")
	get("/api/v1/nothing/here") // a 404 text/plain from http.NotFound

	errs := rec.joinedErrors()
	if len(rec.errors) != 1 {
		t.Fatalf("%d errors reported, want 1 (the status without created_at):\n%s", len(rec.errors), errs)
	}
	for _, want := range []string{"GET /api/v1/statuses/5?with=query -> 200", "getStatus", "/created_at: required property is missing"} {
		if !strings.Contains(errs, want) {
			t.Errorf("report lacks %q:\n%s", want, errs)
		}
	}
	var exercised []string
	for _, op := range s.Exercised() {
		exercised = append(exercised, op.OperationID)
	}
	if want := []string{"getAccount", "getStatus", "getStreamingUser"}; !slices.Equal(exercised, want) {
		t.Errorf("exercised %v, want %v", exercised, want)
	}
	if got, want := s.Undocumented(), []string{"GET /api/v1/nothing/here", "GET /api/v1/pukeko/extras"}; !slices.Equal(got, want) {
		t.Errorf("undocumented %v, want %v", got, want)
	}
}

func TestMiddlewareKeepsFlushAndHijack(t *testing.T) {
	s := loadFresh(t)
	var flushed, hijackable bool
	h := Middleware(s, &recorder{TB: t})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, hijackable = w.(http.Hijacker)
		flushed = http.NewResponseController(w).Flush() == nil
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/streaming/user", nil))
	if !flushed || !hijackable {
		t.Errorf("through the middleware: flush ok %v, Hijacker %v; want both", flushed, hijackable)
	}
}

// TestRoundTripperReports checks the client-side wrapper against a real
// server on loopback; the client still reads the whole body.
func TestRoundTripperReports(t *testing.T) {
	s := loadFresh(t)
	srv := httptest.NewServer(fakeAPI(t))
	defer srv.Close()
	rec := &recorder{TB: t}
	client := &http.Client{Transport: RoundTripper(s, rec, nil)}

	for _, path := range []string{"/api/v1/accounts/1", "/api/v1/statuses/5", "/api/v1/streaming/user"} {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(body) == 0 {
			t.Errorf("%s: the client got an empty body", path)
		}
	}
	errs := rec.joinedErrors()
	if len(rec.errors) != 1 || !strings.Contains(errs, "/created_at") {
		t.Errorf("want one error about /created_at, got:\n%s", errs)
	}
	if n := len(s.Exercised()); n != 3 {
		t.Errorf("%d operations exercised, want 3", n)
	}
}
