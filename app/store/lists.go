package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// MaxLists is how many lists one identity may have, as in Mastodon.
const MaxLists = 50

// ErrTooManyLists means the owner has MaxLists lists already.
var ErrTooManyLists = errors.New("too many lists")

// ErrNotFollowed means an account to add to a list is not followed by the
// list's owner.
var ErrNotFollowed = errors.New("not followed")

// ErrAlreadyListed means an account to add to a list is in it already.
var ErrAlreadyListed = errors.New("already in the list")

const listColumns = `l.id, l.identity_id, l.title, l.replies_policy, l.exclusive, l.created`

func collectLists(rows pgx.Rows, err error) ([]*model.List, error) {
	if err != nil {
		return nil, fmt.Errorf("store: lists: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.List, error) {
		var l model.List
		err := row.Scan(&l.ID, &l.IdentityID, &l.Title, &l.RepliesPolicy, &l.Exclusive, &l.Created)
		return &l, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: lists: %w", err)
	}
	return out, nil
}

// CreateList adds a list, refusing past MaxLists lists of its owner (the
// owner's row is locked meanwhile, so two requests cannot both pass).
func CreateList(ctx context.Context, db DB, l *model.List) error {
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM lists WHERE identity_id = (
				SELECT id FROM identities WHERE id = $1 FOR UPDATE)`, l.IdentityID).Scan(&n); err != nil {
			return fmt.Errorf("store: counting lists of %d: %w", l.IdentityID, err)
		}
		if n >= MaxLists {
			return ErrTooManyLists
		}
		l.ID = model.NewID()
		err := tx.QueryRow(ctx, `INSERT INTO lists (id, identity_id, title, replies_policy, exclusive)
			VALUES ($1, $2, $3, $4, $5) RETURNING created`, l.ID, l.IdentityID, l.Title, l.RepliesPolicy, l.Exclusive).Scan(&l.Created)
		if err != nil {
			return fmt.Errorf("store: creating list: %w", err)
		}
		return nil
	})
}

// ListOf returns list id when owner owns it, else nil.
func ListOf(ctx context.Context, db DB, owner, id model.ID) (*model.List, error) {
	list, err := collectLists(db.Query(ctx, `SELECT `+listColumns+` FROM lists l WHERE l.id = $1 AND l.identity_id = $2`, id, owner))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// ListsOf returns an identity's lists, oldest first.
func ListsOf(ctx context.Context, db DB, owner model.ID) ([]*model.List, error) {
	return collectLists(db.Query(ctx, `SELECT `+listColumns+` FROM lists l WHERE l.identity_id = $1 ORDER BY l.id`, owner))
}

// ListsWithMember returns owner's lists that member is in, oldest first.
func ListsWithMember(ctx context.Context, db DB, owner, member model.ID) ([]*model.List, error) {
	return collectLists(db.Query(ctx, `SELECT `+listColumns+` FROM lists l
		JOIN list_accounts la ON la.list_id = l.id AND la.identity_id = $2
		WHERE l.identity_id = $1 ORDER BY l.id`, owner, member))
}

// UpdateList writes a list's title, replies policy and exclusive flag.
func UpdateList(ctx context.Context, db DB, l *model.List) error {
	_, err := db.Exec(ctx, `UPDATE lists SET title = $2, replies_policy = $3, exclusive = $4 WHERE id = $1`,
		l.ID, l.Title, l.RepliesPolicy, l.Exclusive)
	if err != nil {
		return fmt.Errorf("store: updating list %d: %w", l.ID, err)
	}
	return nil
}

// DeleteList deletes a list of owner; false when owner has no such list.
func DeleteList(ctx context.Context, db DB, owner, id model.ID) (bool, error) {
	tag, err := db.Exec(ctx, `DELETE FROM lists WHERE id = $1 AND identity_id = $2`, id, owner)
	if err != nil {
		return false, fmt.Errorf("store: deleting list %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// followingStates are the follow states in which the source follows or
// has asked to follow the target: such accounts may be list members (a
// request may still be accepted, as Mastodon allows since 4.3).
const followingStates = `('unrequested', 'requested', 'pending_approval', 'accepting', 'accepted')`

// AddListMembers adds members to a list, all or none: each must be
// followed by the list's owner (ErrNotFollowed) and not in the list yet
// (ErrAlreadyListed).
func AddListMembers(ctx context.Context, db DB, l *model.List, members []model.ID) error {
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		var followed, listed int
		err := tx.QueryRow(ctx, `SELECT
				(SELECT count(DISTINCT f.target_id) FROM follows f WHERE f.source_id = $1 AND f.target_id = ANY ($3)
					AND f.state IN `+followingStates+`),
				(SELECT count(*) FROM list_accounts la WHERE la.list_id = $2 AND la.identity_id = ANY ($3))`,
			l.IdentityID, l.ID, int64s(members)).Scan(&followed, &listed)
		if err != nil {
			return fmt.Errorf("store: checking members of list %d: %w", l.ID, err)
		}
		if followed < len(distinctIDs(members)) {
			return ErrNotFollowed
		}
		if listed > 0 {
			return ErrAlreadyListed
		}
		base := model.NewID()
		_, err = tx.Exec(ctx, `INSERT INTO list_accounts (list_id, identity_id, id)
			SELECT $1, m.id, $3::bigint + m.n FROM unnest($2::bigint[]) WITH ORDINALITY AS m(id, n)
			ON CONFLICT DO NOTHING`, l.ID, int64s(distinctIDs(members)), int64(base))
		if err != nil {
			return fmt.Errorf("store: adding members to list %d: %w", l.ID, err)
		}
		return nil
	})
}

func distinctIDs(ids []model.ID) []model.ID {
	seen := make(map[model.ID]bool, len(ids))
	out := make([]model.ID, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// RemoveListMembers takes members out of a list (absent ones are ignored).
func RemoveListMembers(ctx context.Context, db DB, listID model.ID, members []model.ID) error {
	_, err := db.Exec(ctx, `DELETE FROM list_accounts WHERE list_id = $1 AND identity_id = ANY ($2)`, listID, int64s(members))
	if err != nil {
		return fmt.Errorf("store: removing members of list %d: %w", listID, err)
	}
	return nil
}

// ListMember is a member of a list and its place in the list's pages.
type ListMember struct {
	*model.Identity
	Key model.ID // list_accounts.id
}

// ListMembers returns a page of a list's members, the last added first,
// paged by when they were added; a Limit of -1 returns them all.
func ListMembers(ctx context.Context, db DB, listID model.ID, pg Page) ([]ListMember, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	limit := any(pg.Limit)
	if pg.Limit < 0 {
		limit = nil // LIMIT NULL is no limit
	}
	rows, err := db.Query(ctx, `SELECT `+identityColumns+`, x.k FROM (
			SELECT la.identity_id AS iid, la.id AS k FROM list_accounts la
			WHERE la.list_id = $1 AND ($2::bigint = 0 OR la.id < $2) AND ($3::bigint = 0 OR la.id > $3)
			ORDER BY la.id `+order+` LIMIT $4
		) x JOIN identities ON identities.id = x.iid ORDER BY x.k `+order, listID, int64(pg.MaxID), int64(lower), limit)
	if err != nil {
		return nil, fmt.Errorf("store: members of list %d: %w", listID, err)
	}
	defer rows.Close()
	var out []ListMember
	for rows.Next() {
		var key int64
		i, err := scanIdentity(extraRow{rows, []any{&key}})
		if err != nil {
			return nil, fmt.Errorf("store: members of list %d: %w", listID, err)
		}
		out = append(out, ListMember{Identity: i, Key: model.ID(key)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: members of list %d: %w", listID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}
