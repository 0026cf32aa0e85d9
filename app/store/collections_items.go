package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// MaxCollectionItems is how many accounts one collection may show or wait
// for (pending and accepted items), as in Mastodon.
const MaxCollectionItems = 25

// Refusals of adding an account to a collection.
var (
	// ErrTooManyCollectionItems means the collection is full.
	ErrTooManyCollectionItems = errors.New("too many accounts in the collection")
	// ErrUnknownAccount means there is no such (live) account.
	ErrUnknownAccount = errors.New("unknown account")
	// ErrNotFeaturable means the account does not consent to be featured
	// by the curator: it is not discoverable, it is locked and the curator
	// is no follower, a block stands between the two, or it is remote
	// (whose consent this server cannot ask yet).
	ErrNotFeaturable = errors.New("the account cannot be added to collections")
	// ErrAlreadyFeatured means the account is in the collection already.
	ErrAlreadyFeatured = errors.New("the account is in the collection already")
	// ErrFeatureWithdrawn means the account removed itself from (or
	// refused) the collection: the curator cannot add it again.
	ErrFeatureWithdrawn = errors.New("the account withdrew from the collection")
)

const collectionItemColumns = `ci.id, ci.collection_id, ci.identity_id, ci.state, ci.position, ci.created`

func collectCollectionItems(rows pgx.Rows, err error) ([]*model.CollectionItem, error) {
	if err != nil {
		return nil, fmt.Errorf("store: collection items: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.CollectionItem, error) {
		var it model.CollectionItem
		err := row.Scan(&it.ID, &it.CollectionID, &it.IdentityID, &it.State, &it.Position, &it.Created)
		return &it, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: collection items: %w", err)
	}
	return out, nil
}

// checkFeaturable returns nil when curator may feature every one of
// members, else ErrUnknownAccount or ErrNotFeaturable (wrapped with the
// account's id). As Mastodon decides for its own accounts: a local account
// consents when it is discoverable and, if locked, followed by the curator
// (or is the curator); no block either way may stand between them.
func checkFeaturable(ctx context.Context, db DB, curator model.ID, members []model.ID) error {
	if len(members) == 0 {
		return nil
	}
	rows, err := db.Query(ctx, `SELECT t.id, t.local, t.discoverable, t.locked,
			EXISTS (SELECT 1 FROM follows f WHERE f.source_id = $1 AND f.target_id = t.id AND f.state = 'accepted'),
			EXISTS (SELECT 1 FROM blocks b WHERE NOT b.mute AND b.state NOT IN ('undoing', 'removed')
				AND ((b.source_id = $1 AND b.target_id = t.id) OR (b.source_id = t.id AND b.target_id = $1)))
			OR `+DomainBlockedBy("$1", "t.id")+` OR `+DomainBlockedBy("t.id", "$1")+`
		FROM identities t WHERE t.id = ANY ($2) AND t.deleted IS NULL AND t.username IS NOT NULL`,
		curator, int64s(members))
	if err != nil {
		return fmt.Errorf("store: checking accounts to feature: %w", err)
	}
	defer rows.Close()
	found := map[model.ID]bool{}
	var refused model.ID
	for rows.Next() {
		var id model.ID
		var local, discoverable, locked, follows, blocked bool
		if err := rows.Scan(&id, &local, &discoverable, &locked, &follows, &blocked); err != nil {
			return fmt.Errorf("store: checking accounts to feature: %w", err)
		}
		found[id] = true
		ok := local && discoverable && !blocked && (!locked || follows || id == curator)
		if !ok && refused == 0 {
			refused = id
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: checking accounts to feature: %w", err)
	}
	for _, id := range members {
		if !found[id] {
			return fmt.Errorf("%w: %d", ErrUnknownAccount, id)
		}
	}
	if refused != 0 {
		return fmt.Errorf("%w: %d", ErrNotFeaturable, refused)
	}
	return nil
}

// AddCollectionItem features member in a collection, as its last item,
// accepted (the featured accounts are ours, whose consent is known). The
// collection's row is locked meanwhile, so that concurrent additions
// cannot pass its limit. nil, nil when the collection is gone.
func AddCollectionItem(ctx context.Context, db DB, c *model.Collection, member model.ID) (*model.CollectionItem, error) {
	var item *model.CollectionItem
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		var locked model.ID
		err := tx.QueryRow(ctx, `SELECT id FROM collections WHERE id = $1 FOR UPDATE`, c.ID).Scan(&locked)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: locking collection %d: %w", c.ID, err)
		}
		// Counted after the lock, by a statement that sees what the
		// addition before this one committed.
		var live, next int
		var state *string
		err = tx.QueryRow(ctx, `SELECT
				(SELECT count(*) FROM collection_items WHERE collection_id = $1 AND state IN ('pending', 'accepted')),
				(SELECT coalesce(max(position), 0) + 1 FROM collection_items WHERE collection_id = $1),
				(SELECT state FROM collection_items WHERE collection_id = $1 AND identity_id = $2)`,
			c.ID, member).Scan(&live, &next, &state)
		if err != nil {
			return fmt.Errorf("store: counting the items of collection %d: %w", c.ID, err)
		}
		if err := checkFeaturable(ctx, tx, c.IdentityID, []model.ID{member}); err != nil {
			return err
		}
		switch {
		case state != nil && (*state == model.CollectionItemRevoked || *state == model.CollectionItemRejected):
			return ErrFeatureWithdrawn
		case state != nil:
			return ErrAlreadyFeatured
		case live >= MaxCollectionItems:
			return ErrTooManyCollectionItems
		}
		item = &model.CollectionItem{ID: model.NewID(), CollectionID: c.ID, IdentityID: member,
			State: model.CollectionItemAccepted, Position: next}
		err = tx.QueryRow(ctx, `INSERT INTO collection_items (id, collection_id, identity_id, state, position)
			VALUES ($1, $2, $3, $4, $5) RETURNING created`, item.ID, item.CollectionID, item.IdentityID,
			item.State, item.Position).Scan(&item.Created)
		if err != nil {
			return fmt.Errorf("store: adding %d to collection %d: %w", member, c.ID, err)
		}
		return touchCollection(ctx, tx, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return item, nil
}

// touchCollection records that a collection changed.
func touchCollection(ctx context.Context, db DB, id model.ID) error {
	if _, err := db.Exec(ctx, `UPDATE collections SET updated = now() WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: touching collection %d: %w", id, err)
	}
	return nil
}

// CollectionItemOf returns item id of a collection, in any state, or nil.
func CollectionItemOf(ctx context.Context, db DB, collection, id model.ID) (*model.CollectionItem, error) {
	list, err := collectCollectionItems(db.Query(ctx, `SELECT `+collectionItemColumns+` FROM collection_items ci
		WHERE ci.collection_id = $1 AND ci.id = $2`, collection, id))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// RemoveCollectionItem takes an item its curator sees (pending or
// accepted) out of a collection; false when there is none. The rows of
// accounts that withdrew stay, so that they are not added again.
func RemoveCollectionItem(ctx context.Context, db DB, collection, id model.ID) (bool, error) {
	var removed bool
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM collection_items WHERE collection_id = $1 AND id = $2
			AND state IN ('pending', 'accepted')`, collection, id)
		if err != nil {
			return fmt.Errorf("store: removing item %d of collection %d: %w", id, collection, err)
		}
		if removed = tag.RowsAffected() == 1; removed {
			return touchCollection(ctx, tx, collection)
		}
		return nil
	})
	return removed, err
}

// RevokeCollectionItem marks an item revoked: its account withdrew from
// the collection. Revoking again changes nothing.
func RevokeCollectionItem(ctx context.Context, db DB, item *model.CollectionItem) error {
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE collection_items SET state = 'revoked', updated = now()
			WHERE id = $1 AND state IN ('pending', 'accepted')`, item.ID)
		if err != nil {
			return fmt.Errorf("store: revoking collection item %d: %w", item.ID, err)
		}
		if tag.RowsAffected() == 1 {
			return touchCollection(ctx, tx, item.CollectionID)
		}
		return nil
	})
}

// VisibleCollectionItems returns the items of collections that viewer (0:
// logged out) may see, by collection, in their order: the accepted ones
// of live accounts the viewer does not block, and to the curator the
// pending ones too.
func VisibleCollectionItems(ctx context.Context, db DB, viewer model.ID, collections []model.ID) (map[model.ID][]*model.CollectionItem, error) {
	list, err := collectCollectionItems(db.Query(ctx, `SELECT `+collectionItemColumns+` FROM collection_items ci
		JOIN collections c ON c.id = ci.collection_id
		JOIN identities i ON i.id = ci.identity_id AND i.deleted IS NULL
		WHERE ci.collection_id = ANY ($2)
		AND (ci.state = 'accepted' OR (ci.state = 'pending' AND $1::bigint <> 0 AND c.identity_id = $1))
		AND NOT EXISTS (SELECT 1 FROM blocks b WHERE NOT b.mute AND b.state NOT IN ('undoing', 'removed')
			AND b.source_id = $1 AND b.target_id = ci.identity_id)
		ORDER BY ci.collection_id, ci.position`, viewer, int64s(collections)))
	if err != nil {
		return nil, err
	}
	out := map[model.ID][]*model.CollectionItem{}
	for _, it := range list {
		out[it.CollectionID] = append(out[it.CollectionID], it)
	}
	return out, nil
}
