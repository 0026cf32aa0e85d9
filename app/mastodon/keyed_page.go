package mastodon

import "pukeko/app/model"

// keyedPage answers a page of items listed by other ids than their own (a
// bookmark's, a like's, a follow's), newest first, as Mastodon pages these
// lists: the items' entities, rendered at once by render, with the Link
// header of those ids. split gives an item's entity and its key.
func keyedPage[T, E, R any](c *call, list []T, split func(T) (E, model.ID), render func([]E) (R, error)) {
	items := make([]E, len(list))
	for k, t := range list {
		items[k], _ = split(t)
	}
	out, err := render(items)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	if n := len(list); n > 0 {
		_, newest := split(list[0])
		_, oldest := split(list[n-1])
		c.link(idStr(newest), idStr(oldest))
	}
	c.ok(out)
}
