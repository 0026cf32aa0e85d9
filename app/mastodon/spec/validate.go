package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ErrUnknownOperation is wrapped by ValidateResponse when no operation of
// the spec has the request's method and path.
var ErrUnknownOperation = errors.New("operation not in the Mastodon API spec")

// ResponseError is what ValidateResponse returns for a response that does
// not match the spec: every problem found, after the allowlist.
type ResponseError struct {
	Method      string // request method, "GET"
	Path        string // request path (and query), "/api/v1/accounts/1"
	Template    string // the operation's path template, "/api/v1/accounts/{id}"
	OperationID string // "getAccount"
	Status      int
	Problems    []Problem
}

// Error lists the problems one per line under a line naming the request.
func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s -> %d (%s, %s %s): %d problem(s) against the Mastodon API spec",
		e.Method, e.Path, e.Status, e.OperationID, e.Method, e.Template, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	return b.String()
}

// ValidateResponse checks one response against the spec. It finds the
// operation by method and path (a concrete path such as
// /api/v1/statuses/123; the host and any server prefix play no part), picks
// the response documented for status (else "4XX"-style ranges, else
// "default", as OpenAPI says) and validates the JSON body against its
// schema.
//
// It returns nil when the body matches, or when the spec documents no
// schema for that status; an error wrapping ErrUnknownOperation when the
// spec has no such operation; and otherwise a *ResponseError listing every
// problem not dropped by the allowlist. A body that is not JSON, or a
// non-JSON Content-Type, where JSON is documented is a problem. query is
// only used to name the request in the error. The operation counts as
// exercised (Exercised, Coverage).
func (s *Spec) ValidateResponse(method, path string, query url.Values, status int, header http.Header, body []byte) error {
	op, err := s.find(method, path)
	if err != nil {
		return err
	}
	s.recordExercised(op)
	problems := s.validate(op, status, header, body)
	problems = s.allow.filter(op, problems)
	if len(problems) == 0 {
		return nil
	}
	shown := requestPath(path)
	if len(query) > 0 {
		shown += "?" + query.Encode()
	}
	return &ResponseError{
		Method: op.Method, Path: shown, Template: op.Path,
		OperationID: op.OperationID, Status: status, Problems: problems,
	}
}

// validate returns every problem of the response, before the allowlist.
func (s *Spec) validate(op *operation, status int, header http.Header, body []byte) []Problem {
	// kin-openapi's Status tries the exact code, then its range ("4XX").
	ref := op.responses.Status(status)
	if ref == nil {
		ref = op.responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return nil
	}
	content := ref.Value.Content
	mediaType := ""
	if ct := header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			return []Problem{{Reason: fmt.Sprintf("unparsable Content-Type %q: %v", ct, err)}}
		}
		mediaType = mt
	}
	var media *openapi3.MediaType
	if mediaType != "" {
		media = content.Get(mediaType)
	}
	if media != nil && !isJSON(mediaType) {
		return nil // text/event-stream and the like: not JSON, not checked
	}
	if media == nil {
		// No Content-Type, or one the spec does not document for this
		// status: the body is held to the documented JSON, if any.
		jsonType, ok := jsonMedia(content)
		if !ok {
			return nil
		}
		if mediaType != "" && !isJSON(mediaType) {
			return []Problem{{Reason: fmt.Sprintf("Content-Type is %s, the spec documents %s", mediaType, jsonType)}}
		}
		media = content[jsonType]
	}
	if media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	v, err := decodeJSON(body)
	if err != nil {
		return []Problem{{Reason: err.Error()}}
	}
	return s.check(op, media.Schema.Value, v)
}

// jsonMedia returns the documented JSON media type, if any.
func jsonMedia(content openapi3.Content) (string, bool) {
	types := make([]string, 0, len(content))
	for mt := range content {
		types = append(types, mt)
	}
	sort.Strings(types)
	for _, mt := range types {
		if isJSON(strings.ToLower(mt)) {
			return mt, true
		}
	}
	return "", false
}

func isJSON(mediaType string) bool {
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

// decodeJSON decodes exactly one JSON value, keeping numbers exact so that
// 1 and 1.5 can be told apart for "integer".
func decodeJSON(body []byte) (any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("body is empty, the spec documents JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("body is not JSON: %v (starts %q)", err, preview(body))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("body has data after its JSON value (starts %q)", preview(body))
	}
	return v, nil
}

func preview(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}
