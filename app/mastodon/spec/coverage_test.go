package spec

import (
	"net/http"
	"strings"
	"testing"
)

// TestCoverageCountsServed serves exactly two operations.
func TestCoverageCountsServed(t *testing.T) {
	s := loadFresh(t)
	var asked []string
	r := s.Coverage(func(method, path string) bool {
		asked = append(asked, method+" "+path)
		return method == "GET" && (path == "/api/v1/timelines/home" || path == "/api/v1/accounts/1")
	})
	if r.Served != 2 || r.ServedNonAdmin != 2 {
		t.Errorf("served %d (non-admin %d), want 2 (2)", r.Served, r.ServedNonAdmin)
	}
	if r.Total != 210 || len(asked) != 210 || len(r.Rows) != 210 {
		t.Errorf("total %d, asked %d, rows %d; want 210 each", r.Total, len(asked), len(r.Rows))
	}
	admin := 0
	for _, op := range s.Operations() {
		if op.Admin {
			admin++
		}
	}
	if r.TotalNonAdmin != r.Total-admin {
		t.Errorf("non-admin total %d, want %d - %d", r.TotalNonAdmin, r.Total, admin)
	}
	var served []string
	for _, op := range r.ServedOperations() {
		served = append(served, op.OperationID)
	}
	if got := strings.Join(served, " "); got != "getAccount getTimelineHome" {
		t.Errorf("served %q, want getAccount getTimelineHome", got)
	}
	if n := len(r.MissingOperations()); n != 208 {
		t.Errorf("%d missing, want 208", n)
	}
	text := r.String()
	if !strings.HasPrefix(text, "Mastodon API 4.7.0 coverage: 2 of 210 operations served (non-admin: 2 of 210)") {
		t.Errorf("report starts %q", text[:min(len(text), 100)])
	}
	lines := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		lines[strings.Join(strings.Fields(line), " ")] = true
	}
	for _, want := range []string{
		"TAG SERVED TOTAL EXERCISED",
		"accounts 1 30 0",
		"timelines 1 6 0",
		"all 2 210 0",
		"[served] GET /api/v1/accounts/{id} getAccount",
		"[ ] GET /api/v1/accounts/{id}/statuses getAccountStatuses",
	} {
		if !lines[want] {
			t.Errorf("report has no line %q:\n%s", want, text)
		}
	}
}

// TestServedByMux uses the same two routes on a real ServeMux with a
// catch-all, as Pukeko's router is built. Asking only "did a pattern other
// than the catch-all match?" would also count /api/v1/accounts/relationships
// and its siblings, which the {id} pattern swallows.
func TestServedByMux(t *testing.T) {
	s := loadFresh(t)
	ok := func(http.ResponseWriter, *http.Request) {}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/timelines/home", ok)
	mux.HandleFunc("GET /api/v1/accounts/{id}", ok)
	mux.HandleFunc("/api/", http.NotFound) // a subtree catch-all
	mux.HandleFunc("/", http.NotFound)

	if r := s.Coverage(s.ServedByMux(mux)); r.Served != 2 {
		t.Errorf("ServedByMux: %d served, want 2: %v", r.Served, r.ServedOperations())
	}
	naive := s.Coverage(func(method, path string) bool {
		req, _ := http.NewRequest(method, path, nil)
		_, pattern := mux.Handler(req)
		return pattern != "" && pattern != "/" && pattern != "/api/"
	})
	if naive.Served <= 2 {
		t.Errorf("the naive check served %d; the case ServedByMux guards against is gone", naive.Served)
	}
}

func TestConcretePath(t *testing.T) {
	for template, want := range map[string]string{
		"/api/v1/accounts/{id}":                     "/api/v1/accounts/1",
		"/api/v1/accounts/{account_id}/collections": "/api/v1/accounts/1/collections",
		"/api/v1/timelines/tag/{hashtag}":           "/api/v1/timelines/tag/tag",
		"/api/v1/tags/{name}/follow":                "/api/v1/tags/tag/follow",
		"/api/v1/annual_reports/{year}":             "/api/v1/annual_reports/2025",
		"/api/v1/instance/terms_of_service/{date}":  "/api/v1/instance/terms_of_service/2025-01-01",
		"/users/{acct}":                             "/users/user@host",
		"/api/v1/instance":                          "/api/v1/instance",
	} {
		if got := ConcretePath(template); got != want {
			t.Errorf("ConcretePath(%s) = %s, want %s", template, got, want)
		}
	}
}

// TestEveryConcretePathRoutesBack guards ConcretePath against making a path
// that the spec routes to another operation.
func TestEveryConcretePathRoutesBack(t *testing.T) {
	s := loadFresh(t)
	for _, op := range s.Operations() {
		got, err := s.find(op.Method, ConcretePath(op.Path))
		if err != nil || got.Path != op.Path {
			t.Errorf("%s %s: routes to %v (%v)", op.Method, ConcretePath(op.Path), got, err)
		}
	}
}

func TestIsAdmin(t *testing.T) {
	for path, want := range map[string]bool{
		"/api/v1/admin/accounts":      true,
		"/api/v2/admin/accounts/{id}": true,
		"/api/v1/admin":               true,
		"/api/v1/administrators":      false,
		"/api/v1/accounts/{id}":       false,
	} {
		if got := isAdmin(path); got != want {
			t.Errorf("isAdmin(%s) = %v, want %v", path, got, want)
		}
	}
}

func TestWriteCoverage(t *testing.T) {
	path, err := Locate()
	if err != nil {
		t.Skip(err)
	}
	var b strings.Builder
	if err := WriteCoverage(&b, path, func(string, string) bool { return false }); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "Mastodon API 4.7.0 coverage: 0 of 210 operations served") {
		t.Errorf("report starts %q", b.String()[:80])
	}
	if err := WriteCoverage(&b, t.TempDir()+"/none.json", nil); err == nil {
		t.Error("WriteCoverage with a missing file: no error")
	}
}
