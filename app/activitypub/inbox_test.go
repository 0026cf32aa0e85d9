package activitypub

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Input that can never be an activity is refused before the database is
// asked anything (the Inbox here has no Instance: touching it would panic).
func TestInboxRefusesMalformedBodies(t *testing.T) {
	t.Parallel()
	ib := &Inbox{MaxSize: 1 << 10, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	actor := `"actor":"https://b.test/@bob"`
	cases := []struct {
		name string
		body string
		want int
	}{
		{"empty", ``, http.StatusBadRequest},
		{"not JSON", `hello`, http.StatusBadRequest},
		{"array", `[]`, http.StatusBadRequest},
		{"string", `"Follow"`, http.StatusBadRequest},
		{"trailing garbage", `{"type":"Follow",` + actor + `} {}`, http.StatusBadRequest},
		{"too large", `{"type":"Note",` + actor + `,"content":"` + string(bytes.Repeat([]byte("x"), 2<<10)) + `"}`, http.StatusRequestEntityTooLarge},
		{"NUL in a value", `{"type":"Note",` + actor + `,"content":"a\u0000"}`, http.StatusBadRequest},
		{"NUL deep inside", `{"type":"Note",` + actor + `,"tag":[{"name":["x","\u0000"]}]}`, http.StatusBadRequest},
		{"NUL in a key", `{"type":"Note",` + actor + `,"\u0000":true}`, http.StatusBadRequest},
		{"no actor", `{"type":"Follow"}`, http.StatusBadRequest},
		{"no type", `{` + actor + `}`, http.StatusBadRequest},
		{"actor not a URI", `{"type":"Follow","actor":"bob"}`, http.StatusBadRequest},
		{"actor an empty object", `{"type":"Follow","actor":{}}`, http.StatusBadRequest},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		ib.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "http://a.test/inbox", bytes.NewReader([]byte(c.body))))
		if rec.Code != c.want {
			t.Errorf("%s: status %d (%s), want %d", c.name, rec.Code, bytes.TrimSpace(rec.Body.Bytes()), c.want)
		}
		var answer map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || answer["error"] == "" {
			t.Errorf("%s: answer %q is not a JSON error", c.name, rec.Body.Bytes())
		}
	}
}

func TestHasNUL(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]bool{
		`{"a":"b"}`:                  false,
		`{"a":"\\u0000"}`:            false, // an escaped backslash, then text
		`{"a":"\u0000"}`:             true,
		`{"a":[1,{"b":"x\u0000y"}]}`: true,
		`{"a\u0000":1}`:              true,
		`{"a":{"b\u0000":null}}`:     true,
		`{"a":[null,true,1.5]}`:      false,
	} {
		var v map[string]any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		if got := hasNUL(v); got != want {
			t.Errorf("hasNUL(%s) = %v, want %v", body, got, want)
		}
	}
}
