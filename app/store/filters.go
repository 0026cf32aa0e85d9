package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// ErrFilterStatusTaken means the post is in the filter already.
var ErrFilterStatusTaken = errors.New("the status is in the filter already")

// filterColumns loads a filter with its keywords and posts (alias f).
const filterColumns = `f.id, f.identity_id, f.title, f.context, f.action, f.expires, f.created,
	coalesce((SELECT json_agg(json_build_object('id', k.id, 'filter_id', k.filter_id, 'keyword', k.keyword,
		'whole_word', k.whole_word) ORDER BY k.id) FROM filter_keywords k WHERE k.filter_id = f.id), '[]'),
	coalesce((SELECT json_agg(json_build_object('id', s.id, 'filter_id', s.filter_id, 'post_id', s.post_id) ORDER BY s.id)
		FROM filter_statuses s WHERE s.filter_id = f.id), '[]')`

func collectFilters(rows pgx.Rows, err error) ([]*model.Filter, error) {
	if err != nil {
		return nil, fmt.Errorf("store: filters: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Filter, error) {
		var f model.Filter
		var keywords, statuses []byte
		if err := row.Scan(&f.ID, &f.IdentityID, &f.Title, &f.Context, &f.Action, &f.Expires, &f.Created, &keywords, &statuses); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(keywords, &f.Keywords); err != nil {
			return nil, err
		}
		return &f, json.Unmarshal(statuses, &f.Statuses)
	})
	if err != nil {
		return nil, fmt.Errorf("store: filters: %w", err)
	}
	return out, nil
}

// FiltersOf returns an identity's filters (expired ones too), oldest
// first, with their keywords and posts.
func FiltersOf(ctx context.Context, db DB, owner model.ID) ([]*model.Filter, error) {
	return collectFilters(db.Query(ctx, `SELECT `+filterColumns+` FROM filters f WHERE f.identity_id = $1 ORDER BY f.id`, owner))
}

// ActiveFilters returns an identity's filters in force (not expired),
// with their keywords and posts: what is applied to what it reads.
func ActiveFilters(ctx context.Context, db DB, owner model.ID) ([]*model.Filter, error) {
	return collectFilters(db.Query(ctx, `SELECT `+filterColumns+` FROM filters f
		WHERE f.identity_id = $1 AND (f.expires IS NULL OR f.expires > now()) ORDER BY f.id`, owner))
}

// FilterOf returns filter id when owner owns it, else nil.
func FilterOf(ctx context.Context, db DB, owner, id model.ID) (*model.Filter, error) {
	list, err := collectFilters(db.Query(ctx, `SELECT `+filterColumns+` FROM filters f WHERE f.id = $1 AND f.identity_id = $2`, id, owner))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// FilterChange is a change of a filter, applied in one transaction: its
// fields (nil: unchanged), and keywords to add, update or delete.
type FilterChange struct {
	Title   *string
	Context *[]string
	Action  *string
	// Expires: nil leaves it, a pointer to nil clears it.
	Expires        **time.Time
	AddKeywords    []model.FilterKeyword
	UpdateKeywords []model.FilterKeyword // by ID, of this filter
	DeleteKeywords []model.ID
}

// CreateFilter stores a new filter of f.IdentityID with its keywords
// (setting their ids) and tells the owner's streams.
func CreateFilter(ctx context.Context, db DB, f *model.Filter) error {
	f.ID = model.NewID()
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO filters (id, identity_id, title, context, action, expires)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING created`,
			f.ID, f.IdentityID, f.Title, f.Context, f.Action, f.Expires).Scan(&f.Created)
		if err != nil {
			return fmt.Errorf("store: creating filter: %w", err)
		}
		for k := range f.Keywords {
			if err := insertKeyword(ctx, tx, f.ID, &f.Keywords[k]); err != nil {
				return err
			}
		}
		return notifyFiltersChanged(ctx, tx, f.IdentityID)
	})
}

func insertKeyword(ctx context.Context, tx DB, filterID model.ID, k *model.FilterKeyword) error {
	k.ID, k.FilterID = model.NewID(), filterID
	_, err := tx.Exec(ctx, `INSERT INTO filter_keywords (id, filter_id, keyword, whole_word) VALUES ($1, $2, $3, $4)`,
		k.ID, filterID, k.Keyword, k.WholeWord)
	if err != nil {
		return fmt.Errorf("store: adding keyword to filter %d: %w", filterID, err)
	}
	return nil
}

// UpdateFilter applies a change to a filter of owner; false when owner
// has no such filter.
func UpdateFilter(ctx context.Context, db DB, owner, id model.ID, ch FilterChange) (bool, error) {
	found := false
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		var expires *time.Time
		setExpires := ch.Expires != nil
		if setExpires {
			expires = *ch.Expires
		}
		tag, err := tx.Exec(ctx, `UPDATE filters SET title = coalesce($3, title), context = coalesce($4, context),
			action = coalesce($5, action), expires = CASE WHEN $6 THEN $7 ELSE expires END, updated = now()
			WHERE id = $1 AND identity_id = $2`, id, owner, ch.Title, ch.Context, ch.Action, setExpires, expires)
		if err != nil {
			return fmt.Errorf("store: updating filter %d: %w", id, err)
		}
		if found = tag.RowsAffected() == 1; !found {
			return nil
		}
		for _, k := range ch.UpdateKeywords {
			if _, err := tx.Exec(ctx, `UPDATE filter_keywords SET keyword = $3, whole_word = $4 WHERE id = $1 AND filter_id = $2`,
				k.ID, id, k.Keyword, k.WholeWord); err != nil {
				return fmt.Errorf("store: updating keyword %d: %w", k.ID, err)
			}
		}
		if len(ch.DeleteKeywords) > 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM filter_keywords WHERE filter_id = $1 AND id = ANY ($2)`,
				id, int64s(ch.DeleteKeywords)); err != nil {
				return fmt.Errorf("store: deleting keywords of filter %d: %w", id, err)
			}
		}
		for k := range ch.AddKeywords {
			if err := insertKeyword(ctx, tx, id, &ch.AddKeywords[k]); err != nil {
				return err
			}
		}
		return notifyFiltersChanged(ctx, tx, owner)
	})
	return found, err
}

// DeleteFilter deletes a filter of owner; false when there is none.
func DeleteFilter(ctx context.Context, db DB, owner, id model.ID) (bool, error) {
	found := false
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM filters WHERE id = $1 AND identity_id = $2`, id, owner)
		if err != nil {
			return fmt.Errorf("store: deleting filter %d: %w", id, err)
		}
		if found = tag.RowsAffected() == 1; !found {
			return nil
		}
		return notifyFiltersChanged(ctx, tx, owner)
	})
	return found, err
}

// notifyFiltersChanged tells the streaming API, at commit, that owner's
// filters changed.
func notifyFiltersChanged(ctx context.Context, tx DB, owner model.ID) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify('pukeko_stream', json_build_object('stream', 'user', 'identity', $1::bigint,
		'event', 'filters_changed')::text)`, owner)
	if err != nil {
		return fmt.Errorf("store: notifying filter change of %d: %w", owner, err)
	}
	return nil
}
