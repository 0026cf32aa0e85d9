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

// ErrHandleTaken means an identity with that username already exists on the
// domain (compared case-insensitively).
var ErrHandleTaken = errors.New("that username is taken on this domain")

const identityColumns = `id, uri, local, coalesce(username, ''), coalesce(domain, ''), actor_type, name, summary, url,
	fields, icon_uri, image_uri, locked, bot, discoverable, indexable, hide_collections, inbox_uri, shared_inbox_uri, outbox_uri,
	followers_uri, following_uri, featured_uri, public_key_id, public_key, private_key, also_known_as, moved_to,
	fetched, deleted, created, state, icon_key, image_key, updated, summary_source`

func scanIdentity(row pgx.Row) (*model.Identity, error) {
	var i model.Identity
	var fields []byte
	err := row.Scan(&i.ID, &i.URI, &i.Local, &i.Username, &i.Domain, &i.ActorType, &i.Name, &i.Summary, &i.URL,
		&fields, &i.IconURI, &i.ImageURI, &i.Locked, &i.Bot, &i.Discoverable, &i.Indexable, &i.HideCollections, &i.InboxURI,
		&i.SharedInboxURI, &i.OutboxURI, &i.FollowersURI, &i.FollowingURI, &i.FeaturedURI, &i.PublicKeyID,
		&i.PublicKey, &i.PrivateKey, &i.AlsoKnownAs, &i.MovedTo, &i.Fetched, &i.Deleted, &i.Created, &i.State, &i.IconKey, &i.ImageKey, &i.Updated, &i.SummarySource)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(fields, &i.Fields); err != nil {
		return nil, fmt.Errorf("identity %d fields: %w", i.ID, err)
	}
	return &i, nil
}

func oneIdentity(ctx context.Context, db DB, what, where string, args ...any) (*model.Identity, error) {
	i, err := scanIdentity(db.QueryRow(ctx, "SELECT "+identityColumns+" FROM identities WHERE "+where, args...))
	if err != nil {
		return nil, fmt.Errorf("store: identity by %s: %w", what, err)
	}
	return i, nil
}

// IdentityByID returns an identity, or nil.
func IdentityByID(ctx context.Context, db DB, id model.ID) (*model.Identity, error) {
	return oneIdentity(ctx, db, "id", "id = $1", id)
}

// IdentityByURI returns the identity with actor URI uri, or nil.
func IdentityByURI(ctx context.Context, db DB, uri string) (*model.Identity, error) {
	return oneIdentity(ctx, db, "uri", "uri = $1", uri)
}

// IdentityByHandle finds username@domain case-insensitively, or nil.
func IdentityByHandle(ctx context.Context, db DB, username, domain string) (*model.Identity, error) {
	return oneIdentity(ctx, db, "handle", "lower(username) = lower($1) AND domain = lower($2)", username, domain)
}

// IdentityByKeyID finds the identity owning a public key id, or nil.
func IdentityByKeyID(ctx context.Context, db DB, keyID string) (*model.Identity, error) {
	return oneIdentity(ctx, db, "key id", "public_key_id = $1", keyID)
}

// SystemIdentity returns the server's own actor (the Application on
// main_domain that signs fetches), or nil before it is created.
func SystemIdentity(ctx context.Context, db DB) (*model.Identity, error) {
	return oneIdentity(ctx, db, "system", "local AND actor_type = 'Application' AND username IS NULL")
}

// CreateLocalIdentity inserts one of our identities (Stator state "local":
// nothing to fetch) and links it to its user, if any.
func CreateLocalIdentity(ctx context.Context, db DB, i *model.Identity, userID model.ID) error {
	if i.ID == 0 {
		i.ID = model.NewID()
	}
	fields, _ := json.Marshal(nonNilFields(i.Fields))
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		var username, domain any
		if i.Username != "" {
			username, domain = i.Username, i.Domain
		}
		err := tx.QueryRow(ctx, `INSERT INTO identities (id, uri, local, username, domain, actor_type, name, summary, url,
			fields, locked, bot, discoverable, indexable, inbox_uri, shared_inbox_uri, outbox_uri, followers_uri,
			following_uri, featured_uri, public_key_id, public_key, private_key, state, state_next_attempt)
			VALUES ($1, $2, true, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, 'local', NULL)
			RETURNING created`,
			i.ID, i.URI, username, domain, i.ActorType, i.Name, i.Summary, i.URL, fields, i.Locked, i.Bot,
			i.Discoverable, i.Indexable, i.InboxURI, i.SharedInboxURI, i.OutboxURI, i.FollowersURI, i.FollowingURI,
			i.FeaturedURI, i.PublicKeyID, i.PublicKey, i.PrivateKey).Scan(&i.Created)
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: %s", ErrHandleTaken, i.Handle())
		}
		if err != nil {
			return fmt.Errorf("store: creating identity %s: %w", i.Handle(), err)
		}
		i.State = "local"
		if userID == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, "INSERT INTO user_identities (user_id, identity_id) VALUES ($1, $2)", userID, i.ID)
		return err
	})
}

// UserIdentityCount counts the identities a user owns.
func UserIdentityCount(ctx context.Context, db DB, userID model.ID) (int, error) {
	var n int
	err := db.QueryRow(ctx, "SELECT count(*) FROM user_identities WHERE user_id = $1", userID).Scan(&n)
	return n, err
}

// RemoteActorStub records a remote actor URI we have seen but not fetched
// yet (state outdated: Stator fetches it), and returns its identity. Two
// callers racing on one URI both get the same row.
func RemoteActorStub(ctx context.Context, db DB, uri string) (*model.Identity, error) {
	_, err := db.Exec(ctx, `INSERT INTO identities (id, uri, local) VALUES ($1, $2, false) ON CONFLICT (uri) DO NOTHING`,
		model.NewID(), uri)
	if err != nil {
		return nil, fmt.Errorf("store: recording actor %s: %w", uri, err)
	}
	return IdentityByURI(ctx, db, uri)
}

// SaveRemoteIdentity writes what a fetch of a remote actor found, creating
// the row or updating it (ON CONFLICT on the URI), and marks it fetched:
// state updated, due for a refresh after refresh.
// When another identity already holds the handle (an actor that moved to a
// new URI), that older row gives the handle up.
func SaveRemoteIdentity(ctx context.Context, db DB, i *model.Identity, refresh time.Duration) error {
	if i.ID == 0 {
		i.ID = model.NewID()
	}
	fields, _ := json.Marshal(nonNilFields(i.Fields))
	aka := i.AlsoKnownAs
	if aka == nil {
		aka = []string{}
	}
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		if i.Username != "" && i.Domain != "" {
			if _, err := tx.Exec(ctx, `UPDATE identities SET username = NULL WHERE NOT local AND uri <> $1
				AND lower(username) = lower($2) AND domain = $3`, i.URI, i.Username, i.Domain); err != nil {
				return err
			}
		}
		var username, domain any
		if i.Username != "" && i.Domain != "" {
			username, domain = i.Username, i.Domain
		}
		return tx.QueryRow(ctx, `INSERT INTO identities (id, uri, local, username, domain, actor_type, name, summary, url,
			fields, icon_uri, image_uri, locked, bot, discoverable, indexable, inbox_uri, shared_inbox_uri, outbox_uri,
			followers_uri, following_uri, featured_uri, public_key_id, public_key, also_known_as, moved_to, fetched,
			state, state_changed, state_attempts, state_error, state_next_attempt)
			VALUES ($1, $2, false, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, now(),
			'updated', now(), 0, NULL, now() + $26 * interval '1 second')
			ON CONFLICT (uri) DO UPDATE SET username = excluded.username, domain = excluded.domain,
				actor_type = excluded.actor_type, name = excluded.name, summary = excluded.summary, url = excluded.url,
				fields = excluded.fields, icon_uri = excluded.icon_uri, image_uri = excluded.image_uri,
				locked = excluded.locked, bot = excluded.bot, discoverable = excluded.discoverable,
				indexable = excluded.indexable, inbox_uri = excluded.inbox_uri, shared_inbox_uri = excluded.shared_inbox_uri,
				outbox_uri = excluded.outbox_uri, followers_uri = excluded.followers_uri,
				following_uri = excluded.following_uri, featured_uri = excluded.featured_uri,
				public_key_id = excluded.public_key_id, public_key = excluded.public_key,
				also_known_as = excluded.also_known_as, moved_to = excluded.moved_to, fetched = now(), updated = now(),
				state = 'updated', state_changed = now(), state_attempts = 0, state_error = NULL,
				state_locked_until = NULL, state_next_attempt = excluded.state_next_attempt
			WHERE NOT identities.local
			RETURNING id, created, state`,
			i.ID, i.URI, username, domain, i.ActorType, i.Name, i.Summary, i.URL, fields, i.IconURI, i.ImageURI,
			i.Locked, i.Bot, i.Discoverable, i.Indexable, i.InboxURI, i.SharedInboxURI, i.OutboxURI, i.FollowersURI,
			i.FollowingURI, i.FeaturedURI, i.PublicKeyID, i.PublicKey, aka, i.MovedTo, refresh.Seconds()).Scan(&i.ID, &i.Created, &i.State)
	})
}

func nonNilFields(f []model.Field) []model.Field {
	if f == nil {
		return []model.Field{}
	}
	return f
}

// IdentityByServiceHandle finds a local identity by its username and the
// service domain of its display domain, when exactly one display domain
// served there has that username; nil otherwise.
func IdentityByServiceHandle(ctx context.Context, db DB, username, serviceDomain string) (*model.Identity, error) {
	rows, err := db.Query(ctx, `SELECT i.id FROM identities i JOIN domains d ON d.domain = i.domain
		WHERE d.local AND d.service_domain = lower($2) AND lower(i.username) = lower($1) AND i.local LIMIT 2`, username, serviceDomain)
	if err != nil {
		return nil, fmt.Errorf("store: identity by service handle: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) != 1 {
		return nil, err
	}
	return IdentityByID(ctx, db, model.ID(ids[0]))
}

// IdentitiesByIDs returns the identities with the given ids that exist, in
// no particular order.
func IdentitiesByIDs(ctx context.Context, db DB, ids []model.ID) ([]*model.Identity, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	raw := make([]int64, len(ids))
	for k, id := range ids {
		raw[k] = int64(id)
	}
	rows, err := db.Query(ctx, "SELECT "+identityColumns+" FROM identities WHERE id = ANY ($1)", raw)
	if err != nil {
		return nil, fmt.Errorf("store: identities by id: %w", err)
	}
	defer rows.Close()
	var out []*model.Identity
	for rows.Next() {
		i, err := scanIdentity(rows)
		if err != nil {
			return nil, fmt.Errorf("store: identities by id: %w", err)
		}
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: identities by id: %w", err)
	}
	return out, nil
}

// SaveLocalProfile writes what the owner of a local identity may change:
// name, bio (HTML), fields, flags, and avatar and header (key and URL).
func SaveLocalProfile(ctx context.Context, db DB, i *model.Identity) error {
	fields, err := json.Marshal(nonNilFields(i.Fields))
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, `UPDATE identities SET name = $2, summary = $3, fields = $4, locked = $5, bot = $6,
		discoverable = $7, indexable = $8, hide_collections = $9, icon_uri = $10, icon_key = $11, image_uri = $12,
		image_key = $13, summary_source = $14, actor_type = $15, updated = now()
		WHERE id = $1 AND local`,
		i.ID, i.Name, i.Summary, fields, i.Locked, i.Bot, i.Discoverable, i.Indexable, i.HideCollections,
		i.IconURI, i.IconKey, i.ImageURI, i.ImageKey, i.SummarySource, i.ActorType)
	if err != nil {
		return fmt.Errorf("store: saving profile of %d: %w", i.ID, err)
	}
	return nil
}
