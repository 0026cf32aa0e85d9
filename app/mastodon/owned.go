package mastodon

import (
	"context"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Records the caller owns (filters, their keywords and statuses, lists)
// are reached through their owner: another user's answer 404, as absent
// ones do, so that ids of others' records are not disclosed.

// ownedLoader loads owner's record id: nil when there is none.
type ownedLoader[T any] func(ctx context.Context, db store.DB, owner, id model.ID) (*T, error)

// viewerOwn returns the viewer's record whose id is the path parameter
// name, answering 404 when the id is malformed or the record is not
// theirs (nil then).
func viewerOwn[T any](c *call, name string, load ownedLoader[T]) *T {
	id, ok := pathID(c.r, name)
	if !ok {
		c.notFound()
		return nil
	}
	return viewerOwnID(c, id, load)
}

// viewerOwnID returns the viewer's record id, answering 404 when it is not
// theirs (nil then).
func viewerOwnID[T any](c *call, id model.ID, load ownedLoader[T]) *T {
	v, err := load(c.ctx(), c.api.In.DB, c.viewer.ID, id)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if v == nil {
		c.notFound()
	}
	return v
}

// found reports whether a change found its record (true), and otherwise
// answers: 500 for err, else 404.
func (c *call) found(found bool, err error) bool {
	if err != nil {
		c.api.fail(c, err)
		return false
	}
	if !found {
		c.notFound()
	}
	return found
}

// deleteOwn deletes the viewer's record whose id is the path parameter
// name by del, answering {} (404 when it is not theirs).
func (c *call) deleteOwn(name string, del func(ctx context.Context, db store.DB, owner, id model.ID) (bool, error)) {
	id, ok := pathID(c.r, name)
	if !ok {
		c.notFound()
		return
	}
	if c.found(del(c.ctx(), c.api.In.DB, c.viewer.ID, id)) {
		c.ok(map[string]any{})
	}
}
