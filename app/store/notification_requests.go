package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// NotificationRequest is the filtered notifications of one sender to an
// identity (Mastodon's NotificationRequest). The schema's trigger files
// them as notifications are written; accepting or dismissing ends it.
type NotificationRequest struct {
	ID         model.ID
	IdentityID model.ID
	FromID     model.ID
	// LastPostID is the post of the newest filtered notification that had
	// one, 0 when none or when the identity may not see it.
	LastPostID model.ID
	Created    time.Time
	Updated    time.Time
	// Count is how many filtered notifications wait, at most
	// MaxRequestNotifications.
	Count int
}

// MaxRequestNotifications caps the count of a request, as Mastodon's
// (beyond it the number says "many").
const MaxRequestNotifications = 100

// requestPending is the condition that request r of identity $1 holds
// filtered notifications still shown (of the sender, not dismissed).
var requestPending = `EXISTS (SELECT 1 FROM timeline_events e WHERE e.identity_id = $1 AND e.subject_id = r.from_id
	AND e.filtered AND e.type <> 'post' AND ` + notificationShown() + `)`

// requestColumns reads a request r of identity $1 with its count.
var requestColumns = `r.id, r.identity_id, r.from_id,
	coalesce((SELECT p.id FROM posts p WHERE p.id = r.last_post_id AND ` + VisibleTo("$1") + `), 0),
	r.created, r.updated,
	(SELECT count(*) FROM (SELECT 1 FROM timeline_events e WHERE e.identity_id = $1 AND e.subject_id = r.from_id
		AND e.filtered AND e.type <> 'post' AND ` + notificationShown() + ` LIMIT ` + fmt.Sprint(MaxRequestNotifications) + `) c)`

func collectRequests(rows pgx.Rows, err error) ([]*NotificationRequest, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*NotificationRequest
	for rows.Next() {
		var r NotificationRequest
		if err := rows.Scan(&r.ID, &r.IdentityID, &r.FromID, &r.LastPostID, &r.Created, &r.Updated, &r.Count); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// NotificationRequests returns a page of an identity's pending requests,
// newest first, paged by request id (limit up to MaxNotificationLimit).
func NotificationRequests(ctx context.Context, db DB, identityID model.ID, pg Page, limit int) ([]*NotificationRequest, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	limit = max(1, min(limit, MaxNotificationLimit))
	out, err := collectRequests(db.Query(ctx, `SELECT `+requestColumns+` FROM notification_requests r
		WHERE r.identity_id = $1 AND ($2::bigint = 0 OR r.id < $2) AND ($3::bigint = 0 OR r.id > $3) AND `+requestPending+`
		ORDER BY r.id `+order+` LIMIT $4`, identityID, int64(pg.MaxID), int64(lower), limit))
	if err != nil {
		return nil, fmt.Errorf("store: notification requests of %d: %w", identityID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// NotificationRequestByID returns one pending request of an identity, nil
// when it has no such request (or nothing waits in it).
func NotificationRequestByID(ctx context.Context, db DB, identityID, id model.ID) (*NotificationRequest, error) {
	out, err := collectRequests(db.Query(ctx, `SELECT `+requestColumns+` FROM notification_requests r
		WHERE r.identity_id = $1 AND r.id = $2 AND `+requestPending, identityID, id))
	if err != nil {
		return nil, fmt.Errorf("store: notification request %d: %w", id, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out[0], nil
}

// AcceptNotificationRequests accepts requests of an identity (ids not
// its own are ignored), in one statement: their senders' notifications
// pass the policy from now on, the filtered ones join the notification
// list, and the requests end. It returns how many it accepted.
func AcceptNotificationRequests(ctx context.Context, db DB, identityID model.ID, ids []model.ID) (int, error) {
	var n int
	err := db.QueryRow(ctx, `WITH r AS (
			DELETE FROM notification_requests WHERE identity_id = $1 AND id = ANY ($2::bigint[]) RETURNING from_id
		), allowed AS (
			INSERT INTO notification_permissions (identity_id, from_id) SELECT $1, from_id FROM r ON CONFLICT DO NOTHING
		), merged AS (
			UPDATE timeline_events e SET filtered = false FROM r
			WHERE e.identity_id = $1 AND e.subject_id = r.from_id AND e.filtered AND e.type <> 'post'
		)
		SELECT count(*) FROM r`, identityID, int64s(ids)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: accepting notification requests of %d: %w", identityID, err)
	}
	return n, nil
}

// DismissNotificationRequests dismisses requests of an identity (ids not
// its own are ignored): the requests end and their filtered notifications
// are dismissed with them. A later filtered notification of the sender
// opens a new request, as in Mastodon. It returns how many it dismissed.
func DismissNotificationRequests(ctx context.Context, db DB, identityID model.ID, ids []model.ID) (int, error) {
	var n int
	err := db.QueryRow(ctx, `WITH r AS (
			DELETE FROM notification_requests WHERE identity_id = $1 AND id = ANY ($2::bigint[]) RETURNING from_id
		), gone AS (
			UPDATE timeline_events e SET dismissed = true FROM r
			WHERE e.identity_id = $1 AND e.subject_id = r.from_id AND e.filtered AND e.type <> 'post' AND NOT e.dismissed
		)
		SELECT count(*) FROM r`, identityID, int64s(ids)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: dismissing notification requests of %d: %w", identityID, err)
	}
	return n, nil
}
