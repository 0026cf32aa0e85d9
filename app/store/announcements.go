package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const announcementColumns = `a.id, coalesce(a.domain, ''), a.text, a.content, a.starts_at, a.ends_at, a.all_day, a.published,
	a.created, a.updated`

func collectAnnouncements(rows pgx.Rows, err error) ([]*model.Announcement, error) {
	if err != nil {
		return nil, fmt.Errorf("store: announcements: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Announcement, error) {
		var a model.Announcement
		err := row.Scan(&a.ID, &a.Domain, &a.Text, &a.Content, &a.StartsAt, &a.EndsAt, &a.AllDay, &a.Published, &a.Created, &a.Updated)
		return &a, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: announcements: %w", err)
	}
	return out, nil
}

// CreateAnnouncement stores an announcement (setting its id and times).
func CreateAnnouncement(ctx context.Context, db DB, a *model.Announcement) error {
	a.ID = model.NewID()
	var domain *string
	if a.Domain != "" {
		domain = &a.Domain
	}
	err := db.QueryRow(ctx, `INSERT INTO announcements (id, domain, text, content, starts_at, ends_at, all_day, published)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING created, updated`,
		a.ID, domain, a.Text, a.Content, a.StartsAt, a.EndsAt, a.AllDay, a.Published).Scan(&a.Created, &a.Updated)
	if err != nil {
		return fmt.Errorf("store: creating announcement: %w", err)
	}
	return nil
}

// PublishAnnouncement publishes (or, with publish false, withdraws) an
// announcement; false when there is none.
func PublishAnnouncement(ctx context.Context, db DB, id model.ID, publish bool) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE announcements SET published = CASE WHEN $2 THEN coalesce(published, now()) END,
		updated = now() WHERE id = $1`, id, publish)
	if err != nil {
		return false, fmt.Errorf("store: publishing announcement %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// DeleteAnnouncement deletes an announcement; false when there is none.
func DeleteAnnouncement(ctx context.Context, db DB, id model.ID) (bool, error) {
	tag, err := db.Exec(ctx, `DELETE FROM announcements WHERE id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("store: deleting announcement %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// activeAnnouncement is the condition that announcement a is shown on
// domain $1 now: published, for that domain or all, and not ended.
const activeAnnouncement = `a.published IS NOT NULL AND (a.domain IS NULL OR a.domain = $1)
	AND (a.ends_at IS NULL OR a.ends_at > now())`

// ActiveAnnouncement returns announcement id when it is shown on domain,
// else nil.
func ActiveAnnouncement(ctx context.Context, db DB, domain string, id model.ID) (*model.Announcement, error) {
	list, err := collectAnnouncements(db.Query(ctx, `SELECT `+announcementColumns+` FROM announcements a
		WHERE `+activeAnnouncement+` AND a.id = $2`, domain, id))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// AnnouncementView is an announcement as one reader sees it.
type AnnouncementView struct {
	*model.Announcement
	Read      bool // the reader dismissed it
	Reactions []model.AnnouncementReaction
}

// ActiveAnnouncements returns the announcements shown on domain, oldest
// first, with reader's dismissals and everyone's reactions (reader's
// marked); dismissed ones only when withDismissed.
func ActiveAnnouncements(ctx context.Context, db DB, domain string, reader model.ID, withDismissed bool) ([]AnnouncementView, error) {
	rows, err := db.Query(ctx, `SELECT `+announcementColumns+`,
			EXISTS (SELECT 1 FROM announcement_dismissals d WHERE d.announcement_id = a.id AND d.identity_id = $2),
			coalesce((SELECT json_agg(json_build_object('name', r.name, 'count', r.n, 'me', r.me) ORDER BY r.first)
				FROM (SELECT name, count(*) AS n, bool_or(identity_id = $2) AS me, min(created) AS first
					FROM announcement_reactions WHERE announcement_id = a.id GROUP BY name) r), '[]')
		FROM announcements a WHERE `+activeAnnouncement+`
		AND ($3 OR NOT EXISTS (SELECT 1 FROM announcement_dismissals d WHERE d.announcement_id = a.id AND d.identity_id = $2))
		ORDER BY coalesce(a.starts_at, a.published), a.id`, domain, reader, withDismissed)
	if err != nil {
		return nil, fmt.Errorf("store: announcements of %s: %w", domain, err)
	}
	defer rows.Close()
	var out []AnnouncementView
	for rows.Next() {
		var a model.Announcement
		var v AnnouncementView
		var reactions []byte
		if err := rows.Scan(&a.ID, &a.Domain, &a.Text, &a.Content, &a.StartsAt, &a.EndsAt, &a.AllDay, &a.Published,
			&a.Created, &a.Updated, &v.Read, &reactions); err != nil {
			return nil, fmt.Errorf("store: announcements of %s: %w", domain, err)
		}
		var rs []struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
			Me    bool   `json:"me"`
		}
		if err := json.Unmarshal(reactions, &rs); err != nil {
			return nil, fmt.Errorf("store: reactions of announcement %d: %w", a.ID, err)
		}
		for _, r := range rs {
			v.Reactions = append(v.Reactions, model.AnnouncementReaction{Name: r.Name, Count: r.Count, Me: r.Me})
		}
		v.Announcement = &a
		out = append(out, v)
	}
	return out, rows.Err()
}

// DismissAnnouncement marks an announcement read by an identity.
func DismissAnnouncement(ctx context.Context, db DB, id, identity model.ID) error {
	_, err := db.Exec(ctx, `INSERT INTO announcement_dismissals (announcement_id, identity_id) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, id, identity)
	if err != nil {
		return fmt.Errorf("store: dismissing announcement %d: %w", id, err)
	}
	return nil
}

// ErrTooManyReactions means an announcement has the most distinct
// reactions allowed and a new one was asked for.
var ErrTooManyReactions = errors.New("too many reactions")

// MaxAnnouncementReactions is how many distinct reactions an announcement
// may have, as in Mastodon.
const MaxAnnouncementReactions = 8

// AddAnnouncementReaction records identity's reaction name; again changes
// nothing.
func AddAnnouncementReaction(ctx context.Context, db DB, id, identity model.ID, name string) error {
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		// Lock the announcement: the count of distinct reactions must not
		// be passed by two requests at once.
		var n int
		var exists bool
		err := tx.QueryRow(ctx, `SELECT count(DISTINCT r.name), bool_or(r.name = $2) IS TRUE FROM announcement_reactions r
			WHERE r.announcement_id = (SELECT id FROM announcements WHERE id = $1 FOR UPDATE)`, id, name).Scan(&n, &exists)
		if err != nil {
			return fmt.Errorf("store: reactions of announcement %d: %w", id, err)
		}
		if !exists && n >= MaxAnnouncementReactions {
			return ErrTooManyReactions
		}
		_, err = tx.Exec(ctx, `INSERT INTO announcement_reactions (announcement_id, identity_id, name) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, id, identity, name)
		if err != nil {
			return fmt.Errorf("store: reacting to announcement %d: %w", id, err)
		}
		return nil
	})
}

// RemoveAnnouncementReaction takes back identity's reaction name.
func RemoveAnnouncementReaction(ctx context.Context, db DB, id, identity model.ID, name string) error {
	_, err := db.Exec(ctx, `DELETE FROM announcement_reactions WHERE announcement_id = $1 AND identity_id = $2 AND name = $3`,
		id, identity, name)
	if err != nil {
		return fmt.Errorf("store: removing reaction to announcement %d: %w", id, err)
	}
	return nil
}
