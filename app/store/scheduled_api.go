package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// ScheduledPoll is the poll of a scheduled status.
type ScheduledPoll struct {
	Options    []string `json:"options"`
	ExpiresIn  int      `json:"expires_in"` // seconds
	Multiple   bool     `json:"multiple"`
	HideTotals bool     `json:"hide_totals"`
}

// ScheduledParams are the parameters of a status to publish later, as
// POST /api/v1/statuses received them.
type ScheduledParams struct {
	Text          string         `json:"text"`
	Visibility    string         `json:"visibility"`
	SpoilerText   string         `json:"spoiler_text"`
	Sensitive     bool           `json:"sensitive"`
	Language      string         `json:"language"`
	InReplyToID   model.ID       `json:"in_reply_to_id"`
	MediaIDs      []model.ID     `json:"media_ids"`
	Poll          *ScheduledPoll `json:"poll"`
	Idempotency   string         `json:"idempotency"`
	ApplicationID model.ID       `json:"application_id"`
}

// ScheduledStatus is a status an identity scheduled. Its State is a state
// of the scheduled status graph (app/social); PostID is the post once
// published.
type ScheduledStatus struct {
	ID          model.ID
	IdentityID  model.ID
	ScheduledAt time.Time
	Params      ScheduledParams
	PostID      model.ID
	State       string
}

const scheduledColumns = `id, identity_id, scheduled_at, params, coalesce(post_id, 0), state`

func scanScheduled(row pgx.Row) (*ScheduledStatus, error) {
	var s ScheduledStatus
	var params []byte
	err := row.Scan(&s.ID, &s.IdentityID, &s.ScheduledAt, &params, &s.PostID, &s.State)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(params, &s.Params); err != nil {
		return nil, fmt.Errorf("scheduled status %d params: %w", s.ID, err)
	}
	return &s, nil
}

// InsertScheduledStatus stores a status to publish at ScheduledAt, in
// state, due then.
func InsertScheduledStatus(ctx context.Context, db DB, s *ScheduledStatus, state string) error {
	if s.ID == 0 {
		s.ID = model.NewID()
	}
	params, err := json.Marshal(s.Params)
	if err != nil {
		return err
	}
	if _, err := db.Exec(ctx, `INSERT INTO scheduled_statuses (id, identity_id, scheduled_at, params, state, state_next_attempt)
		VALUES ($1, $2, $3, $4, $5, $3)`, s.ID, s.IdentityID, s.ScheduledAt, params, state); err != nil {
		return fmt.Errorf("store: scheduling a status of %d: %w", s.IdentityID, err)
	}
	s.State = state
	return nil
}

// ScheduledStatusByID returns a scheduled status, or nil.
func ScheduledStatusByID(ctx context.Context, db DB, id model.ID) (*ScheduledStatus, error) {
	s, err := scanScheduled(db.QueryRow(ctx, `SELECT `+scheduledColumns+` FROM scheduled_statuses WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("store: scheduled status %d: %w", id, err)
	}
	return s, nil
}

// ScheduledStatusPage returns a page of an identity's statuses in state,
// newest scheduling first, paged by id.
func ScheduledStatusPage(ctx context.Context, db DB, identityID model.ID, state string, pg Page) ([]*ScheduledStatus, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	rows, err := db.Query(ctx, `SELECT `+scheduledColumns+` FROM scheduled_statuses
		WHERE identity_id = $1 AND state = $2 AND ($3::bigint = 0 OR id < $3) AND ($4::bigint = 0 OR id > $4)
		ORDER BY id `+order+` LIMIT $5`, identityID, state, int64(pg.MaxID), int64(lower), pg.limit())
	if err != nil {
		return nil, fmt.Errorf("store: scheduled statuses of %d: %w", identityID, err)
	}
	defer rows.Close()
	var out []*ScheduledStatus
	for rows.Next() {
		s, err := scanScheduled(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scheduled statuses of %d: %w", identityID, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: scheduled statuses of %d: %w", identityID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// ScheduledCounts counts an identity's statuses in state: all of them,
// and those due within the day around at.
func ScheduledCounts(ctx context.Context, db DB, identityID model.ID, state string, at time.Time) (total, sameDay int, err error) {
	day := at.UTC().Truncate(24 * time.Hour)
	err = db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE scheduled_at >= $3 AND scheduled_at < $4)
		FROM scheduled_statuses WHERE identity_id = $1 AND state = $2`, identityID, state, day, day.Add(24*time.Hour)).
		Scan(&total, &sameDay)
	if err != nil {
		return 0, 0, fmt.Errorf("store: counting scheduled statuses of %d: %w", identityID, err)
	}
	return total, sameDay, nil
}

// RescheduleStatus moves a status still in state to at, due then,
// reporting whether it was.
func RescheduleStatus(ctx context.Context, db DB, id model.ID, state string, at time.Time) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE scheduled_statuses SET scheduled_at = $3, state_next_attempt = $3,
		state_locked_until = NULL, state_attempts = 0 WHERE id = $1 AND state = $2`, id, state, at)
	if err != nil {
		return false, fmt.Errorf("store: rescheduling status %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// DeleteScheduledStatus deletes a status still in state, reporting
// whether it was.
func DeleteScheduledStatus(ctx context.Context, db DB, id model.ID, state string) (bool, error) {
	tag, err := db.Exec(ctx, `DELETE FROM scheduled_statuses WHERE id = $1 AND state = $2`, id, state)
	if err != nil {
		return false, fmt.Errorf("store: deleting scheduled status %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetScheduledPost records the post a scheduled status became.
func SetScheduledPost(ctx context.Context, db DB, id, postID model.ID) error {
	if _, err := db.Exec(ctx, `UPDATE scheduled_statuses SET post_id = $2 WHERE id = $1`, id, postID); err != nil {
		return fmt.Errorf("store: publishing scheduled status %d: %w", id, err)
	}
	return nil
}

// KeepUploadsUntil keeps an owner's uploads waiting for a post (state
// ready) from being abandoned before at: a scheduled status holds them.
// The media graph counts their waiting time from at.
func KeepUploadsUntil(ctx context.Context, db DB, owner model.ID, ids []model.ID, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := db.Exec(ctx, `UPDATE media_attachments SET state_changed = greatest(state_changed, $3),
		state_next_attempt = greatest(state_next_attempt, $3 + interval '1 day')
		WHERE owner_id = $1 AND id = ANY ($2::bigint[]) AND post_id IS NULL AND state = 'ready'`, owner, int64s(ids), at)
	if err != nil {
		return fmt.Errorf("store: keeping uploads of %d: %w", owner, err)
	}
	return nil
}
