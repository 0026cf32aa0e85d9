package spec

import (
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// workaround is one in-memory correction of the spec, for a defect that
// cannot be expressed as an allowlist entry (which only drops problems at a
// pointer) without hiding real ones.
type workaround struct {
	about string // one line for Spec.Workarounds
	apply func(doc *openapi3.T) error
}

// workarounds are applied in order by Parse, to the loaded kin-openapi
// document. Each fails when the spec no longer has the defect it corrects,
// so that a newer spec prompts its removal instead of carrying it silently.
var workarounds = []workaround{
	{
		about: "Status.quote and StatusEdit.quote: oneOf [Quote, ShallowQuote, null] checked as anyOf, " +
			"with Quote requiring quoted_status and ShallowQuote requiring quoted_status_id",
		apply: exclusiveQuotes,
	},
}

// exclusiveQuotes corrects the quote alternatives. As published, Quote and
// ShallowQuote both require only "state" and allow any other property, so
// every real quote matches both and fails "oneOf"; worse, a quote whose
// quoted_status is broken still matches ShallowQuote and passes. Mastodon's
// serializers always send quoted_status (QuoteSerializer, has_one) or
// quoted_status_id (ShallowQuoteSerializer, attribute), so requiring that key
// tells them apart; anyOf then accepts the one case with both keys (a quote
// rendered for delete-and-redraft, which adds quoted_status_id to a Quote).
func exclusiveQuotes(doc *openapi3.T) error {
	for _, entity := range []string{"Status", "StatusEdit"} {
		prop, err := componentProperty(doc, entity, "quote")
		if err != nil {
			return err
		}
		var labels []string
		for _, alt := range prop.OneOf {
			labels = append(labels, label(alt))
		}
		if !slices.Equal(labels, []string{"Quote", "ShallowQuote", "null"}) {
			return fmt.Errorf("%s.quote is no longer oneOf [Quote, ShallowQuote, null] (it has %v)", entity, labels)
		}
		prop.AnyOf, prop.OneOf = prop.OneOf, nil
	}
	for _, fix := range []struct{ entity, key string }{{"Quote", "quoted_status"}, {"ShallowQuote", "quoted_status_id"}} {
		if _, err := componentProperty(doc, fix.entity, fix.key); err != nil {
			return err
		}
		c := doc.Components.Schemas[fix.entity].Value
		if slices.Contains(c.Required, fix.key) {
			return fmt.Errorf("%s already requires %s", fix.entity, fix.key)
		}
		// A $ref with sibling keywords gets a copy of the component (with
		// its own required list) from kin-openapi's loader; patch those too.
		ref := "#/components/schemas/" + fix.entity
		err := doc.WalkSchemas(func(_ string, r *openapi3.SchemaRef) error {
			if (r.Value == c || r.Ref == ref) && !slices.Contains(r.Value.Required, fix.key) {
				r.Value.Required = append(r.Value.Required, fix.key)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// componentProperty returns a property schema of a component.
func componentProperty(doc *openapi3.T, component, property string) (*openapi3.Schema, error) {
	c := doc.Components.Schemas[component]
	if c == nil || c.Value == nil {
		return nil, fmt.Errorf("no component %s", component)
	}
	p := c.Value.Properties[property]
	if p == nil || p.Value == nil {
		return nil, fmt.Errorf("component %s has no property %s", component, property)
	}
	return p.Value, nil
}

func applyWorkarounds(doc *openapi3.T, fixes []workaround) ([]string, error) {
	var applied []string
	for _, w := range fixes {
		if err := w.apply(doc); err != nil {
			return nil, fmt.Errorf("workaround %q: %w", w.about, err)
		}
		applied = append(applied, w.about)
	}
	return applied, nil
}
