package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// MaxCollections is how many collections one identity may curate
// (Mastodon's default role limit).
const MaxCollections = 10

// ErrTooManyCollections means the curator has MaxCollections already.
var ErrTooManyCollections = errors.New("too many collections")

// collectionColumns read a collections row c, with the number of accepted
// items of live accounts.
const collectionColumns = `c.id, c.identity_id, c.uri, c.url, c.local, c.name, c.description, c.language,
	c.sensitive, c.discoverable, c.tag,
	(SELECT count(*) FROM collection_items ci JOIN identities fi ON fi.id = ci.identity_id
		WHERE ci.collection_id = c.id AND ci.state = 'accepted' AND fi.deleted IS NULL),
	c.created, c.updated`

func collectCollections(rows pgx.Rows, err error) ([]*model.Collection, error) {
	if err != nil {
		return nil, fmt.Errorf("store: collections: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Collection, error) {
		var c model.Collection
		err := row.Scan(&c.ID, &c.IdentityID, &c.URI, &c.URL, &c.Local, &c.Name, &c.Description, &c.Language,
			&c.Sensitive, &c.Discoverable, &c.Tag, &c.ItemCount, &c.Created, &c.Updated)
		return &c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: collections: %w", err)
	}
	return out, nil
}

// CreateCollection adds a collection (ID, URI and URL set by the caller)
// with members as its first accepted items, in that order: all or
// nothing. It refuses past MaxCollections collections of the curator
// (whose row is locked meanwhile, so two requests cannot both pass), and
// members as AddCollectionItem does.
func CreateCollection(ctx context.Context, db DB, c *model.Collection, members []model.ID) error {
	members = distinctIDs(members)
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM collections WHERE identity_id = (
				SELECT id FROM identities WHERE id = $1 FOR UPDATE)`, c.IdentityID).Scan(&n); err != nil {
			return fmt.Errorf("store: counting collections of %d: %w", c.IdentityID, err)
		}
		if n >= MaxCollections {
			return ErrTooManyCollections
		}
		if len(members) > MaxCollectionItems {
			return ErrTooManyCollectionItems
		}
		if err := checkFeaturable(ctx, tx, c.IdentityID, members); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO collections (id, identity_id, uri, url, local, name, description,
				language, sensitive, discoverable, tag)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING created, updated`,
			c.ID, c.IdentityID, c.URI, c.URL, c.Local, c.Name, c.Description, c.Language, c.Sensitive,
			c.Discoverable, c.Tag).Scan(&c.Created, &c.Updated)
		if err != nil {
			return fmt.Errorf("store: creating collection: %w", err)
		}
		base := model.NewID()
		_, err = tx.Exec(ctx, `INSERT INTO collection_items (id, collection_id, identity_id, state, position)
			SELECT $3::bigint + m.n, $1, m.id, 'accepted', m.n FROM unnest($2::bigint[]) WITH ORDINALITY AS m(id, n)`,
			c.ID, int64s(members), int64(base))
		if err != nil {
			return fmt.Errorf("store: adding the accounts of collection %d: %w", c.ID, err)
		}
		c.ItemCount = len(members)
		return nil
	})
}

// CollectionByID returns a collection of a live curator, or nil.
func CollectionByID(ctx context.Context, db DB, id model.ID) (*model.Collection, error) {
	list, err := collectCollections(db.Query(ctx, `SELECT `+collectionColumns+` FROM collections c
		JOIN identities o ON o.id = c.identity_id AND o.deleted IS NULL WHERE c.id = $1`, id))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// CollectionsOf returns a page of a curator's collections, the newest
// first, skipping offset: the unlisted ones too when all is set. more
// tells whether collections follow the page.
func CollectionsOf(ctx context.Context, db DB, curator model.ID, all bool, limit, offset int) (page []*model.Collection, more bool, err error) {
	list, err := collectCollections(db.Query(ctx, `SELECT `+collectionColumns+` FROM collections c
		WHERE c.identity_id = $1 AND ($2 OR c.discoverable)
		ORDER BY c.created DESC, c.id DESC LIMIT $3 OFFSET $4`, curator, all, limit+1, offset))
	return pageOf(list, limit, err)
}

// CollectionsFeaturing returns a page of the collections (of live
// curators) that show member, the latest to add it first.
func CollectionsFeaturing(ctx context.Context, db DB, member model.ID, limit, offset int) (page []*model.Collection, more bool, err error) {
	list, err := collectCollections(db.Query(ctx, `SELECT `+collectionColumns+` FROM collection_items m
		JOIN collections c ON c.id = m.collection_id
		JOIN identities o ON o.id = c.identity_id AND o.deleted IS NULL
		WHERE m.identity_id = $1 AND m.state = 'accepted'
		ORDER BY m.created DESC, m.id DESC LIMIT $2 OFFSET $3`, member, limit+1, offset))
	return pageOf(list, limit, err)
}

// pageOf cuts a list fetched with one row more than limit.
func pageOf(list []*model.Collection, limit int, err error) ([]*model.Collection, bool, error) {
	if err != nil {
		return nil, false, err
	}
	if len(list) > limit {
		return list[:limit], true, nil
	}
	return list, false, nil
}

// UpdateCollection writes what a curator may change of a collection and
// sets c.Updated.
func UpdateCollection(ctx context.Context, db DB, c *model.Collection) error {
	err := db.QueryRow(ctx, `UPDATE collections SET name = $2, description = $3, language = $4, sensitive = $5,
			discoverable = $6, tag = $7, updated = now()
		WHERE id = $1 RETURNING updated`,
		c.ID, c.Name, c.Description, c.Language, c.Sensitive, c.Discoverable, c.Tag).Scan(&c.Updated)
	if err != nil {
		return fmt.Errorf("store: updating collection %d: %w", c.ID, err)
	}
	return nil
}

// DeleteCollection deletes a collection and its items; false when there
// was none.
func DeleteCollection(ctx context.Context, db DB, id model.ID) (bool, error) {
	tag, err := db.Exec(ctx, `DELETE FROM collections WHERE id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("store: deleting collection %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// BlockingOrDomainBlocking reports whether source blocks target, or
// target's whole domain.
func BlockingOrDomainBlocking(ctx context.Context, db DB, source, target model.ID) (bool, error) {
	var blocked bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blocks WHERE NOT mute AND state NOT IN ('undoing', 'removed')
			AND source_id = $1 AND target_id = $2) OR `+DomainBlockedBy("$1", "$2"), source, target).Scan(&blocked)
	if err != nil {
		return false, fmt.Errorf("store: blocks of %d by %d: %w", target, source, err)
	}
	return blocked, nil
}
