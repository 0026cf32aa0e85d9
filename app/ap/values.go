package ap

import "encoding/json"

// Object is a decoded JSON object.
type Object map[string]any

// Decode parses a JSON object.
func Decode(body []byte) (Object, error) {
	var o Object
	if err := json.Unmarshal(body, &o); err != nil {
		return nil, err
	}
	return o, nil
}

// String returns o[key] when it is a string.
func (o Object) String(key string) string {
	s, _ := o[key].(string)
	return s
}

// Bool returns o[key] when it is a boolean.
func (o Object) Bool(key string) bool {
	b, _ := o[key].(bool)
	return b
}

// Type returns the object's type (the first, when it is an array).
func (o Object) Type() string {
	switch t := o["type"].(type) {
	case string:
		return t
	case []any:
		if len(t) > 0 {
			s, _ := t[0].(string)
			return s
		}
	}
	return ""
}

// ID returns the object's id.
func (o Object) ID() string { return o.String("id") }

// Ref returns the id of o[key]: the string itself, or the id of an
// embedded object, or of the first element of an array.
func (o Object) Ref(key string) string { return RefOf(o[key]) }

// RefOf returns the id a value refers to.
func RefOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		s, _ := t["id"].(string)
		if s == "" {
			s, _ = t["href"].(string)
		}
		return s
	case []any:
		for _, e := range t {
			if s := RefOf(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// Refs returns the ids o[key] refers to, whatever its shape.
func (o Object) Refs(key string) []string {
	var out []string
	switch t := o[key].(type) {
	case []any:
		for _, e := range t {
			if s := RefOf(e); s != "" {
				out = append(out, s)
			}
		}
	default:
		if s := RefOf(t); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Embedded returns o[key] when it is an embedded object (the first object
// of an array), or nil when it is only a reference.
func (o Object) Embedded(key string) Object {
	switch t := o[key].(type) {
	case map[string]any:
		return Object(t)
	case []any:
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				return Object(m)
			}
		}
	}
	return nil
}

// Objects returns every embedded object in o[key].
func (o Object) Objects(key string) []Object {
	var out []Object
	switch t := o[key].(type) {
	case map[string]any:
		out = append(out, Object(t))
	case []any:
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				out = append(out, Object(m))
			}
		}
	}
	return out
}
