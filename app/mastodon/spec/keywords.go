package spec

import (
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// adaptKeywords fits the document to the validator used on responses:
// kin-openapi's built-in one (Schema.VisitJSON without EnableJSONSchema2020).
//
// That validator knows OpenAPI 3.1's type arrays ("type": ["string",
// "null"], {"type": "null"}) and, through the loader, the keywords written
// beside a $ref; it also honours 3.0's "nullable", as this package always
// has. It ignores the keywords JSON Schema 2020-12 added, which kin-openapi
// leaves to its other validator (EnableJSONSchema2020, a wrapper around
// santhosh-tekuri/jsonschema). That one is not used: v0.153.0 marshals and
// compiles the schema on every call (8-25 ms for a Status or a notification
// page, against 0.1-1 ms), even for the schemas it then hands back to the
// built-in validator, and it reports a propertyNames failure below the body's
// root at the wrong pointer (the library reuses its location slice).
//
// So, once at load:
//   - "const": X becomes "enum": [X], the same constraint;
//   - "propertyNames" with an enum (GET and POST /api/v1/markers: home or
//     notifications) becomes one property per allowed name, each with the
//     additionalProperties schema, and "additionalProperties": false, the
//     same constraint again, whose violations the validator reports at the
//     offending key ("/public: property is not allowed");
//   - any other 2020-12 keyword makes the load fail, so that a newer spec
//     using one is not half-checked in silence.
func adaptKeywords(doc *openapi3.T) error {
	return doc.WalkSchemas(func(ptr string, ref *openapi3.SchemaRef) error {
		s := ref.Value
		if s.Const != nil {
			if len(s.Enum) > 0 {
				return fmt.Errorf("#%s: const beside enum is not supported", ptr)
			}
			s.Enum, s.Const = []any{s.Const}, nil
		}
		if s.PropertyNames != nil {
			if err := closeProperties(s); err != nil {
				return fmt.Errorf("#%s/propertyNames: %w", ptr, err)
			}
		}
		if kw := unsupportedKeyword(s); kw != "" {
			return fmt.Errorf("#%s: keyword %q is not supported by kin-openapi's built-in validator", ptr, kw)
		}
		return nil
	})
}

// closeProperties replaces propertyNames by the properties it allows. A
// schema shared through a $ref with siblings may come twice (kin-openapi
// copies the referenced schema, not its properties map), hence the checks
// for a property already there.
func closeProperties(s *openapi3.Schema) error {
	names := s.PropertyNames.Value
	if names == nil || len(names.Enum) == 0 {
		return fmt.Errorf("only an enum of names is supported")
	}
	var allowed []string
	for _, e := range names.Enum {
		if name, ok := e.(string); ok && names.VisitJSON(name) == nil {
			allowed = append(allowed, name)
		}
	}
	for name := range s.Properties {
		if !slices.Contains(allowed, name) {
			return fmt.Errorf("property %q is not an allowed name", name)
		}
	}
	each := s.AdditionalProperties.Schema
	if each == nil {
		each = openapi3.NewSchemaRef("", &openapi3.Schema{}) // any value
	}
	if no := s.AdditionalProperties.Has; no != nil && !*no {
		each = nil // only the properties already listed
	}
	if s.Properties == nil {
		s.Properties = openapi3.Schemas{}
	}
	for _, name := range allowed {
		if _, ok := s.Properties[name]; !ok && each != nil {
			s.Properties[name] = each
		}
	}
	closed := false
	s.AdditionalProperties = openapi3.AdditionalProperties{Has: &closed}
	s.PropertyNames = nil
	return nil
}

// unsupportedKeyword names a JSON Schema 2020-12 keyword of s that
// VisitJSON would ignore, or returns "".
func unsupportedKeyword(s *openapi3.Schema) string {
	switch {
	case len(s.PrefixItems) > 0:
		return "prefixItems"
	case s.Contains != nil:
		return "contains"
	case len(s.PatternProperties) > 0:
		return "patternProperties"
	case len(s.DependentSchemas) > 0:
		return "dependentSchemas"
	case len(s.DependentRequired) > 0:
		return "dependentRequired"
	case s.UnevaluatedItems.Has != nil || s.UnevaluatedItems.Schema != nil:
		return "unevaluatedItems"
	case s.UnevaluatedProperties.Has != nil || s.UnevaluatedProperties.Schema != nil:
		return "unevaluatedProperties"
	case s.If != nil:
		return "if"
	case s.Then != nil:
		return "then"
	case s.Else != nil:
		return "else"
	case s.ContentSchema != nil:
		return "contentSchema"
	case s.DynamicRef != "":
		return "$dynamicRef"
	}
	return ""
}
