package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// NotificationFilter narrows the notifications read (the client API's
// types[], exclude_types[], account_id, include_filtered).
type NotificationFilter struct {
	Types        []string // only these (all when empty)
	ExcludeTypes []string
	AccountID    model.ID // only those caused by this identity (0: anyone)
	// IncludeFiltered also returns those the identity's notification
	// policy hides.
	IncludeFiltered bool
}

// MaxNotificationLimit bounds a page of notifications (Mastodon's 80).
const MaxNotificationLimit = 80

// notificationShown is the condition that notification e (of identity
// $1) is shown: not dismissed, about a post $1 may still see (or none),
// from an identity not deleted, not of a thread $1 muted before it came.
func notificationShown() string {
	return `NOT e.dismissed
		AND (e.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = e.post_id AND ` + VisibleTo("$1") + `))
		AND EXISTS (SELECT 1 FROM identities s WHERE s.id = e.subject_id AND s.deleted IS NULL)
		AND NOT EXISTS (SELECT 1 FROM posts tp JOIN thread_mutes tm ON tm.identity_id = $1
			AND tm.thread = coalesce(nullif(tp.context, ''), tp.uri) WHERE tp.id = e.post_id AND tm.created <= e.created)`
}

// notificationFiltered is the condition that the notification policy of
// identity $1 filtered notification e when it was written (see
// notification_policy_apply in the schema): it waits in its sender's
// notification request.
const notificationFiltered = `e.filtered`

// notificationWhere builds the condition of a notification query of
// identity $1 with f; args continue from $2 and are appended.
func notificationWhere(f NotificationFilter, args *[]any) string {
	next := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	w := []string{"e.identity_id = $1", "e.type <> 'post'", notificationShown()}
	if len(f.Types) > 0 {
		w = append(w, "e.type = ANY ("+next(nonNilStrings(f.Types))+"::text[])")
	}
	if len(f.ExcludeTypes) > 0 {
		w = append(w, "NOT (e.type = ANY ("+next(nonNilStrings(f.ExcludeTypes))+"::text[]))")
	}
	if f.AccountID != 0 {
		w = append(w, "e.subject_id = "+next(int64(f.AccountID)))
	}
	if !f.IncludeFiltered {
		w = append(w, "NOT "+notificationFiltered)
	}
	return strings.Join(w, " AND ")
}

const notificationColumns = `e.id, e.identity_id, e.type, coalesce(e.post_id, 0), coalesce(e.subject_id, 0), e.created, e.seen`

func collectNotifications(rows pgx.Rows, err error) ([]*model.Notification, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*model.Notification
	for rows.Next() {
		var n model.Notification
		if err := rows.Scan(&n.ID, &n.IdentityID, &n.Type, &n.PostID, &n.SubjectID, &n.Created, &n.Seen); err != nil {
			return nil, err
		}
		out = append(out, &n)
	}
	return out, rows.Err()
}

// NotificationPage returns a page of an identity's notifications, newest
// first, paged by notification id (limit up to MaxNotificationLimit).
func NotificationPage(ctx context.Context, db DB, identityID model.ID, f NotificationFilter, pg Page, limit int) ([]*model.Notification, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	limit = max(1, min(limit, MaxNotificationLimit))
	args := []any{identityID, int64(pg.MaxID), int64(lower), limit}
	where := notificationWhere(f, &args)
	out, err := collectNotifications(db.Query(ctx, `SELECT `+notificationColumns+` FROM timeline_events e
		WHERE `+where+` AND ($2::bigint = 0 OR e.id < $2) AND ($3::bigint = 0 OR e.id > $3)
		ORDER BY e.id `+order+` LIMIT $4`, args...))
	if err != nil {
		return nil, fmt.Errorf("store: notifications of %d: %w", identityID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// NotificationByID returns one shown notification of an identity, or nil.
func NotificationByID(ctx context.Context, db DB, identityID model.ID, id int64) (*model.Notification, error) {
	args := []any{identityID, id}
	where := notificationWhere(NotificationFilter{IncludeFiltered: true}, &args)
	out, err := collectNotifications(db.Query(ctx, `SELECT `+notificationColumns+` FROM timeline_events e
		WHERE `+where+` AND e.id = $2`, args...))
	if err != nil {
		return nil, fmt.Errorf("store: notification %d: %w", id, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out[0], nil
}

// UnreadNotificationCount counts an identity's shown notifications newer
// than after (its notifications marker), at most limit.
func UnreadNotificationCount(ctx context.Context, db DB, identityID model.ID, f NotificationFilter, after model.ID, limit int) (int, error) {
	args := []any{identityID, int64(after), limit}
	where := notificationWhere(f, &args)
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM timeline_events e WHERE `+where+` AND e.id > $2
		ORDER BY e.id DESC LIMIT $3) x`, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unread notifications of %d: %w", identityID, err)
	}
	return n, nil
}

// FilteredNotificationCounts counts the shown notifications an identity's
// policy hides, and the distinct identities they come from (at most 100,
// as Mastodon caps them).
func FilteredNotificationCounts(ctx context.Context, db DB, identityID model.ID) (notifications, accounts int, err error) {
	err = db.QueryRow(ctx, `SELECT count(*), least(count(DISTINCT e.subject_id), 100) FROM timeline_events e
		WHERE e.identity_id = $1 AND e.type <> 'post' AND `+notificationShown()+` AND `+notificationFiltered, identityID).
		Scan(&notifications, &accounts)
	if err != nil {
		return 0, 0, fmt.Errorf("store: filtered notifications of %d: %w", identityID, err)
	}
	return notifications, accounts, nil
}

// NotificationPolicy is which notifications an identity wants: each
// field accept, filter or drop.
type NotificationPolicy struct {
	ForNotFollowing, ForNotFollowers, ForNewAccounts, ForPrivateMentions, ForLimitedAccounts string
}

// DefaultNotificationPolicy is the policy of an identity that set none:
// everything accepted.
var DefaultNotificationPolicy = NotificationPolicy{"accept", "accept", "accept", "accept", "accept"}

// NotificationPolicyOf returns an identity's policy.
func NotificationPolicyOf(ctx context.Context, db DB, identityID model.ID) (NotificationPolicy, error) {
	p := DefaultNotificationPolicy
	err := db.QueryRow(ctx, `SELECT for_not_following, for_not_followers, for_new_accounts, for_private_mentions,
		for_limited_accounts FROM notification_policies WHERE identity_id = $1`, identityID).
		Scan(&p.ForNotFollowing, &p.ForNotFollowers, &p.ForNewAccounts, &p.ForPrivateMentions, &p.ForLimitedAccounts)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("store: notification policy of %d: %w", identityID, err)
	}
	return p, nil
}

// SaveNotificationPolicy writes an identity's policy.
func SaveNotificationPolicy(ctx context.Context, db DB, identityID model.ID, p NotificationPolicy) error {
	_, err := db.Exec(ctx, `INSERT INTO notification_policies (identity_id, for_not_following, for_not_followers,
		for_new_accounts, for_private_mentions, for_limited_accounts) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (identity_id) DO UPDATE SET for_not_following = $2, for_not_followers = $3, for_new_accounts = $4,
		for_private_mentions = $5, for_limited_accounts = $6, updated = now()`,
		identityID, p.ForNotFollowing, p.ForNotFollowers, p.ForNewAccounts, p.ForPrivateMentions, p.ForLimitedAccounts)
	if err != nil {
		return fmt.Errorf("store: saving notification policy of %d: %w", identityID, err)
	}
	return nil
}

// GroupableNotificationTypes are the types whose notifications group
// (Mastodon's): likes and boosts of one post, and follows, within hours.
var GroupableNotificationTypes = []string{NotifyFavourite, NotifyReblog, NotifyFollow}

// notificationGroupHours is the time slot of a group.
const notificationGroupHours = 1

// NotificationGroupKey is the group key of a notification when its type
// may group (grouped lists the types that do): the type, the post for
// likes and boosts, and the hour it came in; "ungrouped-<id>" otherwise.
func NotificationGroupKey(n *model.Notification, grouped []string) string {
	if !slices.Contains(grouped, n.Type) || !slices.Contains(GroupableNotificationTypes, n.Type) {
		return "ungrouped-" + strconv.FormatInt(n.ID, 10)
	}
	slot := strconv.FormatInt(n.Created.Unix()/int64(notificationGroupHours*time.Hour/time.Second), 10)
	if n.Type == NotifyFollow {
		return n.Type + "-" + slot
	}
	return n.Type + "-" + strconv.FormatInt(int64(n.PostID), 10) + "-" + slot
}

// groupKeySQL is NotificationGroupKey in SQL, grouped being the
// parameter of the types that group.
func groupKeySQL(grouped string) string {
	slot := fmt.Sprintf("floor(extract(epoch FROM e.created) / %d)::bigint::text", notificationGroupHours*3600)
	return `(CASE WHEN e.type = 'follow' AND e.type = ANY (` + grouped + `::text[]) THEN e.type || '-' || ` + slot + `
		WHEN e.type IN ('favourite', 'reblog') AND e.type = ANY (` + grouped + `::text[])
			THEN e.type || '-' || e.post_id::text || '-' || ` + slot + `
		ELSE 'ungrouped-' || e.id::text END)`
}
