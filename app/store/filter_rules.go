package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// The keywords and posts of filters, each reached through its filter's
// owner: another identity's rules are not found.

// KeywordOf returns keyword id and its filter when owner owns the filter,
// else nils.
func KeywordOf(ctx context.Context, db DB, owner, id model.ID) (*model.FilterKeyword, *model.Filter, error) {
	list, err := collectFilters(db.Query(ctx, `SELECT `+filterColumns+` FROM filters f
		WHERE f.identity_id = $2 AND f.id = (SELECT k.filter_id FROM filter_keywords k WHERE k.id = $1)`, id, owner))
	if err != nil || len(list) == 0 {
		return nil, nil, err
	}
	for k := range list[0].Keywords {
		if list[0].Keywords[k].ID == id {
			return &list[0].Keywords[k], list[0], nil
		}
	}
	return nil, nil, nil
}

// AddKeyword adds a keyword to filter k.FilterID of owner (setting k.ID);
// false when owner has no such filter.
func AddKeyword(ctx context.Context, db DB, owner model.ID, k *model.FilterKeyword) (bool, error) {
	found := false
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM filters WHERE id = $1 AND identity_id = $2)`,
			k.FilterID, owner).Scan(&found); err != nil || !found {
			return err
		}
		if err := insertKeyword(ctx, tx, k.FilterID, k); err != nil {
			return err
		}
		return notifyFiltersChanged(ctx, tx, owner)
	})
	return found, err
}

// UpdateKeyword writes a keyword's text and whole-word flag (owner's
// only); false when there is no such keyword.
func UpdateKeyword(ctx context.Context, db DB, owner model.ID, k *model.FilterKeyword) (bool, error) {
	found := false
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE filter_keywords k SET keyword = $3, whole_word = $4
			FROM filters f WHERE k.id = $1 AND f.id = k.filter_id AND f.identity_id = $2`, k.ID, owner, k.Keyword, k.WholeWord)
		if err != nil {
			return fmt.Errorf("store: updating keyword %d: %w", k.ID, err)
		}
		if found = tag.RowsAffected() == 1; !found {
			return nil
		}
		return notifyFiltersChanged(ctx, tx, owner)
	})
	return found, err
}

// DeleteKeyword deletes a keyword of owner's; with dropEmpty, its filter
// too when no keyword is left (v1 filters are keywords). False when there
// is no such keyword.
func DeleteKeyword(ctx context.Context, db DB, owner, id model.ID, dropEmpty bool) (bool, error) {
	found := false
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		var filterID model.ID
		err := tx.QueryRow(ctx, `DELETE FROM filter_keywords k USING filters f
			WHERE k.id = $1 AND f.id = k.filter_id AND f.identity_id = $2 RETURNING k.filter_id`, id, owner).Scan(&filterID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: deleting keyword %d: %w", id, err)
		}
		found = true
		if dropEmpty {
			if _, err := tx.Exec(ctx, `DELETE FROM filters f WHERE f.id = $1
				AND NOT EXISTS (SELECT 1 FROM filter_keywords k WHERE k.filter_id = f.id)`, filterID); err != nil {
				return fmt.Errorf("store: deleting filter %d: %w", filterID, err)
			}
		}
		return notifyFiltersChanged(ctx, tx, owner)
	})
	return found, err
}

// FilterStatusOf returns filter post id of owner's, or nil.
func FilterStatusOf(ctx context.Context, db DB, owner, id model.ID) (*model.FilterStatus, error) {
	var s model.FilterStatus
	err := db.QueryRow(ctx, `SELECT s.id, s.filter_id, s.post_id FROM filter_statuses s JOIN filters f ON f.id = s.filter_id
		WHERE s.id = $1 AND f.identity_id = $2`, id, owner).Scan(&s.ID, &s.FilterID, &s.PostID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: filter status %d: %w", id, err)
	}
	return &s, nil
}

// AddFilterStatus adds a post to filter s.FilterID of owner (setting
// s.ID); false when owner has no such filter, ErrFilterStatusTaken when
// the post is in it already.
func AddFilterStatus(ctx context.Context, db DB, owner model.ID, s *model.FilterStatus) (bool, error) {
	found := false
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM filters WHERE id = $1 AND identity_id = $2)`,
			s.FilterID, owner).Scan(&found); err != nil || !found {
			return err
		}
		s.ID = model.NewID()
		tag, err := tx.Exec(ctx, `INSERT INTO filter_statuses (id, filter_id, post_id) VALUES ($1, $2, $3)
			ON CONFLICT (filter_id, post_id) DO NOTHING`, s.ID, s.FilterID, s.PostID)
		if err != nil {
			return fmt.Errorf("store: adding post %d to filter %d: %w", s.PostID, s.FilterID, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrFilterStatusTaken
		}
		return notifyFiltersChanged(ctx, tx, owner)
	})
	return found, err
}

// DeleteFilterStatus takes a post out of owner's filter; false when there
// is no such entry.
func DeleteFilterStatus(ctx context.Context, db DB, owner, id model.ID) (bool, error) {
	found := false
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM filter_statuses s USING filters f
			WHERE s.id = $1 AND f.id = s.filter_id AND f.identity_id = $2`, id, owner)
		if err != nil {
			return fmt.Errorf("store: deleting filter status %d: %w", id, err)
		}
		if found = tag.RowsAffected() == 1; !found {
			return nil
		}
		return notifyFiltersChanged(ctx, tx, owner)
	})
	return found, err
}
