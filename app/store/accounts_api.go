package store

import (
	"context"
	"fmt"
	"time"

	"pukeko/app/model"
)

// Relationship is what one identity's follows, blocks, mutes, notes and
// endorsements say about another account, raw: the follow states are the
// follow graph's (app/social reads them).
type Relationship struct {
	ID     model.ID
	Local  bool   // the other account is ours
	Locked bool   // the other account approves its followers
	Domain string // the other account's domain

	// The viewer's follow of the account: its state ("" for none) and
	// options.
	FollowState string
	Boosts      bool
	Notify      bool
	Languages   []string
	// The account's follow of the viewer: its state ("" for none).
	FollowedState string

	Blocking            bool
	BlockedBy           bool
	Muting              bool
	MutingNotifications bool
	MuteExpires         *time.Time
	DomainBlocking      bool
	Endorsed            bool
	Note                string
}

// Relationships returns the viewer's relationship with each of ids that
// exists (deleted accounts only when withDeleted), in one query.
func Relationships(ctx context.Context, db DB, viewer model.ID, ids []model.ID, withDeleted bool) (map[model.ID]*Relationship, error) {
	out := make(map[model.ID]*Relationship, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.Query(ctx, `SELECT t.id, t.local, t.locked, coalesce(t.domain, ''),
			coalesce(fo.state, ''), coalesce(fo.boosts, true), coalesce(fo.notify, false), fo.languages,
			coalesce(fb.state, ''),
			EXISTS (SELECT 1 FROM blocks b WHERE b.source_id = $1 AND b.target_id = t.id AND NOT b.mute
				AND b.state IN ('new', 'sent')),
			EXISTS (SELECT 1 FROM blocks b WHERE b.source_id = t.id AND b.target_id = $1 AND NOT b.mute
				AND b.state IN ('new', 'sent', 'received')),
			mu.id IS NOT NULL, coalesce(mu.notifications, false), mu.expires,
			EXISTS (SELECT 1 FROM identity_domain_blocks d WHERE d.identity_id = $1 AND d.domain = t.domain),
			EXISTS (SELECT 1 FROM endorsements e WHERE e.identity_id = $1 AND e.target_id = t.id)
				AND (fo.state = 'accepted' OR (fo.state = 'unrequested' AND t.local AND NOT t.locked)),
			coalesce(n.comment, '')
		FROM identities t
		LEFT JOIN follows fo ON fo.source_id = $1 AND fo.target_id = t.id
		LEFT JOIN follows fb ON fb.source_id = t.id AND fb.target_id = $1
		LEFT JOIN blocks mu ON mu.source_id = $1 AND mu.target_id = t.id AND mu.mute AND mu.state = 'muted'
			AND (mu.expires IS NULL OR mu.expires > now())
		LEFT JOIN account_notes n ON n.identity_id = $1 AND n.target_id = t.id
		WHERE t.id = ANY ($2::bigint[]) AND ($3 OR t.deleted IS NULL)`, viewer, int64s(ids), withDeleted)
	if err != nil {
		return nil, fmt.Errorf("store: relationships of %d: %w", viewer, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Relationship
		if err := rows.Scan(&r.ID, &r.Local, &r.Locked, &r.Domain, &r.FollowState, &r.Boosts, &r.Notify, &r.Languages,
			&r.FollowedState, &r.Blocking, &r.BlockedBy, &r.Muting, &r.MutingNotifications, &r.MuteExpires,
			&r.DomainBlocking, &r.Endorsed, &r.Note); err != nil {
			return nil, fmt.Errorf("store: relationships of %d: %w", viewer, err)
		}
		out[r.ID] = &r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: relationships of %d: %w", viewer, err)
	}
	return out, nil
}

// SetAccountNote sets identity's private comment about target; an empty
// comment removes it.
func SetAccountNote(ctx context.Context, db DB, identity, target model.ID, comment string) error {
	var err error
	if comment == "" {
		_, err = db.Exec(ctx, `DELETE FROM account_notes WHERE identity_id = $1 AND target_id = $2`, identity, target)
	} else {
		_, err = db.Exec(ctx, `INSERT INTO account_notes (identity_id, target_id, comment) VALUES ($1, $2, $3)
			ON CONFLICT (identity_id, target_id) DO UPDATE SET comment = excluded.comment, updated = now()`,
			identity, target, comment)
	}
	if err != nil {
		return fmt.Errorf("store: note of %d about %d: %w", identity, target, err)
	}
	return nil
}

// Endorse features target on identity's profile (again: no change). An
// endorsement lasts as long as the follow: when the follow ends, it is no
// longer shown (Mastodon deletes it with the follow; here the readers
// check, whichever way the follow ended, counting follows as
// social.Following does).
func Endorse(ctx context.Context, db DB, identity, target model.ID) error {
	_, err := db.Exec(ctx, `INSERT INTO endorsements (id, identity_id, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		model.NewID(), identity, target)
	if err != nil {
		return fmt.Errorf("store: %d endorsing %d: %w", identity, target, err)
	}
	return nil
}

// Unendorse stops featuring target.
func Unendorse(ctx context.Context, db DB, identity, target model.ID) error {
	_, err := db.Exec(ctx, `DELETE FROM endorsements WHERE identity_id = $1 AND target_id = $2`, identity, target)
	if err != nil {
		return fmt.Errorf("store: %d unendorsing %d: %w", identity, target, err)
	}
	return nil
}
