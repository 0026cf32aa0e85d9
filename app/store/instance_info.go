package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// Keys of instance_settings.
const (
	SettingDescription         = "description"          // short description, plain text
	SettingExtendedDescription = "extended_description" // HTML
	SettingPrivacyPolicy       = "privacy_policy"       // HTML
	SettingTermsOfService      = "terms_of_service"     // HTML
	SettingTermsEffective      = "terms_effective"      // YYYY-MM-DD
	SettingRegistrationMessage = "registration_message" // plain text
	SettingContactEmail        = "contact_email"
	SettingContactUsername     = "contact_username" // of an identity of the domain
	SettingThumbnailURL        = "thumbnail_url"
	SettingSourceURL           = "source_url" // where the server's source is published
)

// InstanceSetting is one value of the instance endpoints and when it was
// last set.
type InstanceSetting struct {
	Value   string
	Updated time.Time
}

// SetInstanceSetting sets key for a local domain ("" for every domain
// without its own value); an empty value removes it.
func SetInstanceSetting(ctx context.Context, db DB, domain, key, value string) error {
	var err error
	if value == "" {
		_, err = db.Exec(ctx, `DELETE FROM instance_settings WHERE domain = $1 AND key = $2`, domain, key)
	} else {
		_, err = db.Exec(ctx, `INSERT INTO instance_settings (domain, key, value) VALUES ($1, $2, $3)
			ON CONFLICT (domain, key) DO UPDATE SET value = EXCLUDED.value, updated = now()`, domain, key, value)
	}
	if err != nil {
		return fmt.Errorf("store: setting %s of %q: %w", key, domain, err)
	}
	return nil
}

// InstanceSettings returns the settings that apply to a domain: its own,
// else those of every domain.
func InstanceSettings(ctx context.Context, db DB, domain string) (map[string]InstanceSetting, error) {
	rows, err := db.Query(ctx, `SELECT DISTINCT ON (key) key, value, updated FROM instance_settings
		WHERE domain = $1 OR domain = '' ORDER BY key, domain = '' `, domain)
	if err != nil {
		return nil, fmt.Errorf("store: settings of %s: %w", domain, err)
	}
	defer rows.Close()
	out := map[string]InstanceSetting{}
	for rows.Next() {
		var k string
		var s InstanceSetting
		if err := rows.Scan(&k, &s.Value, &s.Updated); err != nil {
			return nil, fmt.Errorf("store: settings of %s: %w", domain, err)
		}
		out[k] = s
	}
	return out, rows.Err()
}

// InstanceStats are the counters of a local domain the instance endpoints
// show.
type InstanceStats struct {
	Users       int // live local identities of the domain
	Statuses    int // their posts, not deleted
	Domains     int // other servers known and not blocked
	ActiveMonth int // users of the domain seen in the last 30 days
}

// InstanceStatsOf counts a local domain's figures in one statement.
func InstanceStatsOf(ctx context.Context, db DB, domain string) (InstanceStats, error) {
	var s InstanceStats
	err := db.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM identities WHERE local AND domain = $1 AND deleted IS NULL),
			(SELECT count(*) FROM identities i JOIN posts p ON p.author_id = i.id
				WHERE i.local AND i.domain = $1 AND p.deleted IS NULL),
			(SELECT count(*) FROM domains WHERE NOT local AND NOT blocked),
			(SELECT count(DISTINCT ui.user_id) FROM user_identities ui JOIN identities i ON i.id = ui.identity_id AND i.domain = $1
				WHERE EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.user_id = ui.user_id AND t.last_used > now() - interval '30 days')
				OR EXISTS (SELECT 1 FROM web_sessions w WHERE w.user_id = ui.user_id AND w.last_seen > now() - interval '30 days'))`,
		domain).Scan(&s.Users, &s.Statuses, &s.Domains, &s.ActiveMonth)
	if err != nil {
		return s, fmt.Errorf("store: stats of %s: %w", domain, err)
	}
	return s, nil
}

// WeekActivity is one week of a domain's activity.
type WeekActivity struct {
	Week          time.Time // Monday 00:00 UTC
	Statuses      int       // local posts written
	Logins        int       // users seen (their last use falls in the week)
	Registrations int       // users created
}

// InstanceActivity returns the last weeks of a local domain's activity,
// the current week first. Posts are counted by id (a snowflake of when
// they were written), which the index of each author's posts serves. Logins count users by their last token use or
// web session: a user seen since counts in the later week only.
func InstanceActivity(ctx context.Context, db DB, domain string, weeks int) ([]WeekActivity, error) {
	rows, err := db.Query(ctx, `WITH w AS (
			SELECT generate_series(date_trunc('week', now(), 'UTC') - ($2::int - 1) * interval '1 week',
				date_trunc('week', now(), 'UTC'), interval '1 week') AS start
		), u AS (
			SELECT DISTINCT ui.user_id FROM user_identities ui JOIN identities i ON i.id = ui.identity_id AND i.domain = $1
		), seen AS (
			SELECT u.user_id, greatest((SELECT max(t.last_used) FROM oauth_tokens t WHERE t.user_id = u.user_id),
				(SELECT max(s.last_seen) FROM web_sessions s WHERE s.user_id = u.user_id)) AS at FROM u
		)
		SELECT w.start,
			(SELECT count(*) FROM identities i JOIN posts p ON p.author_id = i.id
				AND p.id >= (extract(epoch FROM w.start) * 1000)::bigint << 16
				AND p.id < (extract(epoch FROM w.start + interval '1 week') * 1000)::bigint << 16
				WHERE i.local AND i.domain = $1 AND p.local),
			(SELECT count(*) FROM seen WHERE seen.at >= w.start AND seen.at < w.start + interval '1 week'),
			(SELECT count(*) FROM users us JOIN u ON u.user_id = us.id
				WHERE us.created >= w.start AND us.created < w.start + interval '1 week')
		FROM w ORDER BY w.start DESC`, domain, weeks)
	if err != nil {
		return nil, fmt.Errorf("store: activity of %s: %w", domain, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (WeekActivity, error) {
		var a WeekActivity
		err := row.Scan(&a.Week, &a.Statuses, &a.Logins, &a.Registrations)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: activity of %s: %w", domain, err)
	}
	return out, nil
}

// InstancePeers lists the other servers known here and not blocked, by name.
func InstancePeers(ctx context.Context, db DB) ([]string, error) {
	return uris(ctx, db, `SELECT domain FROM domains WHERE NOT local AND NOT blocked ORDER BY domain`)
}

// ServerBlockedDomains lists the servers blocked here, by name.
func ServerBlockedDomains(ctx context.Context, db DB) ([]string, error) {
	return uris(ctx, db, `SELECT domain FROM domains WHERE NOT local AND blocked ORDER BY domain`)
}

// ContactIdentity is who the instance endpoints name as a domain's
// contact: the identity of the domain named by the contact_username
// setting, else the first identity of the domain owned by an admin; nil
// when there is none.
func ContactIdentity(ctx context.Context, db DB, domain, username string) (*model.Identity, error) {
	i, err := scanIdentity(db.QueryRow(ctx, `SELECT `+identityColumns+` FROM identities WHERE id = (
			SELECT i.id FROM identities i
			LEFT JOIN user_identities ui ON ui.identity_id = i.id LEFT JOIN users u ON u.id = ui.user_id
			WHERE i.local AND i.domain = $1 AND i.deleted IS NULL
			AND (lower(i.username) = lower($2) OR ($2 = '' AND u.admin))
			ORDER BY u.id, i.id LIMIT 1)`, domain, username))
	if err != nil {
		return nil, fmt.Errorf("store: contact of %s: %w", domain, err)
	}
	return i, nil
}

// LocalEmojiEntry is one of our emoji as the custom emoji list shows it.
type LocalEmojiEntry struct {
	model.Emoji
	FileKey  string // our stored file, "" when only ImageURL is known
	Category string
}

// LocalEmojiFor lists our emoji offered on a local domain (its own and
// those of every domain), by shortcode.
func LocalEmojiFor(ctx context.Context, db DB, domain string) ([]LocalEmojiEntry, error) {
	rows, err := db.Query(ctx, `SELECT em.id, em.shortcode, em.domain, em.image_url, em.media_type,
		em.visible_in_picker, em.uri, em.created, em.updated, em.file_key, em.category FROM emoji em
		WHERE em.domain = '' AND (em.local_domain IS NULL OR em.local_domain = $1) ORDER BY em.shortcode`, domain)
	if err != nil {
		return nil, fmt.Errorf("store: emoji of %s: %w", domain, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (LocalEmojiEntry, error) {
		var e LocalEmojiEntry
		err := row.Scan(&e.ID, &e.Shortcode, &e.Domain, &e.ImageURL, &e.MediaType, &e.VisibleInPicker, &e.URI,
			&e.Created, &e.Updated, &e.FileKey, &e.Category)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: emoji of %s: %w", domain, err)
	}
	return out, nil
}
