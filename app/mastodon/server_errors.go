package mastodon

import "strings"

// attrError is one failed validation of a field, as Rails words it and
// as Mastodon's ValidationError details name it.
type attrError struct {
	attribute string // the model attribute, "endpoint"
	label     string // how the message names it, "Endpoint"
	code      string // ERR_BLANK, ERR_INVALID, ERR_TAKEN, ERR_INCLUSION
	text      string // "can't be blank"
}

// invalidAttributes answers 422 with Mastodon's ValidationError: the message
// of every failed validation, and the details per attribute that the spec
// documents for the endpoints answering it.
func (c *call) invalidAttributes(errs ...attrError) {
	msgs := make([]string, 0, len(errs))
	details := map[string][]map[string]string{}
	for _, e := range errs {
		msgs = append(msgs, e.label+" "+e.text)
		details[e.attribute] = append(details[e.attribute], map[string]string{"error": e.code, "description": e.text})
	}
	writeJSON(c.w, 422, map[string]any{"error": "Validation failed: " + strings.Join(msgs, ", "), "details": details})
}
