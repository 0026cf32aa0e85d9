package spec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is a loaded reference spec. It is safe for concurrent use; the one
// ForTest hands out is shared by every test of a process, so the operations
// it records as exercised add up over the whole test binary.
type Spec struct {
	version     string // info.version, "4.7.0"
	doc         *openapi3.T
	ops         []*operation
	byKey       map[string]*operation // "GET /api/v1/accounts/{id}"
	router      *router
	names       map[*openapi3.Schema]string // schema -> component it is written in
	allow       *Allowlist
	workarounds []string

	mu           sync.Mutex
	exercised    map[string]int // operation key -> responses seen
	undocumented map[string]int // "GET /api/v1/x" -> responses seen
}

// operation is an Operation with its documented responses.
type operation struct {
	Operation
	responses *openapi3.Responses
}

// Load finds the reference spec with Locate and loads it. Errors about a
// missing file wrap ErrSpecMissing.
func Load() (*Spec, error) {
	path, err := Locate()
	if err != nil {
		return nil, err
	}
	return LoadFile(path)
}

// LoadFile loads the spec at path: for a subcommand pointed at a copy.
func LoadFile(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("spec: unable to read %s: %w", path, err)
	}
	s, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("spec: %s: %w", path, err)
	}
	return s, nil
}

// processSpec is the Spec that ForTest shares within one test binary.
var processSpec specCache

// specCache loads a Spec at most once.
type specCache struct {
	once sync.Once
	spec *Spec
	err  error
}

// ForTest returns the process's Spec, loading it on first use. When the
// spec file is not beside the repository (a user's own clone) the test is
// skipped; any other load error fails it.
func ForTest(t testing.TB) *Spec {
	t.Helper()
	return processSpec.get(t)
}

func (c *specCache) get(t testing.TB) *Spec {
	t.Helper()
	c.once.Do(func() { c.spec, c.err = Load() })
	if errors.Is(c.err, ErrSpecMissing) {
		t.Skipf("%s; skipping the Mastodon API spec check (%v)", ErrSpecMissing, c.err)
	}
	if c.err != nil {
		t.Fatalf("loading the Mastodon API spec: %v", c.err)
	}
	return c.spec
}

// Parse loads an OpenAPI 3.x document (JSON; kin-openapi reads YAML too),
// validates it, applies the workarounds and the embedded allowlist, and
// checks that both still fit it.
func Parse(data []byte) (*Spec, error) {
	return parse(data, workarounds, allowlistText)
}

// parse is Parse with the corrections as arguments, so that the package's
// tests can load small documents of their own without them.
func parse(data []byte, fixes []workaround, allowlist string) (*Spec, error) {
	loader := openapi3.NewLoader() // external $refs stay refused: the spec is one file
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("not a loadable OpenAPI document: %w", err)
	}
	if doc.OpenAPIMajorMinor() == "" {
		return nil, fmt.Errorf("openapi %q: want 3.x", doc.OpenAPI)
	}
	// The spec's own examples (and the default "null" of the integer
	// maxheight parameter of GET /api/oembed) do not match their schemas;
	// neither is used to check a response, so neither stops the load.
	if err := doc.Validate(context.Background(),
		openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation()); err != nil {
		return nil, err
	}
	if doc.Components == nil {
		doc.Components = &openapi3.Components{}
	}
	if err := adaptKeywords(doc); err != nil {
		return nil, err
	}
	s := &Spec{
		doc:          doc,
		byKey:        map[string]*operation{},
		exercised:    map[string]int{},
		undocumented: map[string]int{},
	}
	if doc.Info != nil {
		s.version = doc.Info.Version
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := &operation{
				Operation: Operation{
					Method: method, Path: path, OperationID: op.OperationID,
					Summary: op.Summary, Tags: op.Tags, Admin: isAdmin(path),
				},
				responses: op.Responses,
			}
			s.ops = append(s.ops, o)
			s.byKey[o.key()] = o
		}
	}
	sort.Slice(s.ops, func(i, j int) bool { return s.ops[i].less(s.ops[j].Operation) })
	s.router = newRouter(s.ops)
	if s.workarounds, err = applyWorkarounds(doc, fixes); err != nil {
		return nil, err
	}
	s.names = componentNames(doc)
	if s.allow, err = parseAllowlist(allowlist, s); err != nil {
		return nil, err
	}
	return s, nil
}

// componentNames maps every schema written inside a component (and the
// copy kin-openapi makes of a component for a $ref with sibling keywords)
// to that component's name, for Problem.Schema.
func componentNames(doc *openapi3.T) map[*openapi3.Schema]string {
	names := map[*openapi3.Schema]string{}
	var walk func(ref *openapi3.SchemaRef, name string)
	walk = func(ref *openapi3.SchemaRef, name string) {
		if ref == nil || ref.Value == nil {
			return
		}
		if _, seen := names[ref.Value]; seen {
			return
		}
		if ref.Ref != "" {
			name = refName(ref.Ref)
		}
		names[ref.Value] = name
		for _, sub := range subSchemas(ref.Value) {
			walk(sub, name)
		}
	}
	components := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		components = append(components, name)
	}
	sort.Strings(components)
	for _, name := range components {
		walk(doc.Components.Schemas[name], name)
	}
	return names
}

// subSchemas lists the sub-schemas of s that the validator applies.
func subSchemas(s *openapi3.Schema) []*openapi3.SchemaRef {
	var out []*openapi3.SchemaRef
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, s.Properties[n])
	}
	out = append(out, s.Items, s.AdditionalProperties.Schema, s.Not)
	out = append(out, s.OneOf...)
	out = append(out, s.AnyOf...)
	return append(out, s.AllOf...)
}

// Version returns the spec's info.version ("4.7.0").
func (s *Spec) Version() string { return s.version }

// Workarounds describes, one line each, the corrections made to the spec in
// memory when it was loaded (see workaround.go).
func (s *Spec) Workarounds() []string { return append([]string(nil), s.workarounds...) }

// Allowlist returns the allowlist in force, to list its entries or find the
// ones no validation has needed.
func (s *Spec) Allowlist() *Allowlist { return s.allow }
