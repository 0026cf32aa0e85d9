package mastodon

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Pages of collections: limit and offset, as Mastodon pages them.
const (
	collectionsPageDefault = 40
	collectionsPageMax     = 80
)

// accountCollections is GET /api/v1/accounts/:account_id/collections: the
// account's collections, the newest first; the unlisted ones to the
// account itself only, none to someone it blocks.
func (a *API) accountCollections(c *call) {
	curator := c.pathAccount("account_id")
	if curator == nil {
		return
	}
	limit, offset := c.offsetPage(collectionsPageDefault, collectionsPageMax)
	if c.viewer != nil && c.viewer.ID != curator.ID {
		blocked, err := store.BlockingOrDomainBlocking(c.ctx(), a.In.DB, curator.ID, c.viewer.ID)
		if err != nil {
			a.fail(c, err)
			return
		}
		if blocked {
			// As Mastodon: no error, nothing to see.
			c.ok(map[string]any{"collections": []Collection{}})
			return
		}
	}
	own := c.viewer != nil && c.viewer.ID == curator.ID
	page, more, err := store.CollectionsOf(c.ctx(), a.In.DB, curator.ID, own, limit, offset)
	c.collectionsPage(page, more, err, limit, offset)
}

// accountInCollections is GET /api/v1/accounts/:account_id/in_collections:
// the collections that feature the caller, so that they can see where
// they are shown (and withdraw). Another account's are refused, as in
// Mastodon.
func (a *API) accountInCollections(c *call) {
	member := c.pathAccount("account_id")
	if member == nil {
		return
	}
	if member.ID != c.viewer.ID {
		writeError(c.w, http.StatusForbidden, "This action is not allowed")
		return
	}
	limit, offset := c.offsetPage(collectionsPageDefault, collectionsPageMax)
	page, more, err := store.CollectionsFeaturing(c.ctx(), a.In.DB, member.ID, limit, offset)
	c.collectionsPage(page, more, err, limit, offset)
}

// collectionsPage answers Mastodon's Collections ({"collections": [...]})
// with a Link header to the pages around it.
func (c *call) collectionsPage(page []*model.Collection, more bool, err error, limit, offset int) {
	if err != nil {
		c.api.fail(c, err)
		return
	}
	out, _, err := c.renderCollections(page)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.collectionsLink(limit, offset, more)
	c.ok(map[string]any{"collections": out})
}

// collectionsLink sets the Link header of a page of collections: next
// when more follows (known exactly: offsetLink guesses from a full page),
// prev when the page is not the first; the request's other parameters
// are kept.
func (c *call) collectionsLink(limit, offset int, more bool) {
	base := c.baseURL() + c.r.URL.Path
	at := func(o int) string {
		q := cloneValues(c.r.URL.Query())
		q.Set("limit", strconv.Itoa(limit))
		q.Set("offset", strconv.Itoa(o))
		return base + "?" + q.Encode()
	}
	var links []string
	if more {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, at(offset+limit)))
	}
	if offset > 0 {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, at(max(offset-limit, 0))))
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
}

// collectionShow is GET /api/v1/collections/:id: the collection with the
// accounts of its curator and of the items the caller may see. Unlisted
// collections are shown to whoever has the id; a caller the curator
// blocks is told there is no such collection.
func (a *API) collectionShow(c *call) {
	col := c.visibleCollection("id")
	if col == nil {
		return
	}
	rendered, items, err := c.renderCollections([]*model.Collection{col})
	if err != nil {
		a.fail(c, err)
		return
	}
	ids := []model.ID{col.IdentityID}
	for _, it := range items[col.ID] {
		ids = append(ids, it.IdentityID)
	}
	found, err := store.IdentitiesByIDs(c.ctx(), a.In.DB, ids)
	if err != nil {
		a.fail(c, err)
		return
	}
	byID := make(map[model.ID]*model.Identity, len(found))
	for _, i := range found {
		byID[i.ID] = i
	}
	// The curator first, then the featured accounts in their order.
	var people []*model.Identity
	seen := map[model.ID]bool{}
	for _, id := range ids {
		if i := byID[id]; i != nil && !seen[id] {
			seen[id] = true
			people = append(people, i)
		}
	}
	accounts, err := c.renderer().accounts(people)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(CollectionWithAccounts{Accounts: accounts, Collection: rendered[0]})
}

// visibleCollection loads the collection named by the path parameter
// name, answering 404 when there is none or its curator blocks the
// caller (nil then).
func (c *call) visibleCollection(name string) *model.Collection {
	col := c.pathCollection(name)
	if col == nil || c.viewer == nil || c.viewer.ID == col.IdentityID {
		return col
	}
	blocked, err := store.BlockingOrDomainBlocking(c.ctx(), c.api.In.DB, col.IdentityID, c.viewer.ID)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if blocked {
		c.notFound()
		return nil
	}
	return col
}

// pathCollection loads the collection named by the path parameter name,
// answering 404 when there is none (nil then).
func (c *call) pathCollection(name string) *model.Collection {
	id, ok := pathID(c.r, name)
	if !ok {
		c.notFound()
		return nil
	}
	col, err := store.CollectionByID(c.ctx(), c.api.In.DB, id)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if col == nil {
		c.notFound()
	}
	return col
}

// ownCollection loads the caller's collection named by the path parameter
// name: 404 when there is none, 403 when it is another's (as Mastodon
// answers its curator-only actions), nil then.
func (c *call) ownCollection(name string) *model.Collection {
	col := c.visibleCollection(name)
	if col != nil && col.IdentityID != c.viewer.ID {
		writeError(c.w, http.StatusForbidden, "This action is not allowed")
		return nil
	}
	return col
}
