package spec

import (
	"strings"
	"testing"
)

// TestAllowlistEntriesAreNeeded validates every fixture and expects each
// allowlist entry to have dropped a problem: an entry no realistic response
// needs is hiding nothing but future bugs.
func TestAllowlistEntriesAreNeeded(t *testing.T) {
	s := loadFresh(t)
	if len(s.Allowlist().Entries()) == 0 {
		t.Fatal("the allowlist is empty; the fixtures are known to hit spec defects")
	}
	for _, f := range fixtures {
		if err := s.ValidateResponse(f.method, f.path, nil, f.status, jsonHeader, readFixture(t, f.file)); err != nil {
			t.Errorf("%s: %v", f.file, err)
		}
	}
	for _, e := range s.Allowlist().Unused() {
		t.Errorf("allowlist.txt:%d is hit by no fixture: %s", e.Line, e)
	}
}

// TestAllowlistDropsOnlyWhatItNames keeps a problem next to an allowlisted one.
func TestAllowlistDropsOnlyWhatItNames(t *testing.T) {
	s := loadFresh(t)
	body := mutate(t, "instance_v2.json", func(v any) {
		at(v)["title"] = 7                              // a real bug
		at(v, "contact")["email"] = ""                  // allowlisted
		at(v, "registrations")["approval_required"] = 1 // a real bug
	})
	problems := problemsOf(t, s.ValidateResponse("GET", "/api/v2/instance", nil, 200, jsonHeader, body))
	var pointers []string
	for _, p := range problems {
		pointers = append(pointers, p.Pointer)
	}
	if got := strings.Join(pointers, " "); got != "/registrations/approval_required /title" {
		t.Errorf("problems at %q, want exactly /registrations/approval_required and /title", got)
	}
	// Before the allowlist, the two spec defects (contact email, wrapstodon)
	// show as well.
	raw := s.validate(s.byKey["GET /api/v2/instance"], 200, jsonHeader, body)
	if len(raw) != 4 {
		t.Errorf("before the allowlist: %d problems, want 4: %v", len(raw), raw)
	}
}

func TestMatchSegments(t *testing.T) {
	for _, c := range []struct {
		pattern, pointer string
		want             bool
	}{
		{"/moved", "/moved", true},
		{"/moved", "/moved/acct", false},
		{"/*/account", "/0/account", true},
		{"/*/account", "/account", false},
		{"/**/card/author_url", "/card/author_url", true},
		{"/**/card/author_url", "/0/status/reblog/card/author_url", true},
		{"/**/card/author_url", "/0/status/card/author_url/x", false},
		{"/**/card/authors/*/url", "/3/card/authors/0/url", true},
		{"/**/card/authors/*/url", "/3/card/authors/url", false},
		{"/**", "/anything/at/all", true},
	} {
		got := matchSegments(strings.Split(c.pattern[1:], "/"), strings.Split(c.pointer[1:], "/"))
		if got != c.want {
			t.Errorf("pattern %s, pointer %s: %v, want %v", c.pattern, c.pointer, got, c.want)
		}
	}
}

func TestAllowlistSyntax(t *testing.T) {
	s := loadFresh(t)
	for _, c := range []struct{ line, want string }{
		{"GET /api/v1/accounts/{id} /moved", "no \"# reason\""},
		{"GET /api/v1/accounts/{id} /moved #   ", "no \"# reason\""},
		{"GET /api/v1/accounts/{id} # reason", "want <METHOD>"},
		{"get /api/v1/accounts/{id} /moved # reason", "upper-case HTTP method"},
		{"FETCH /api/v1/accounts/{id} /moved # reason", "upper-case HTTP method"},
		{"GET /api/v1/accounts/{id} moved # reason", "must start with /"},
		{"DELETE /api/v1/accounts/{id} /moved # reason", "no operation DELETE /api/v1/accounts/{id}"},
		{"GET /api/v9/nothing /x # reason", "no operation GET /api/v9/nothing"},
	} {
		_, err := parseAllowlist("# comment\n\n"+c.line+"\n", s)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "allowlist.txt:3") {
			t.Errorf("%q: error %v, want one at line 3 containing %q", c.line, err, c.want)
		}
	}
	a, err := parseAllowlist("* * /**/x # fine\nPATCH /api/v1/accounts/update_credentials /note # fine too\n", s)
	if err != nil || len(a.Entries()) != 2 || a.Entries()[1].Reason != "fine too" {
		t.Errorf("valid lines: %v, %+v", err, a)
	}
}
