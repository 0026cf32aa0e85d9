package oauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// maxParamsBody bounds the body of the JSON and form endpoints here: none
// takes more than a few short strings.
const maxParamsBody = 1 << 20

// readParams reads a request's parameters the way Mastodon (Rails) does:
// the body, as JSON, urlencoded or multipart form, merged over the query
// string. Keys in Rails' array form ("redirect_uris[]") lose their
// brackets; JSON arrays become repeated values.
func readParams(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	out := url.Values{}
	r.Body = http.MaxBytesReader(w, r.Body, maxParamsBody)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/json":
		if err := readJSONParams(r, out); err != nil {
			return nil, err
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxParamsBody); err != nil {
			return nil, fmt.Errorf("malformed multipart body: %w", err)
		}
		addValues(out, r.MultipartForm.Value)
	case "application/x-www-form-urlencoded", "":
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("malformed form body: %w", err)
		}
		addValues(out, r.PostForm)
	}
	for k, vs := range r.URL.Query() {
		k = strings.TrimSuffix(k, "[]")
		if _, ok := out[k]; !ok {
			out[k] = vs
		}
	}
	return out, nil
}

func addValues(out url.Values, in map[string][]string) {
	for k, vs := range in {
		k = strings.TrimSuffix(k, "[]")
		out[k] = append(out[k], vs...)
	}
}

func readJSONParams(r *http.Request, out url.Values) error {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		if errors.Is(err, io.EOF) { // an empty body: no parameters
			return nil
		}
		return fmt.Errorf("malformed JSON body: %w", err)
	}
	for k, v := range body {
		k = strings.TrimSuffix(k, "[]")
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				if s, ok := jsonScalar(e); ok {
					out.Add(k, s)
				}
			}
		default:
			if s, ok := jsonScalar(v); ok {
				out.Add(k, s)
			}
		}
	}
	return nil
}

func jsonScalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}
