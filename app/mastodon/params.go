package mastodon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pukeko/app/model"
)

// params are a request's parameters, whichever way they came: query
// string, form, multipart form or JSON body. Nested JSON is flattened to
// the names Rails gives form fields: {"poll": {"options": ["a"]}} becomes
// poll[options][] = a, and arrays x[] (both "x[]=" and "x=" are accepted
// by the getters).
type params struct {
	values map[string][]string
	files  map[string]*multipart.FileHeader
}

// maxJSONDepth bounds nesting of JSON bodies.
const maxJSONDepth = 8

// maxMultipartMemory is kept in memory of a multipart body; the rest goes
// to temporary files.
const maxMultipartMemory = 8 << 20

func parseParams(r *http.Request) (params, error) {
	p := params{values: map[string][]string{}, files: map[string]*multipart.FileHeader{}}
	for k, v := range r.URL.Query() {
		p.values[k] = append(p.values[k], v...)
	}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return p, errors.New("unreadable body")
		}
		if len(strings.TrimSpace(string(body))) == 0 {
			return p, nil
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return p, fmt.Errorf("malformed JSON body: %v", err)
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return p, errors.New("the JSON body must be an object")
		}
		if err := flatten(p.values, "", obj, 0); err != nil {
			return p, err
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxMultipartMemory); err != nil {
			return p, fmt.Errorf("malformed multipart body: %v", err)
		}
		for k, v := range r.MultipartForm.Value {
			p.values[k] = append(p.values[k], v...)
		}
		for k, fs := range r.MultipartForm.File {
			if len(fs) > 0 {
				p.files[k] = fs[0]
			}
		}
	default: // form bodies, and bodies sent without a type
		if r.Method == http.MethodDelete {
			// Go reads form bodies of POST, PUT and PATCH only; Mastodon's
			// clients send some DELETE parameters in the body.
			body, err := io.ReadAll(r.Body)
			if err != nil {
				return p, errors.New("unreadable body")
			}
			form, err := url.ParseQuery(string(body))
			if err != nil {
				return p, fmt.Errorf("malformed form body: %v", err)
			}
			for k, v := range form {
				p.values[k] = append(p.values[k], v...)
			}
			return p, nil
		}
		if err := r.ParseForm(); err != nil {
			return p, fmt.Errorf("malformed form body: %v", err)
		}
		for k, v := range r.PostForm {
			p.values[k] = append(p.values[k], v...)
		}
	}
	return p, nil
}

// flatten turns JSON values into form names.
func flatten(out map[string][]string, prefix string, v any, depth int) error {
	if depth > maxJSONDepth {
		return errors.New("the JSON body is nested too deeply")
	}
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			name := k
			if prefix != "" {
				name = prefix + "[" + k + "]"
			}
			if err := flatten(out, name, e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		if len(t) == 0 {
			// An empty array is sent (x: [] means "none" or "all"): the
			// name is present without values.
			if _, ok := out[prefix+"[]"]; !ok {
				out[prefix+"[]"] = []string{}
			}
		}
		for k, e := range t {
			switch e.(type) {
			case map[string]any: // media_attributes[0][id]
				if err := flatten(out, prefix+"["+strconv.Itoa(k)+"]", e, depth+1); err != nil {
					return err
				}
			default:
				if err := flatten(out, prefix+"[]", e, depth+1); err != nil {
					return err
				}
			}
		}
	case nil:
		out[prefix] = append(out[prefix], "")
	case string:
		out[prefix] = append(out[prefix], t)
	case bool:
		out[prefix] = append(out[prefix], strconv.FormatBool(t))
	case float64:
		out[prefix] = append(out[prefix], strconv.FormatFloat(t, 'f', -1, 64))
	default:
		out[prefix] = append(out[prefix], fmt.Sprint(t))
	}
	return nil
}

// has reports whether name was sent at all.
func (p params) has(name string) bool {
	_, ok := p.values[name]
	if !ok {
		_, ok = p.values[name+"[]"]
	}
	return ok
}

// str returns the first value of name, "" when absent.
func (p params) str(name string) string {
	if v := p.values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// strPtr returns the value of name, nil when absent.
func (p params) strPtr(name string) *string {
	if v, ok := p.values[name]; ok && len(v) > 0 {
		return &v[0]
	}
	return nil
}

// list returns every value of name given as name[] or name.
func (p params) list(name string) []string {
	out := append([]string(nil), p.values[name+"[]"]...)
	out = append(out, p.values[name]...)
	return out
}

// truthy reads a boolean as Rails does: true, True, 1, on, yes (and t).
func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "on", "yes", "t":
		return true
	}
	return false
}

// boolean returns name as a boolean, def when absent.
func (p params) boolean(name string, def bool) bool {
	if !p.has(name) {
		return def
	}
	return truthy(p.str(name))
}

// boolPtr returns name as a boolean, nil when absent.
func (p params) boolPtr(name string) *bool {
	if !p.has(name) {
		return nil
	}
	b := truthy(p.str(name))
	return &b
}

// integer returns name as an int, def when absent or not a number.
func (p params) integer(name string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(p.str(name)))
	if err != nil {
		return def
	}
	return n
}

// id returns name as an id, 0 when absent or not a number.
func (p params) id(name string) model.ID {
	n, _ := strconv.ParseInt(strings.TrimSpace(p.str(name)), 10, 64)
	return model.ID(n)
}

// ids returns every id of name[] / name; ok is false when one is not a
// number.
func (p params) ids(name string) ([]model.ID, bool) {
	var out []model.ID
	for _, s := range p.list(name) {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, false
		}
		out = append(out, model.ID(n))
	}
	return out, true
}

// file returns the uploaded file of name, nil when none.
func (p params) file(name string) *multipart.FileHeader { return p.files[name] }

// pathID reads an id path parameter; ok is false when it is no number.
func pathID(r *http.Request, name string) (model.ID, bool) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return model.ID(n), err == nil && n > 0
}
