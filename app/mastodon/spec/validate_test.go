package spec

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestRealisticResponsesPass validates genuine-shape Mastodon 4.x responses;
// what they hit of the spec's defects is dropped by allowlist.txt.
func TestRealisticResponsesPass(t *testing.T) {
	s := loadFresh(t)
	for _, f := range fixtures {
		t.Run(f.file, func(t *testing.T) {
			if err := s.ValidateResponse(f.method, f.path, nil, f.status, jsonHeader, readFixture(t, f.file)); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestBrokenResponsesFail breaks one fixture at a time and expects the
// problem at the broken field, with a reason saying what is wrong.
func TestBrokenResponsesFail(t *testing.T) {
	s := loadFresh(t)
	cases := []struct {
		name        string
		fixture     string
		path        string
		edit        func(v any)
		wantPointer string
		wantReason  string
	}{
		{
			name: "account id as a number", fixture: "account.json", path: "/api/v1/accounts/1",
			edit:        func(v any) { at(v)["id"] = 42 },
			wantPointer: "/id", wantReason: "got integer 42, want string",
		},
		{
			name: "status without created_at", fixture: "status.json", path: "/api/v1/statuses/1",
			edit:        func(v any) { delete(at(v), "created_at") },
			wantPointer: "/created_at", wantReason: "required property is missing",
		},
		{
			name: "status with an unknown visibility", fixture: "status.json", path: "/api/v1/statuses/1",
			edit:        func(v any) { at(v)["visibility"] = "friends_only" },
			wantPointer: "/visibility", wantReason: `string "friends_only" is not one of ["public", "unlisted", "private", "direct"]`,
		},
		{
			name: "fractional count", fixture: "status.json", path: "/api/v1/statuses/1",
			edit:        func(v any) { at(v)["replies_count"] = 1.5 },
			wantPointer: "/replies_count", wantReason: "got number 1.5, want integer",
		},
		{
			name: "relative avatar URL", fixture: "account.json", path: "/api/v1/accounts/1",
			edit:        func(v any) { at(v)["avatar"] = "/avatars/original/missing.png" },
			wantPointer: "/avatar", wantReason: "want an absolute URI",
		},
		{
			name: "bad date-time", fixture: "status.json", path: "/api/v1/statuses/1",
			edit:        func(v any) { at(v)["created_at"] = "2025-12-04 09:31:07" },
			wantPointer: "/created_at", wantReason: "not a valid date-time",
		},
		{
			name: "null where the spec allows none", fixture: "status.json", path: "/api/v1/statuses/1",
			edit:        func(v any) { at(v)["spoiler_text"] = nil },
			wantPointer: "/spoiler_text", wantReason: "got null, want string",
		},
		{
			name: "broken media attachment type", fixture: "status.json", path: "/api/v1/statuses/1",
			edit:        func(v any) { at(v, "media_attachments", "0")["type"] = "picture" },
			wantPointer: "/media_attachments/0/type", wantReason: `"picture" is not one of`,
		},
		{
			// Inside "oneOf: [Account, null]": the closest alternative's
			// problem is reported, not only "matches no alternative".
			name: "moved account without acct", fixture: "account.json", path: "/api/v1/accounts/1",
			edit: func(v any) {
				moved := mutateCopy(at(v))
				delete(moved, "acct")
				at(v)["moved"] = moved
			},
			wantPointer: "/moved/acct", wantReason: "required property is missing",
		},
		{
			// Below a quote: checked in full, thanks to the quote workaround.
			name: "quoted status with a numeric account id", fixture: "notifications.json", path: "/api/v1/notifications",
			edit:        func(v any) { at(v, "0", "status", "quote", "quoted_status", "account")["id"] = 1 },
			wantPointer: "/0/status/quote/quoted_status/account/id", wantReason: "want string",
		},
		{
			name: "relationship flag as a string", fixture: "relationships.json", path: "/api/v1/accounts/relationships",
			edit:        func(v any) { at(v, "1")["following"] = "no" },
			wantPointer: "/1/following", wantReason: `got string "no", want boolean`,
		},
		{
			name: "application scopes as one string", fixture: "app.json", path: "/api/v1/apps",
			edit:        func(v any) { at(v)["scopes"] = "read write" },
			wantPointer: "/scopes", wantReason: "want array",
		},
		{
			name: "unknown OAuth scope", fixture: "app.json", path: "/api/v1/apps",
			edit:        func(v any) { at(v)["scopes"] = []any{"read", "everything"} },
			wantPointer: "/scopes/1", wantReason: `"everything" is not one of`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method := "GET"
			if c.fixture == "app.json" {
				method = "POST"
			}
			err := s.ValidateResponse(method, c.path, nil, 200, jsonHeader, mutate(t, c.fixture, c.edit))
			problems := problemsOf(t, err)
			for _, p := range problems {
				if p.Pointer == c.wantPointer && strings.Contains(p.Reason, c.wantReason) {
					if !strings.Contains(err.Error(), c.wantPointer) {
						t.Errorf("error text does not name %s:\n%v", c.wantPointer, err)
					}
					return
				}
			}
			t.Errorf("no problem at %s containing %q; got:\n%v", c.wantPointer, c.wantReason, err)
		})
	}
}

func mutateCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestEveryProblemIsListed breaks three fields and expects all three.
func TestEveryProblemIsListed(t *testing.T) {
	s := loadFresh(t)
	body := mutate(t, "account.json", func(v any) {
		a := at(v)
		a["id"] = 1
		a["bot"] = "false"
		delete(a, "username")
	})
	problems := problemsOf(t, s.ValidateResponse("GET", "/api/v1/accounts/1", nil, 200, jsonHeader, body))
	got := map[string]bool{}
	for _, p := range problems {
		got[p.Pointer] = true
	}
	for _, want := range []string{"/id", "/bot", "/username"} {
		if !got[want] {
			t.Errorf("no problem at %s; got %v", want, problems)
		}
	}
	if len(problems) != 3 {
		t.Errorf("%d problems, want 3: %v", len(problems), problems)
	}
}

func TestNotJSONWhereJSONIsDocumented(t *testing.T) {
	s := loadFresh(t)
	account := readFixture(t, "account.json")
	cases := []struct {
		name   string
		header http.Header
		body   []byte
		want   string
	}{
		{"HTML body", jsonHeader, []byte("<!DOCTYPE html><html>"), "body is not JSON"},
		{"empty body", jsonHeader, nil, "body is empty"},
		{"trailing data", jsonHeader, append(append([]byte{}, account...), []byte(`{"id":"2"}`)...), "data after its JSON value"},
		{"HTML content type", http.Header{"Content-Type": {"text/html; charset=utf-8"}}, account, "Content-Type is text/html"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.ValidateResponse("GET", "/api/v1/accounts/1", nil, 200, c.header, c.body)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
	// With no Content-Type the body is still held to the JSON schema.
	if err := s.ValidateResponse("GET", "/api/v1/accounts/1", nil, 200, http.Header{}, account); err != nil {
		t.Errorf("no Content-Type, valid body: %v", err)
	}
}

func TestNothingToCheck(t *testing.T) {
	s := loadFresh(t)
	cases := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
	}{
		{"documented status without content", "GET", "/api/v1/accounts/1", 410, jsonHeader, `whatever`},
		{"undocumented status", "GET", "/api/v1/accounts/1", 204, http.Header{}, ``},
		{"event stream", "GET", "/api/v1/streaming/user", 200,
			http.Header{"Content-Type": {"text/event-stream"}}, "event: update\ndata: {}\n\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := s.ValidateResponse(c.method, c.path, nil, c.status, c.header, []byte(c.body)); err != nil {
				t.Errorf("want nil, got %v", err)
			}
		})
	}
}

func TestUnknownOperation(t *testing.T) {
	s := loadFresh(t)
	for _, c := range []struct{ method, path, want string }{
		{"GET", "/api/v1/pukeko/extras", "no path template matches /api/v1/pukeko/extras"},
		{"PUT", "/api/v1/accounts/1", "PUT /api/v1/accounts/{id} is documented only for GET"},
		{"GET", "/api/v1/accounts/1/unknown/deeper", "no path template matches"},
	} {
		err := s.ValidateResponse(c.method, c.path, nil, 200, jsonHeader, []byte(`{}`))
		if !errors.Is(err, ErrUnknownOperation) {
			t.Errorf("%s %s: error %v does not wrap ErrUnknownOperation", c.method, c.path, err)
		} else if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %q, want it to contain %q", c.method, c.path, err, c.want)
		}
	}
}

// TestRouting checks that literals beat parameters and that a host or
// query in the path plays no part.
func TestRouting(t *testing.T) {
	s := loadFresh(t)
	for _, c := range []struct{ method, path, want string }{
		{"GET", "/api/v1/accounts/1", "getAccount"},
		{"GET", "/api/v1/accounts/relationships", "getAccountRelationships"},
		{"GET", "/api/v1/accounts/verify_credentials", "getAccountsVerifyCredentials"},
		{"GET", "/api/v1/accounts/109412375502344771/statuses", "getAccountStatuses"},
		{"GET", "/api/v1/accounts/1/", "getAccount"},
		{"GET", "https://mastodon.example/api/v1/statuses/5?x=1", "getStatus"},
		{"POST", "/api/v1/statuses/5/favourite", "postStatusFavourite"},
		{"GET", "/api/v1/timelines/tag/kea", "getTimelinesTagByHashtag"},
		{"GET", "/api/v2/instance", "getInstanceV2"},
	} {
		op, err := s.find(c.method, c.path)
		if err != nil {
			t.Errorf("%s %s: %v", c.method, c.path, err)
			continue
		}
		if op.OperationID != c.want {
			t.Errorf("%s %s -> %s (%s), want %s", c.method, c.path, op.OperationID, op.Path, c.want)
		}
	}
}
