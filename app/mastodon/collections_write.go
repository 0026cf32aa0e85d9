package mastodon

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Limits of a local collection's text, in characters, as Mastodon's.
const (
	maxCollectionName        = 40
	maxCollectionDescription = 100
)

// collectionInvalid answers a failed validation of a collection as
// Mastodon's collection endpoints do (ValidationErrorFormatter): the
// message, and the error of the attribute under details.
func (c *call) collectionInvalid(attribute, code, description string) {
	msg := description // errors of the whole record ("base") say it all
	if attribute != "base" {
		msg = strings.ToUpper(attribute[:1]) + strings.ReplaceAll(attribute[1:], "_", " ") + " " + description
	}
	writeJSON(c.w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{
		"error": "Validation failed: " + msg,
		"details": map[string]any{
			attribute: []map[string]string{{"error": code, "description": description}},
		},
	}})
}

// applyCollectionParams sets what the request gives of name, description,
// language, tag_name, sensitive and discoverable, and validates the
// result; false when the answer (422) is sent.
func (c *call) applyCollectionParams(col *model.Collection) bool {
	if v := c.params.strPtr("name"); v != nil {
		col.Name = strings.TrimSpace(*v)
	}
	if v := c.params.strPtr("description"); v != nil {
		col.Description = strings.TrimSpace(*v)
	}
	languageOK := true
	if v := c.params.strPtr("language"); v != nil {
		col.Language = ""
		if raw := strings.TrimSpace(*v); raw != "" {
			col.Language, languageOK = collectionLanguage(raw)
		}
	}
	if b := c.params.boolPtr("sensitive"); b != nil {
		col.Sensitive = *b
	}
	if b := c.params.boolPtr("discoverable"); b != nil {
		col.Discoverable = *b
	}
	if v := c.params.strPtr("tag_name"); v != nil {
		col.Tag = ""
		if raw := strings.TrimSpace(*v); raw != "" {
			name, ok := hashtagName(raw)
			if !ok {
				c.collectionInvalid("tag_name", "ERR_INVALID", "is invalid")
				return false
			}
			col.Tag = name
		}
	}
	switch {
	case col.Name == "":
		c.collectionInvalid("name", "ERR_BLANK", "can't be blank")
	case utf8.RuneCountInString(col.Name) > maxCollectionName:
		c.collectionInvalid("name", "ERR_TOO_LONG", "is too long (maximum is 40 characters)")
	case utf8.RuneCountInString(col.Description) > maxCollectionDescription:
		c.collectionInvalid("description", "ERR_TOO_LONG", "is too long (maximum is 100 characters)")
	case !languageOK:
		c.collectionInvalid("language", "ERR_INVALID", "is not a valid language code")
	default:
		return true
	}
	return false
}

// collectionLanguage reads a language Mastodon accepts: an ISO 639-1 code
// it lists, or a three-letter one (ast, ckb, kab and the like), with an
// optional region; the code comes back in lower case ("pt-BR").
func collectionLanguage(s string) (string, bool) {
	if !validLanguage(s) {
		return "", false
	}
	code, region, hasRegion := strings.Cut(s, "-")
	code = strings.ToLower(code)
	if hasRegion {
		s = code + "-" + region
	} else {
		s = code
	}
	if len(code) == 3 {
		return s, true
	}
	for _, l := range languages {
		if l.Code == code {
			return s, true
		}
	}
	return "", false
}

// collectionCreate is POST /api/v1/collections: a new collection of the
// caller, with account_ids as its first items (all of them or nothing);
// WrappedCollection.
func (a *API) collectionCreate(c *call) {
	members, ok := c.params.ids("account_ids")
	if !ok {
		c.collectionInvalid("account_ids", "ERR_INVALID", "contains an unknown account")
		return
	}
	col := &model.Collection{ID: model.NewID(), IdentityID: c.viewer.ID, Local: true, Discoverable: true}
	col.URI = collectionURI(c.viewer, col.ID)
	col.URL = collectionURL(c.viewer, col.ID)
	if !c.applyCollectionParams(col) {
		return
	}
	err := store.CreateCollection(c.ctx(), a.In.DB, col, members)
	if err != nil {
		c.collectionError(err)
		return
	}
	items, err := store.VisibleCollectionItems(c.ctx(), a.In.DB, c.viewer.ID, []model.ID{col.ID})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{"collection": c.renderCollection(col, items[col.ID])})
}

// collectionError answers the refusals of the store's collection
// functions; anything else is a 500.
func (c *call) collectionError(err error) {
	switch {
	case errors.Is(err, store.ErrTooManyCollections):
		c.collectionInvalid("base", "ERR_TOO_MANY", "You have reached the maximum number of collections (10)")
	case errors.Is(err, store.ErrTooManyCollectionItems):
		c.collectionInvalid("collection_items", "ERR_TOO_MANY", "are too many (maximum is 25 accounts)")
	case errors.Is(err, store.ErrUnknownAccount):
		c.collectionInvalid("account_ids", "ERR_INVALID", "contains an unknown account")
	case errors.Is(err, store.ErrNotFeaturable):
		writeError(c.w, http.StatusForbidden, notFeaturable)
	default:
		c.api.fail(c, err)
	}
}

// notFeaturable is the answer (403) for an account that does not consent
// to be featured by the caller.
const notFeaturable = "This account cannot be added to collections"

// collectionURI is the ActivityPub id of a local collection, served by
// app/activitypub under its curator's actor.
func collectionURI(curator *model.Identity, id model.ID) string {
	return curator.URI + "/collections/" + idStr(id)
}

// collectionURL is the page of a local collection on its curator's
// display domain.
func collectionURL(curator *model.Identity, id model.ID) string {
	if curator.URL == "" {
		return ""
	}
	return curator.URL + "/collections/" + idStr(id)
}

// collectionUpdate is PATCH /api/v1/collections/:id: new metadata (not
// the items) of the caller's collection; WrappedCollection.
func (a *API) collectionUpdate(c *call) {
	col := c.ownCollection("id")
	if col == nil || !c.applyCollectionParams(col) {
		return
	}
	if err := store.UpdateCollection(c.ctx(), a.In.DB, col); err != nil {
		a.fail(c, err)
		return
	}
	out, _, err := c.renderCollections([]*model.Collection{col})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{"collection": out[0]})
}

// collectionDelete is DELETE /api/v1/collections/:id: the caller's
// collection and its items are gone.
func (a *API) collectionDelete(c *call) {
	col := c.ownCollection("id")
	if col == nil {
		return
	}
	if c.found(store.DeleteCollection(c.ctx(), a.In.DB, col.ID)) {
		c.ok(map[string]any{})
	}
}
