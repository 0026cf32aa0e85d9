package ap

import "fmt"

// OrderedCollection renders a collection's root: its size and the URI of
// its first page (none when it is empty or hidden).
func OrderedCollection(id string, total int, first string) map[string]any {
	c := map[string]any{
		"@context":   activityContext,
		"id":         id,
		"type":       "OrderedCollection",
		"totalItems": total,
	}
	if first != "" {
		c["first"] = first
	}
	return c
}

// OrderedCollectionPage renders one page of items.
func OrderedCollectionPage(collection string, page int, items []any, total int, hasNext bool) map[string]any {
	if items == nil {
		items = []any{}
	}
	p := map[string]any{
		"@context":     activityContext,
		"id":           fmt.Sprintf("%s?page=%d", collection, page),
		"type":         "OrderedCollectionPage",
		"partOf":       collection,
		"totalItems":   total,
		"orderedItems": items,
	}
	if hasNext {
		p["next"] = fmt.Sprintf("%s?page=%d", collection, page+1)
	}
	if page > 1 {
		p["prev"] = fmt.Sprintf("%s?page=%d", collection, page-1)
	}
	return p
}
