package mastodon

import (
	"net/url"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Collection is Mastodon's Collection: accounts a user recommends others
// to follow.
type Collection struct {
	ID           string           `json:"id"`
	AccountID    string           `json:"account_id"`
	URI          string           `json:"uri"`
	URL          *string          `json:"url"`
	Name         string           `json:"name"`
	Description  string           `json:"description"`
	Language     *string          `json:"language"`
	Local        bool             `json:"local"`
	Sensitive    bool             `json:"sensitive"`
	Discoverable bool             `json:"discoverable"`
	Tag          *ShallowTag      `json:"tag"`
	ItemCount    int              `json:"item_count"`
	Items        []CollectionItem `json:"items"`
	CreatedAt    string           `json:"created_at"`
	UpdatedAt    string           `json:"updated_at"`
}

// CollectionItem is Mastodon's CollectionItem: one account of a
// collection and whether it consented.
type CollectionItem struct {
	ID        string  `json:"id"`
	AccountID *string `json:"account_id"`
	State     string  `json:"state"`
	CreatedAt string  `json:"created_at"`
}

// ShallowTag is Mastodon's ShallowTag: a hashtag's name and page.
type ShallowTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// CollectionWithAccounts is Mastodon's CollectionWithAccounts: a
// collection with the accounts of its curator and of its items.
type CollectionWithAccounts struct {
	Accounts   []*Account `json:"accounts"`
	Collection Collection `json:"collection"`
}

// registerCollections adds the collection endpoints (Mastodon 4.6):
// reading them (collections_read.go), curating them
// (collections_write.go) and their items (collections_items.go).
func (a *API) registerCollections(mux Mux) {
	const read, write = "read read:collections", "write write:collections"
	a.route(mux, "GET /api/v1/accounts/{account_id}/collections", anyone, read, a.accountCollections)
	a.route(mux, "GET /api/v1/accounts/{account_id}/in_collections", userToken, read, a.accountInCollections)
	a.route(mux, "GET /api/v1/collections/{id}", anyone, read, a.collectionShow)
	a.route(mux, "POST /api/v1/collections", userToken, write, a.collectionCreate)
	a.route(mux, "PATCH /api/v1/collections/{id}", userToken, write, a.collectionUpdate)
	a.route(mux, "DELETE /api/v1/collections/{id}", userToken, write, a.collectionDelete)
	a.route(mux, "POST /api/v1/collections/{collection_id}/items", userToken, write, a.collectionItemAdd)
	a.route(mux, "DELETE /api/v1/collections/{collection_id}/items/{id}", userToken, write, a.collectionItemRemove)
	a.route(mux, "POST /api/v1/collections/{collection_id}/items/{id}/revoke", userToken, write, a.collectionItemRevoke)
}

// renderCollections renders collections with the items the caller may
// see of each (loaded in one query for the lot).
func (c *call) renderCollections(list []*model.Collection) ([]Collection, map[model.ID][]*model.CollectionItem, error) {
	ids := make([]model.ID, len(list))
	for k, col := range list {
		ids[k] = col.ID
	}
	items, err := store.VisibleCollectionItems(c.ctx(), c.api.In.DB, c.viewerID(), ids)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Collection, 0, len(list))
	for _, col := range list {
		out = append(out, c.renderCollection(col, items[col.ID]))
	}
	return out, items, nil
}

// renderCollection renders one collection with the given items.
func (c *call) renderCollection(col *model.Collection, items []*model.CollectionItem) Collection {
	out := Collection{
		ID:           idStr(col.ID),
		AccountID:    idStr(col.IdentityID),
		URI:          col.URI,
		Name:         col.Name,
		Description:  col.Description,
		Local:        col.Local,
		Sensitive:    col.Sensitive,
		Discoverable: col.Discoverable,
		ItemCount:    col.ItemCount,
		Items:        make([]CollectionItem, 0, len(items)),
		CreatedAt:    ts(col.Created),
		UpdatedAt:    ts(col.Updated),
	}
	if col.URL != "" {
		out.URL = &col.URL
	}
	if col.Language != "" {
		out.Language = &col.Language
	}
	if col.Tag != "" {
		out.Tag = &ShallowTag{Name: col.Tag, URL: c.baseURL() + "/tags/" + url.PathEscape(col.Tag)}
	}
	for _, it := range items {
		out.Items = append(out.Items, renderCollectionItem(it))
	}
	return out
}

func renderCollectionItem(it *model.CollectionItem) CollectionItem {
	account := idStr(it.IdentityID)
	return CollectionItem{ID: idStr(it.ID), AccountID: &account, State: it.State, CreatedAt: ts(it.Created)}
}
