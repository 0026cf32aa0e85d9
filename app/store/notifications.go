package store

import (
	"context"
	"fmt"
	"slices"

	"pukeko/app/model"
)

// Notification types: timeline events other than home-timeline posts.
const (
	NotifyMention       = "mention"
	NotifyFollow        = "follow"
	NotifyFollowRequest = "follow_request"
	NotifyFavourite     = "favourite"
	NotifyReblog        = "reblog"
	NotifyStatus        = "status"
	NotifyUpdate        = "update"
	NotifyPoll          = "poll"
)

// NotificationTypes lists every notification type.
var NotificationTypes = []string{NotifyMention, NotifyFollow, NotifyFollowRequest, NotifyFavourite, NotifyReblog,
	NotifyStatus, NotifyUpdate, NotifyPoll}

// notificationsSilenced is the condition that identity $1 does not want to
// hear from subject (SQL expression): it blocks it, or mutes it with
// notifications hidden, while the mute lasts.
func notificationsSilenced(identity, subject string) string {
	return `(EXISTS (SELECT 1 FROM blocks b WHERE b.source_id = ` + identity + ` AND b.target_id = ` + subject + `
		AND ((NOT b.mute AND b.state IN ('new', 'sent')) OR (b.mute AND b.notifications AND b.state = 'muted'
			AND (b.expires IS NULL OR b.expires > now())))) OR ` + DomainBlockedBy(identity, subject) + `)`
}

// AddNotification writes a notification of typ for a local identity about
// subject (and post, 0 for none), unless the identity silenced the subject
// or the same notification exists (a handler run again writes nothing, and
// a dismissed one stays dismissed). It reports whether it wrote one; the
// recipient's notification policy may still drop or filter it within the
// statement (notification_policy_apply in the schema).
func AddNotification(ctx context.Context, db DB, identityID model.ID, typ string, postID, subjectID model.ID) (bool, error) {
	if !slices.Contains(NotificationTypes, typ) {
		return false, fmt.Errorf("store: unknown notification type %q", typ)
	}
	var post any
	if postID != 0 {
		post = postID
	}
	tag, err := db.Exec(ctx, `INSERT INTO timeline_events (id, identity_id, type, post_id, subject_id)
		SELECT nextval('timeline_events_id_seq'), $1::bigint, $2::text, $3::bigint, $4::bigint
		WHERE $1::bigint <> $4::bigint AND NOT `+notificationsSilenced("$1", "$4")+`
		AND NOT EXISTS (SELECT 1 FROM timeline_events e WHERE e.identity_id = $1 AND e.type <> 'post'
			AND e.type = $2 AND e.post_id IS NOT DISTINCT FROM $3::bigint AND e.subject_id = $4)`,
		identityID, typ, post, subjectID)
	if err != nil {
		return false, fmt.Errorf("store: notifying %d of %s: %w", identityID, typ, err)
	}
	return tag.RowsAffected() == 1, nil
}

// RemoveNotification deletes the notification of typ about subject (and
// post, 0 for none) of an identity: the like or follow was undone.
func RemoveNotification(ctx context.Context, db DB, identityID model.ID, typ string, postID, subjectID model.ID) error {
	var post any
	if postID != 0 {
		post = postID
	}
	_, err := db.Exec(ctx, `DELETE FROM timeline_events e WHERE e.identity_id = $1 AND e.type <> 'post'
		AND e.type = $2 AND e.post_id IS NOT DISTINCT FROM $3::bigint AND e.subject_id = $4`, identityID, typ, post, subjectID)
	if err != nil {
		return fmt.Errorf("store: removing %s notification of %d: %w", typ, identityID, err)
	}
	return nil
}

// NotifyMentioned writes mention notifications for the local identities a
// post mentions, from its author, in one statement.
func NotifyMentioned(ctx context.Context, db DB, p *model.Post) error {
	if len(p.Mentions) == 0 {
		return nil
	}
	_, err := db.Exec(ctx, `INSERT INTO timeline_events (id, identity_id, type, post_id, subject_id)
		SELECT nextval('timeline_events_id_seq'), i.id, 'mention', $1, $2
		FROM identities i WHERE i.id = ANY ($3) AND i.local AND i.deleted IS NULL AND i.id <> $2
		AND NOT `+notificationsSilenced("i.id", "$2")+`
		AND NOT EXISTS (SELECT 1 FROM timeline_events e WHERE e.identity_id = i.id AND e.type <> 'post'
			AND e.type = 'mention' AND e.post_id = $1)`, p.ID, p.AuthorID, int64s(p.Mentions))
	if err != nil {
		return fmt.Errorf("store: mentions of post %d: %w", p.ID, err)
	}
	return nil
}

// NotifyBoostersOfEdit writes update notifications for the local
// identities that boost an edited post, once per edit: a new edit makes a
// new notification (the older ones of the post are replaced).
func NotifyBoostersOfEdit(ctx context.Context, db DB, p *model.Post) error {
	_, err := db.Exec(ctx, `WITH boosters AS (
			SELECT pi.identity_id AS id FROM post_interactions pi JOIN identities i ON i.id = pi.identity_id AND i.local
			WHERE pi.post_id = $1 AND pi.type = 'boost' AND `+activeInteraction+` AND pi.identity_id <> $2
		), old AS (
			DELETE FROM timeline_events e WHERE e.identity_id IN (SELECT id FROM boosters) AND e.type <> 'post'
			AND e.type = 'update' AND e.post_id = $1
		)
		INSERT INTO timeline_events (id, identity_id, type, post_id, subject_id)
		SELECT nextval('timeline_events_id_seq'), b.id, 'update', $1, $2 FROM boosters b
		WHERE NOT `+notificationsSilenced("b.id", "$2"), p.ID, p.AuthorID)
	if err != nil {
		return fmt.Errorf("store: update notifications of post %d: %w", p.ID, err)
	}
	return nil
}

// Notifications returns a page of an identity's notifications, newest
// first, paged by notification id: only the types listed (all when
// empty), without those excluded. Dismissed and filtered ones are left
// out, and so are those about deleted posts.
func Notifications(ctx context.Context, db DB, identityID model.ID, pg Page, types, excludeTypes []string) ([]*model.Notification, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	rows, err := db.Query(ctx, `SELECT e.id, e.identity_id, e.type, coalesce(e.post_id, 0), coalesce(e.subject_id, 0), e.created, e.seen
		FROM timeline_events e
		WHERE e.identity_id = $1 AND e.type <> 'post' AND NOT e.dismissed AND NOT e.filtered
		AND ($2::bigint = 0 OR e.id < $2) AND ($3::bigint = 0 OR e.id > $3)
		AND (cardinality($4::text[]) = 0 OR e.type = ANY ($4)) AND NOT (e.type = ANY ($5::text[]))
		AND (e.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = e.post_id AND p.deleted IS NULL))
		ORDER BY e.id `+order+` LIMIT $6`,
		identityID, int64(pg.MaxID), int64(lower), nonNilStrings(types), nonNilStrings(excludeTypes), pg.limit())
	if err != nil {
		return nil, fmt.Errorf("store: notifications of %d: %w", identityID, err)
	}
	defer rows.Close()
	var out []*model.Notification
	for rows.Next() {
		var n model.Notification
		if err := rows.Scan(&n.ID, &n.IdentityID, &n.Type, &n.PostID, &n.SubjectID, &n.Created, &n.Seen); err != nil {
			return nil, fmt.Errorf("store: notifications of %d: %w", identityID, err)
		}
		out = append(out, &n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notifications of %d: %w", identityID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// DismissNotification dismisses one notification of an identity,
// reporting whether there was one.
func DismissNotification(ctx context.Context, db DB, identityID model.ID, id int64) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE timeline_events SET dismissed = true
		WHERE identity_id = $1 AND type <> 'post' AND id = $2 AND NOT dismissed`, identityID, id)
	if err != nil {
		return false, fmt.Errorf("store: dismissing notification %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ClearNotifications deletes every notification of an identity.
func ClearNotifications(ctx context.Context, db DB, identityID model.ID) error {
	if _, err := db.Exec(ctx, `DELETE FROM timeline_events WHERE identity_id = $1 AND type <> 'post'`, identityID); err != nil {
		return fmt.Errorf("store: clearing notifications of %d: %w", identityID, err)
	}
	return nil
}

// MarkNotificationsSeen marks an identity's notifications up to id (all
// when 0) seen.
func MarkNotificationsSeen(ctx context.Context, db DB, identityID model.ID, upTo int64) error {
	if _, err := db.Exec(ctx, `UPDATE timeline_events SET seen = true WHERE identity_id = $1 AND type <> 'post'
		AND ($2::bigint = 0 OR id <= $2) AND NOT seen`, identityID, upTo); err != nil {
		return fmt.Errorf("store: marking notifications of %d seen: %w", identityID, err)
	}
	return nil
}
