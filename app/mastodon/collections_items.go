package mastodon

import (
	"errors"
	"net/http"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// collectionItemAdd is POST /api/v1/collections/:collection_id/items: the
// caller features account_id in their collection, if that account
// consents; WrappedCollectionItem.
func (a *API) collectionItemAdd(c *call) {
	col := c.ownCollection("collection_id")
	if col == nil {
		return
	}
	raw := strings.TrimSpace(c.params.str("account_id"))
	if raw == "" {
		writeError(c.w, http.StatusUnprocessableEntity, "`account_id` parameter is missing")
		return
	}
	member := c.params.id("account_id")
	if member <= 0 {
		writeError(c.w, http.StatusUnprocessableEntity, "Validation failed: Account does not exist")
		return
	}
	item, err := store.AddCollectionItem(c.ctx(), a.In.DB, col, member)
	switch {
	case errors.Is(err, store.ErrUnknownAccount):
		writeError(c.w, http.StatusUnprocessableEntity, "Validation failed: Account does not exist")
	case errors.Is(err, store.ErrNotFeaturable):
		writeError(c.w, http.StatusForbidden, notFeaturable)
	case errors.Is(err, store.ErrFeatureWithdrawn):
		writeError(c.w, http.StatusForbidden, "This account has removed itself from this collection")
	case errors.Is(err, store.ErrAlreadyFeatured):
		writeError(c.w, http.StatusUnprocessableEntity, "Validation failed: Account has already been taken")
	case errors.Is(err, store.ErrTooManyCollectionItems):
		writeError(c.w, http.StatusUnprocessableEntity, "Validation failed: Collection items are too many (maximum is 25 accounts)")
	case err != nil:
		a.fail(c, err)
	case item == nil: // deleted meanwhile
		c.notFound()
	default:
		c.ok(map[string]any{"collection_item": renderCollectionItem(item)})
	}
}

// collectionItemRemove is DELETE
// /api/v1/collections/:collection_id/items/:id: the curator takes an
// account out of their collection.
func (a *API) collectionItemRemove(c *call) {
	col := c.ownCollection("collection_id")
	if col == nil {
		return
	}
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	if c.found(store.RemoveCollectionItem(c.ctx(), a.In.DB, col.ID, id)) {
		c.ok(map[string]any{})
	}
}

// collectionItemRevoke is POST
// /api/v1/collections/:collection_id/items/:id/revoke: the featured
// account withdraws from another's collection. The item stays, revoked:
// shown to nobody, and the curator cannot add the account again.
func (a *API) collectionItemRevoke(c *call) {
	col := c.pathCollection("collection_id")
	if col == nil {
		return
	}
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	item, err := store.CollectionItemOf(c.ctx(), a.In.DB, col.ID, id)
	if err != nil {
		a.fail(c, err)
		return
	}
	if item == nil || item.State == model.CollectionItemRejected {
		c.notFound()
		return
	}
	if item.IdentityID != c.viewer.ID {
		writeError(c.w, http.StatusForbidden, "This action is not allowed")
		return
	}
	if err := store.RevokeCollectionItem(c.ctx(), a.In.DB, item); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{})
}
