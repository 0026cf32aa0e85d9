package spec

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fixture is a genuine-shape Mastodon 4.x response in testdata/ and the
// request it answers.
type fixture struct {
	file   string
	method string
	path   string
	status int
}

var fixtures = []fixture{
	{"account.json", "GET", "/api/v1/accounts/1", 200},
	{"status.json", "GET", "/api/v1/statuses/1", 200},
	{"instance_v2.json", "GET", "/api/v2/instance", 200},
	{"instance_v1.json", "GET", "/api/v1/instance", 200},
	{"filters_v1.json", "GET", "/api/v1/filters", 200},
	{"notifications.json", "GET", "/api/v1/notifications", 200},
	{"relationships.json", "GET", "/api/v1/accounts/relationships", 200},
	{"app.json", "POST", "/api/v1/apps", 200},
	{"error_404.json", "GET", "/api/v1/accounts/1", 404},
	{"collection_422.json", "POST", "/api/v1/collections", 422},
	{"collection_422.json", "PATCH", "/api/v1/collections/1", 422},
	{"status_created.json", "POST", "/api/v1/statuses", 200},
	{"trends_links.json", "GET", "/api/v1/trends/links", 200},
}

// jsonHeader is what Mastodon (Rails) sends with every API response.
var jsonHeader = http.Header{"Content-Type": {"application/json; charset=utf-8"}}

// loadFresh loads a Spec of the test's own, so that counts it keeps
// (exercised operations, allowlist hits) start at zero.
func loadFresh(t *testing.T) *Spec {
	t.Helper()
	s, err := Load()
	if errors.Is(err, ErrSpecMissing) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mutate decodes a fixture, lets edit change it and encodes it again.
func mutate(t *testing.T, name string, edit func(v any)) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(readFixture(t, name), &v); err != nil {
		t.Fatal(err)
	}
	edit(v)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// at walks a decoded JSON value by keys and indexes ("0", "status").
func at(v any, path ...string) map[string]any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			fmt.Sscan(p, &i)
			v = x[i]
		}
	}
	return v.(map[string]any)
}

// problemsOf returns the problems of a *ResponseError, failing otherwise.
func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want a *ResponseError, got %v", err)
	}
	return re.Problems
}

// recorder is a testing.TB that keeps what Errorf and Logf were given,
// for checking what Middleware reports.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	logs   []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

func (r *recorder) joinedErrors() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errors, "\n")
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
