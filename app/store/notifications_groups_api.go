package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"pukeko/app/model"
)

// NotificationGroup is notifications of one group key (grouped
// notifications, /api/v2/notifications) within a page.
type NotificationGroup struct {
	Key        string
	Type       string
	PostID     model.ID // 0 for follows
	MostRecent int64    // newest notification id in the page
	Oldest     int64    // oldest notification id in the page
	Count      int
	Latest     time.Time
	// Subjects are who caused the newest notifications, newest first (at
	// most 8).
	Subjects []model.ID
}

// notificationGroupScan bounds how many notifications one page of groups
// looks at: groups beyond it continue on the next page.
const notificationGroupScan = 1000

// groupQuery runs a grouping of the notifications of $1 matching where
// (args as built by notificationWhere), bounded by the page.
func groupQuery(ctx context.Context, db DB, identityID model.ID, where string, args []any, order string, limit int) ([]*NotificationGroup, error) {
	args = append(args, limit)
	rows, err := db.Query(ctx, `WITH n AS (
			SELECT e.id, e.type, e.post_id, e.subject_id, e.created, `+groupKeySQL("$4")+` AS gk FROM timeline_events e
			WHERE `+where+` AND ($2::bigint = 0 OR e.id < $2) AND ($3::bigint = 0 OR e.id > $3)
			ORDER BY e.id `+order+` LIMIT `+strconv.Itoa(notificationGroupScan)+`
		)
		SELECT gk, min(type), coalesce(max(post_id), 0), max(id), min(id), count(*), max(created),
			(array_agg(subject_id ORDER BY id DESC))[1:8]
		FROM n GROUP BY gk ORDER BY max(id) `+order+` LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: notification groups of %d: %w", identityID, err)
	}
	defer rows.Close()
	var out []*NotificationGroup
	for rows.Next() {
		var g NotificationGroup
		var subjects []int64
		if err := rows.Scan(&g.Key, &g.Type, &g.PostID, &g.MostRecent, &g.Oldest, &g.Count, &g.Latest, &subjects); err != nil {
			return nil, fmt.Errorf("store: notification groups of %d: %w", identityID, err)
		}
		g.Subjects = idsOf(subjects)
		out = append(out, &g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notification groups of %d: %w", identityID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// NotificationGroups returns a page of an identity's notifications
// grouped by group key (grouped: the types that may group), the group
// with the newest notification first, paged by notification id.
func NotificationGroups(ctx context.Context, db DB, identityID model.ID, f NotificationFilter, grouped []string, pg Page, limit int) ([]*NotificationGroup, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	limit = max(1, min(limit, MaxNotificationLimit))
	args := []any{identityID, int64(pg.MaxID), int64(lower), nonNilStrings(grouped)}
	where := notificationWhere(f, &args)
	return groupQuery(ctx, db, identityID, where, args, order, limit)
}

// NotificationGroupByKey returns one group of an identity's shown
// notifications, nil when it has none.
func NotificationGroupByKey(ctx context.Context, db DB, identityID model.ID, key string) (*NotificationGroup, error) {
	args := []any{identityID, int64(0), int64(0), GroupableNotificationTypes}
	where := notificationWhere(NotificationFilter{IncludeFiltered: true}, &args)
	args = append(args, key)
	where += " AND " + groupKeySQL("$4") + " = $" + strconv.Itoa(len(args))
	out, err := groupQuery(ctx, db, identityID, where, args, "DESC", 1)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return out[0], nil
}

// NotificationGroupSubjects returns who caused the shown notifications of
// a group, newest first.
func NotificationGroupSubjects(ctx context.Context, db DB, identityID model.ID, key string) ([]model.ID, error) {
	args := []any{identityID, GroupableNotificationTypes, key}
	where := notificationWhere(NotificationFilter{IncludeFiltered: true}, &args)
	rows, err := db.Query(ctx, `SELECT e.subject_id FROM timeline_events e WHERE `+where+` AND `+groupKeySQL("$2")+` = $3
		ORDER BY e.id DESC LIMIT `+strconv.Itoa(MaxNotificationLimit), args...)
	if err != nil {
		return nil, fmt.Errorf("store: accounts of notification group %s: %w", key, err)
	}
	defer rows.Close()
	var out []model.ID
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: accounts of notification group %s: %w", key, err)
		}
		out = append(out, model.ID(id))
	}
	return out, rows.Err()
}

// DismissNotificationGroup dismisses every notification of a group of an
// identity.
func DismissNotificationGroup(ctx context.Context, db DB, identityID model.ID, key string) error {
	_, err := db.Exec(ctx, `UPDATE timeline_events e SET dismissed = true WHERE e.identity_id = $1 AND e.type <> 'post'
		AND NOT e.dismissed AND `+groupKeySQL("$2")+` = $3`, identityID, GroupableNotificationTypes, key)
	if err != nil {
		return fmt.Errorf("store: dismissing notification group %s: %w", key, err)
	}
	return nil
}

// UnreadNotificationGroupCount counts the groups of an identity's shown
// notifications newer than after (its notifications marker), at most
// limit (grouped: the types that may group).
func UnreadNotificationGroupCount(ctx context.Context, db DB, identityID model.ID, f NotificationFilter, grouped []string, after model.ID, limit int) (int, error) {
	args := []any{identityID, int64(after), nonNilStrings(grouped), limit}
	where := notificationWhere(f, &args)
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM (SELECT DISTINCT `+groupKeySQL("$3")+` FROM (
			SELECT e.* FROM timeline_events e WHERE `+where+` AND e.id > $2 ORDER BY e.id DESC LIMIT `+strconv.Itoa(notificationGroupScan)+`
		) e LIMIT $4) x`, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unread notification groups of %d: %w", identityID, err)
	}
	return n, nil
}
