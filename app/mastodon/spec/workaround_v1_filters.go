package spec

import (
	"errors"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// v1FiltersArray corrects GET /api/v1/filters: Mastodon answers an array of
// V1Filter (Api::V1::FiltersController#index renders the keywords of every
// filter), the spec documents a single V1Filter. The defect is at the root
// of the body, where no allowlist pointer reaches.
func v1FiltersArray(doc *openapi3.T) error {
	item := doc.Paths.Find("/api/v1/filters")
	if item == nil || item.Get == nil {
		return errors.New("no GET /api/v1/filters")
	}
	resp := item.Get.Responses.Status(200)
	if resp == nil || resp.Value == nil {
		return errors.New("GET /api/v1/filters documents no 200")
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Ref != "#/components/schemas/V1Filter" {
		return fmt.Errorf("GET /api/v1/filters no longer answers a single V1Filter")
	}
	media.Schema = &openapi3.SchemaRef{Value: &openapi3.Schema{
		Type:  &openapi3.Types{openapi3.TypeArray},
		Items: media.Schema,
	}}
	return nil
}

func init() {
	workarounds = append(workarounds, workaround{
		about: "GET /api/v1/filters: an array of V1Filter, as Mastodon answers, not one",
		apply: v1FiltersArray,
	})
}
