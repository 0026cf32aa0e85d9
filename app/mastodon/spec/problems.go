package spec

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Problem is one way a response body differs from its schema.
type Problem struct {
	// Pointer is the JSON Pointer (RFC 6901) of the offending value in the
	// body; "" is the body itself. A missing required property is reported
	// at the pointer it would have had ("/created_at").
	Pointer string
	// Schema is the component the failing schema is written in ("Account"),
	// or "" when it is not inside a named component.
	Schema string
	// Reason says what is wrong ("got number, want string").
	Reason string
}

// String renders p as "/pointer: reason (in Schema)".
func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "(body)"
	}
	if p.Schema == "" {
		return ptr + ": " + p.Reason
	}
	return fmt.Sprintf("%s: %s (in %s)", ptr, p.Reason, p.Schema)
}

// maxDepth bounds the re-validation of oneOf and anyOf alternatives, each
// of which may hold more; Mastodon bodies nest a few levels (a reblog holds
// a Status holding an Account holding a moved Account), never 64.
const maxDepth = 64

// check validates v (decoded with UseNumber) against sch with kin-openapi
// and returns every problem, sorted by pointer. op (nil for none) is the
// operation whose allowlist entries judge the alternatives of oneOf and
// anyOf.
func (s *Spec) check(op *operation, sch *openapi3.Schema, v any) []Problem {
	return s.checkAt(op, sch, v, 0)
}

func (s *Spec) checkAt(op *operation, sch *openapi3.Schema, v any, depth int) []Problem {
	if depth > maxDepth {
		return []Problem{{Schema: s.names[sch], Reason: fmt.Sprintf("alternatives nested deeper than %d levels", maxDepth)}}
	}
	err := sch.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse(),
		openapi3.WithStringFormatValidators(formatValidators))
	if err == nil {
		return nil
	}
	c := &converter{s: s, op: op, depth: depth}
	c.collect(err, "")
	seen := map[Problem]bool{}
	var out []Problem
	for _, p := range c.problems {
		if !seen[p] { // an object with two unknown keys fails twice, each naming both
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	return out
}

// converter turns kin-openapi's errors (openapi3.MultiError holding
// *openapi3.SchemaError, which may hold more in Origin) into Problems. The
// reasons are written here from the error's keyword, schema and value,
// rather than taken from SchemaError.Reason, so that they show the
// offending value ("got integer 42, want string").
type converter struct {
	s        *Spec
	op       *operation // whose allowlist entries apply inside alternatives; nil for none
	depth    int        // of the alternative being re-validated
	problems []Problem
}

func (c *converter) add(ptr string, sch *openapi3.Schema, format string, args ...any) {
	c.problems = append(c.problems, Problem{Pointer: ptr, Schema: c.s.names[sch], Reason: fmt.Sprintf(format, args...)})
}

// collect converts err; prefix is the pointer of the value validated.
func (c *converter) collect(err error, prefix string) {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, sub := range e {
			c.collect(sub, prefix)
		}
	case *openapi3.SchemaError:
		c.schemaError(e, prefix)
	default:
		if inner := nested(err); inner != nil {
			c.collect(inner, prefix)
		} else {
			c.add(prefix, nil, "%v", err)
		}
	}
}

func (c *converter) schemaError(e *openapi3.SchemaError, prefix string) {
	ptr := prefix + pointer(e.JSONPointer())
	sch, v := e.Schema, e.Value
	if sch == nil {
		c.add(ptr, nil, "%s", e.Reason)
		return
	}
	kind := jsonType(v)
	switch e.SchemaField {
	case "oneOf", "anyOf":
		c.alternatives(e, ptr)
	case "required": // the pointer already names the property
		c.add(ptr, sch, "required property is missing")
	case "properties": // additionalProperties: false; e.Value is the object
		obj, _ := v.(map[string]any)
		for key := range obj {
			if _, known := sch.Properties[key]; !known {
				c.add(ptr+"/"+escapePointer(key), sch, "property is not allowed")
			}
		}
	case "type", "nullable": // "nullable": a null where the type has none
		want := strings.Join(sch.Type.Slice(), " or ")
		if want == "" {
			want = "a value other than null"
		}
		c.add(ptr, sch, "got %s, want %s", describe(v, kind), want)
	case "enum":
		c.add(ptr, sch, "%s is not one of %s", describe(v, kind), enumList(sch.Enum))
	case "format":
		str, _ := v.(string)
		if why := checkFormat(sch.Format, str); why != "" {
			c.add(ptr, sch, "%q is not a valid %s: %s", str, sch.Format, why)
		} else {
			c.add(ptr, sch, "%s", e.Reason) // a format kin-openapi checks itself
		}
	default: // allOf holds the errors of its parts; other keywords are leaves
		if inner := nested(e.Origin); inner != nil {
			c.collect(inner, prefix) // their pointers start at the same value
		} else {
			c.add(ptr, sch, "%s", e.Reason)
		}
	}
}

// alternatives reports a failed oneOf or anyOf. kin-openapi says only that
// no alternative (or more than one) matched, and keeps nothing of anyOf's
// attempts, so each alternative is validated again here. When none matches,
// the problems of the closest one that admits the value's JSON type are
// reported, so that an Account failing inside "oneOf: [Account, null]" says
// which field is wrong rather than only "matches no alternative".
func (c *converter) alternatives(e *openapi3.SchemaError, ptr string) {
	alts := e.Schema.OneOf
	if e.SchemaField == "anyOf" {
		alts = e.Schema.AnyOf
	}
	var matched, labels []string
	var closest []Problem
	found := false
	for _, alt := range alts {
		labels = append(labels, label(alt))
		if alt.Value == nil {
			continue
		}
		sub := c.s.checkAt(c.op, alt.Value, e.Value, c.depth+1)
		// What the allowlist would drop anyway does not count against an
		// alternative: a Status whose card has Mastodon's "" author_url is
		// still the Status of a oneOf [Status, ScheduledStatus].
		if c.op != nil && c.s.allow != nil {
			sub = c.s.allow.filterAt(c.op, ptr, sub)
		}
		if len(sub) == 0 {
			matched = append(matched, label(alt))
			continue
		}
		if admits(alt.Value, jsonType(e.Value)) && (!found || len(sub) < len(closest)) {
			closest, found = sub, true
		}
	}
	switch {
	case len(matched) == 0 && found:
		for _, p := range closest {
			p.Pointer = ptr + p.Pointer
			c.problems = append(c.problems, p)
		}
	case len(matched) == 0:
		c.add(ptr, e.Schema, "got %s, want one of %s", jsonType(e.Value), strings.Join(labels, ", "))
	case e.SchemaField == "oneOf" && len(matched) > 1:
		c.add(ptr, e.Schema, "matches %d alternatives of oneOf (%s), exactly one is allowed",
			len(matched), strings.Join(matched, ", "))
	case c.op != nil:
		// kin-openapi found none, but one matches once the allowlist has
		// set aside what it drops: a spec defect already accounted for.
	default: // not expected; keep kin-openapi's verdict rather than lose it
		c.add(ptr, e.Schema, "%s", e.Reason)
	}
}

// nested returns the kin-openapi error err wraps, if any: SchemaError.Origin
// holds the errors of allOf's parts behind a fmt.Errorf wrapper, and a
// format validator's plain error otherwise.
func nested(err error) error {
	for ; err != nil; err = errors.Unwrap(err) {
		switch err.(type) {
		case openapi3.MultiError, *openapi3.SchemaError:
			return err
		}
	}
	return nil
}

// pointer renders the unescaped path of a SchemaError as a JSON Pointer.
func pointer(path []string) string {
	var b strings.Builder
	for _, seg := range path {
		b.WriteString("/")
		b.WriteString(escapePointer(seg))
	}
	return b.String()
}

// escapePointer escapes one JSON Pointer segment (RFC 6901).
func escapePointer(seg string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(seg)
}

// refName is the component a $ref names: "Account" for
// "#/components/schemas/Account".
func refName(ref string) string {
	return ref[strings.LastIndexByte(ref, '/')+1:]
}

// label names an alternative in messages: its component, or its types.
func label(alt *openapi3.SchemaRef) string {
	switch {
	case alt.Ref != "":
		return refName(alt.Ref)
	case alt.Value != nil && len(alt.Value.Type.Slice()) > 0:
		return strings.Join(alt.Value.Type.Slice(), "|")
	}
	return "schema"
}

// admits reports whether a value of JSON type kind has a type sch allows;
// a schema without types admits all.
func admits(sch *openapi3.Schema, kind string) bool {
	types := sch.Type.Slice()
	return len(types) == 0 || slices.Contains(types, kind) ||
		kind == "integer" && slices.Contains(types, "number") ||
		kind == "null" && sch.Nullable
}

// jsonType names the JSON type of a value decoded with UseNumber (or of the
// float64 kin-openapi hands back for numbers); a number with no fractional
// part is "integer", as JSON Schema counts 1.0.
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return "number"
		}
		return jsonType(f)
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// describe shows short scalars in messages ("string \"direct2\""), so a
// wrong enum value or a number where a string belongs is visible at once.
func describe(v any, kind string) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		return fmt.Sprintf("%s %q", kind, x)
	case json.Number, float64, bool:
		return fmt.Sprintf("%s %v", kind, x)
	}
	return kind
}

func enumList(enum []any) string {
	parts := make([]string, len(enum))
	for i, e := range enum {
		b, _ := json.Marshal(e)
		parts[i] = string(b)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// formatValidators replace kin-openapi's for the formats the spec uses
// (kin-openapi checks only date and date-time by default, and reports them
// with its regular expression). They are passed per call rather than
// registered globally, so other users of kin-openapi in the process are not
// affected.
var formatValidators = func() map[string]openapi3.StringFormatValidator {
	m := map[string]openapi3.StringFormatValidator{}
	for _, format := range []string{"date-time", "date", "uri", "email", "iso-639-1"} {
		m[format] = openapi3.NewCallbackValidator(func(s string) error {
			if why := checkFormat(format, s); why != "" {
				return errors.New(why)
			}
			return nil
		})
	}
	return m
}()

// languageCode is deliberately looser than ISO 639-1: Mastodon also sends
// ISO 639-3 codes ("ast", "ckb") and regional variants ("zh-TW", "pt-BR")
// where the spec says "iso-639-1".
var languageCode = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z]{2,4})?$`)

// checkFormat returns why s is not of format, or "" (also for a format
// it does not know).
func checkFormat(format, s string) string {
	switch format {
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return "want RFC 3339, like 2006-01-02T15:04:05.000Z"
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return "want YYYY-MM-DD"
		}
	case "uri":
		// An absolute URI: a relative "/avatars/original/missing.png" is a
		// real bug for clients, which resolve nothing against the API host.
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" {
			return "want an absolute URI"
		}
	case "email":
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			return "want a bare address like admin@example.com"
		}
	case "iso-639-1":
		if !languageCode.MatchString(s) {
			return "want a language code like en, ast or pt-BR"
		}
	}
	return ""
}
