package spec

import (
	"net/http"
	"strings"
	"testing"
)

// miniSpec loads a small OpenAPI document with one operation,
// GET /things/{id}, whose responses are given as JSON, and components.
func miniSpec(t *testing.T, responses, components string) *Spec {
	t.Helper()
	doc := `{"openapi": "3.1.0", "info": {"title": "test", "version": "test"},
		"paths": {"/things/{id}": {"get": {"operationId": "getThing", ` + idParam + `, "responses": ` + responses + `}}},
		"components": {"schemas": ` + components + `}}`
	s, err := parse([]byte(doc), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// idParam declares the {id} of /things/{id}, which kin-openapi's
// doc.Validate requires.
const idParam = `"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]`

func miniProblems(t *testing.T, s *Spec, status int, body string) []string {
	t.Helper()
	var out []string
	for _, p := range s.validate(s.byKey["GET /things/{id}"], status, jsonHeader, []byte(body)) {
		out = append(out, p.String())
	}
	return out
}

func TestResponseFallback(t *testing.T) {
	s := miniSpec(t, `{
		"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
		"2XX": {"description": "range", "content": {"application/json": {"schema": {"type": "array"}}}},
		"4XX": {"description": "client", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
		"default": {"description": "other", "content": {"application/json": {"schema": {"type": "string"}}}}
	}`, `{"Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}`)
	for _, c := range []struct {
		status int
		body   string
		want   string // "" for no problem
	}{
		{200, `{}`, ""},
		{200, `[]`, "got array, want object"},
		{201, `[]`, ""},           // 2XX
		{201, `{}`, "want array"}, // 2XX
		{404, `{"error": "Record not found"}`, ""},
		{422, `{}`, "/error: required property is missing (in Error)"},
		{500, `"boom"`, ""},              // default
		{500, `{}`, "want string"},       // default
		{302, `{"x": 1}`, "want string"}, // default
	} {
		got := strings.Join(miniProblems(t, s, c.status, c.body), "; ")
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%d %s: problems %q, want %q", c.status, c.body, got, c.want)
		}
	}
}

func TestSchemaKeywords(t *testing.T) {
	s := miniSpec(t, `{"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}`, `{
		"Thing": {"type": "object", "required": ["n"], "properties": {
			"n": {"type": "integer"},
			"legacy": {"type": "string", "nullable": true},
			"kind": {"type": "string", "const": "thing"},
			"day": {"type": "string", "format": "date"},
			"lang": {"type": ["string", "null"], "format": "iso-639-1"},
			"mail": {"type": "string", "format": "email"},
			"counts": {"type": "object", "additionalProperties": {"type": "integer"}, "propertyNames": {"enum": ["home", "notifications"]}},
			"closed": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false},
			"both": {"allOf": [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b"]}]},
			"either": {"anyOf": [{"type": "string"}, {"type": "integer"}]}
		}}}`)
	for _, c := range []struct{ body, want string }{
		{`{"n": 2.0}`, ""}, // 2.0 is an integer to JSON Schema
		{`{"n": 2.5}`, "/n: got number 2.5, want integer"},
		{`{"n": 1, "legacy": null}`, ""},
		{`{"n": 1, "kind": "other"}`, `/kind: string "other" is not one of ["thing"]`}, // const, as an enum
		{`{"n": 1, "day": "2025-12-4"}`, "/day: \"2025-12-4\" is not a valid date"},
		{`{"n": 1, "lang": "zh-TW"}`, ""},
		{`{"n": 1, "lang": null}`, ""},
		{`{"n": 1, "lang": "English"}`, "is not a valid iso-639-1"},
		{`{"n": 1, "mail": "Admin <a@b.example>"}`, "is not a valid email"},
		{`{"n": 1, "counts": {"home": 3, "notifications": "4"}}`, "/counts/notifications: got string \"4\", want integer"},
		{`{"n": 1, "counts": {"public": 3}}`, "/counts/public: property is not allowed"}, // propertyNames, as properties
		{`{"n": 1, "closed": {"a": "x", "b": "y"}}`, "/closed/b: property is not allowed"},
		{`{"n": 1, "both": {"a": 1}}`, "/both/b: required property is missing"},
		{`{"n": 1, "either": 3}`, ""},
		{`{"n": 1, "either": true}`, "/either: got boolean, want one of string, integer"},
	} {
		got := strings.Join(miniProblems(t, s, 200, c.body), "; ")
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: problems %q, want %q", c.body, got, c.want)
		}
	}
}

// TestOneOfNeedsExactlyOne is the defect the quote workaround corrects:
// two alternatives that accept the same object.
func TestOneOfNeedsExactlyOne(t *testing.T) {
	s := miniSpec(t, `{"200": {"description": "ok", "content": {"application/json": {"schema": {"oneOf": [
		{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}, {"type": "null"}]}}}}}`, `{
		"A": {"type": "object", "required": ["state"]},
		"B": {"type": "object", "required": ["state"]}}`)
	if got := strings.Join(miniProblems(t, s, 200, `{"state": "accepted"}`), "; "); !strings.Contains(got, "matches 2 alternatives of oneOf (A, B)") {
		t.Errorf("problems %q, want a oneOf ambiguity", got)
	}
	if got := miniProblems(t, s, 200, `null`); len(got) != 0 {
		t.Errorf("null: %v", got)
	}
}

func TestParseRefusesWhatItCannotCheck(t *testing.T) {
	const info = `"info": {"title": "t", "version": "1"}`
	get := func(param string) string {
		return `{"parameters": [{"name": "` + param + `", "in": "path", "required": true, "schema": {"type": "string"}}],
			"responses": {"200": {"description": "ok"}}}`
	}
	for _, c := range []struct{ doc, want string }{
		{`{"openapi": "2.0", ` + info + `}`, `openapi "2.0": want 3.x`},
		// A keyword kin-openapi does not know, and one its built-in
		// validator would skip: both refused rather than half-checked.
		{`{"openapi": "3.1.0", ` + info + `, "components": {"schemas": {"A": {"type": "string", "patern": "^a"}}}}`,
			`schema "A": extra sibling fields: [patern]`},
		{`{"openapi": "3.1.0", ` + info + `, "components": {"schemas": {"A": {"type": "string", "if": {"type": "string"}}}}}`,
			`#/components/schemas/A: keyword "if" is not supported`},
		{`{"openapi": "3.1.0", ` + info + `, "components": {"schemas": {"A": {"type": "object", "propertyNames": {"pattern": "^a"}}}}}`,
			`#/components/schemas/A/propertyNames: only an enum of names is supported`},
		{`{"openapi": "3.1.0", ` + info + `, "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}}}}`,
			`failed to resolve "B" in fragment in URI: "#/components/schemas/B"`},
		{`{"openapi": "3.1.0", ` + info + `, "components": {"schemas": {"A": {"type": "text"}}}}`, `unsupported 'type' value "text"`},
		{`{"openapi": "3.1.0", ` + info + `, "paths": {"/a/{x}": {"get": ` + get("x") + `}, "/a/{y}": {"get": ` + get("y") + `}}}`,
			"conflicting paths"},
	} {
		_, err := parse([]byte(c.doc), nil, "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.doc, err, c.want)
		}
	}
}

// TestResponseRef: kin-openapi resolves a response given as a $ref (the
// old validator refused those).
func TestResponseRef(t *testing.T) {
	doc := `{"openapi": "3.1.0", "info": {"title": "test", "version": "test"},
		"paths": {"/things/{id}": {"get": {` + idParam + `, "responses": {"200": {"$ref": "#/components/responses/Thing"}}}}},
		"components": {"responses": {"Thing": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "required": ["n"]}}}}}}}`
	s, err := parse([]byte(doc), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(miniProblems(t, s, 200, `{}`), "; "); got != "/n: required property is missing" {
		t.Errorf("problems %q, want /n: required property is missing", got)
	}
}

// TestWorkaroundsStillApply loads the real spec: each workaround fails the
// load once the spec no longer has its defect.
func TestWorkaroundsStillApply(t *testing.T) {
	s := loadFresh(t)
	if len(s.Workarounds()) != len(workarounds) {
		t.Fatalf("applied %d workarounds, want %d", len(s.Workarounds()), len(workarounds))
	}
	quote := s.doc.Components.Schemas["Status"].Value.Properties["quote"].Value
	if quote.OneOf != nil || len(quote.AnyOf) != 3 {
		t.Errorf("Status.quote: oneOf %d, anyOf %d; want the alternatives moved to anyOf", len(quote.OneOf), len(quote.AnyOf))
	}
	// Applying it twice is refused: the spec (as corrected) lacks the defect.
	if err := exclusiveQuotes(s.doc); err == nil {
		t.Error("exclusiveQuotes applied to a corrected spec without complaint")
	}
	// An ordinary quote passes, as Mastodon sends it.
	h := http.Header{"Content-Type": {"application/json"}}
	body := mutate(t, "status.json", func(v any) {
		at(v)["quote"] = map[string]any{"state": "accepted", "quoted_status_id": "9"}
	})
	if err := s.ValidateResponse("GET", "/api/v1/statuses/1", nil, 200, h, body); err != nil {
		t.Error(err)
	}
}
