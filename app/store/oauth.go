package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// CreateOAuthApp inserts a client application, giving it a new ID when it
// has none.
func CreateOAuthApp(ctx context.Context, db DB, a *model.OAuthApp) error {
	if a.ID == 0 {
		a.ID = model.NewID()
	}
	err := db.QueryRow(ctx, `INSERT INTO oauth_apps (id, name, website, redirect_uris, scopes, client_id, client_secret_hash, owner_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8::bigint, 0)) RETURNING created`,
		a.ID, a.Name, a.Website, nonNilStrings(a.RedirectURIs), nonNilStrings(a.Scopes), a.ClientID,
		a.ClientSecretHash, a.OwnerID).Scan(&a.Created)
	if err != nil {
		return fmt.Errorf("store: unable to create oauth app %q: %w", a.Name, err)
	}
	return nil
}

const oauthAppColumns = `id, name, website, redirect_uris, scopes, client_id, client_secret_hash, coalesce(owner_id, 0), created`

// OAuthAppByClientID returns the app with that client_id, or nil.
func OAuthAppByClientID(ctx context.Context, db DB, clientID string) (*model.OAuthApp, error) {
	var a model.OAuthApp
	err := db.QueryRow(ctx, "SELECT "+oauthAppColumns+" FROM oauth_apps WHERE client_id = $1", clientID).
		Scan(&a.ID, &a.Name, &a.Website, &a.RedirectURIs, &a.Scopes, &a.ClientID, &a.ClientSecretHash, &a.OwnerID, &a.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to find oauth app by client id: %w", err)
	}
	return &a, nil
}

// CreateAuthorizationCode inserts an authorization code, giving it a new ID
// when it has none.
func CreateAuthorizationCode(ctx context.Context, db DB, c *model.AuthorizationCode) error {
	if c.ID == 0 {
		c.ID = model.NewID()
	}
	err := db.QueryRow(ctx, `INSERT INTO oauth_authorization_codes (id, code_hash, app_id, user_id, identity_id, scopes,
		redirect_uri, code_challenge, code_challenge_method, expires)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING created`,
		c.ID, c.CodeHash, c.AppID, c.UserID, c.IdentityID, nonNilStrings(c.Scopes), c.RedirectURI,
		c.CodeChallenge, c.CodeChallengeMethod, c.Expires).Scan(&c.Created)
	if err != nil {
		return fmt.Errorf("store: unable to create authorization code for app %d: %w", c.AppID, err)
	}
	return nil
}

// AuthorizationCodeByHash returns the code with that hash whether used or
// expired (the caller decides), or nil.
func AuthorizationCodeByHash(ctx context.Context, db DB, hash []byte) (*model.AuthorizationCode, error) {
	var c model.AuthorizationCode
	err := db.QueryRow(ctx, `SELECT id, code_hash, app_id, user_id, identity_id, scopes, redirect_uri, code_challenge,
		code_challenge_method, created, expires, used FROM oauth_authorization_codes WHERE code_hash = $1`, hash).
		Scan(&c.ID, &c.CodeHash, &c.AppID, &c.UserID, &c.IdentityID, &c.Scopes, &c.RedirectURI, &c.CodeChallenge,
			&c.CodeChallengeMethod, &c.Created, &c.Expires, &c.Used)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to find authorization code: %w", err)
	}
	return &c, nil
}

// UseAuthorizationCode marks a code used. It reports false when the code
// was used already (by a concurrent exchange too): only one caller wins.
func UseAuthorizationCode(ctx context.Context, db DB, id model.ID) (bool, error) {
	tag, err := db.Exec(ctx, "UPDATE oauth_authorization_codes SET used = now() WHERE id = $1 AND used IS NULL", id)
	if err != nil {
		return false, fmt.Errorf("store: unable to use authorization code %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// CreateOAuthToken inserts an access token, giving it a new ID when it has
// none.
func CreateOAuthToken(ctx context.Context, db DB, t *model.OAuthToken) error {
	if t.ID == 0 {
		t.ID = model.NewID()
	}
	err := db.QueryRow(ctx, `INSERT INTO oauth_tokens (id, token_hash, app_id, user_id, identity_id, authorization_code_id, scopes)
		VALUES ($1, $2, $3, nullif($4::bigint, 0), nullif($5::bigint, 0), nullif($6::bigint, 0), $7) RETURNING created`,
		t.ID, t.TokenHash, t.AppID, t.UserID, t.IdentityID, t.AuthorizationCodeID, nonNilStrings(t.Scopes)).Scan(&t.Created)
	if err != nil {
		return fmt.Errorf("store: unable to create token for app %d: %w", t.AppID, err)
	}
	return nil
}

// tokenWorks is the condition that token t (joined to its user u and
// identity i) still works: not revoked, its user not banned, its identity
// neither deleted nor taken from the user since.
const tokenWorks = `t.revoked IS NULL AND (t.user_id IS NULL OR NOT u.banned)
	AND (t.identity_id IS NULL OR (i.deleted IS NULL AND EXISTS (SELECT 1 FROM user_identities ui
		WHERE ui.user_id = t.user_id AND ui.identity_id = t.identity_id)))`

// activeTokenSQL finds a token that still works by its hash ($1), with
// its app and user.
const activeTokenSQL = `SELECT t.id, t.token_hash, t.app_id, coalesce(t.user_id, 0), coalesce(t.identity_id, 0),
		coalesce(t.authorization_code_id, 0), t.scopes, t.created, t.last_used,
		a.id, a.name, a.website, a.redirect_uris, a.scopes, a.client_id, coalesce(a.owner_id, 0), a.created,
		u.email, u.admin, u.moderator, u.banned, u.created, u.id IS NOT NULL AND u.confirmed IS NULL
		FROM oauth_tokens t
		JOIN oauth_apps a ON a.id = t.app_id
		LEFT JOIN users u ON u.id = t.user_id
		LEFT JOIN identities i ON i.id = t.identity_id
		WHERE t.token_hash = $1 AND ` + tokenWorks

// ActiveOAuthToken returns the token with that hash, with its App and User
// filled, when it still works: not revoked, its user not banned, its
// identity neither deleted nor taken from the user since. Otherwise nil.
func ActiveOAuthToken(ctx context.Context, db DB, hash []byte) (*model.OAuthToken, error) {
	return scanActiveToken(db.QueryRow(ctx, activeTokenSQL, hash))
}

// scanActiveToken reads a row of activeTokenSQL.
func scanActiveToken(row pgx.Row) (*model.OAuthToken, error) {
	t := model.OAuthToken{App: &model.OAuthApp{}}
	var email *string
	var admin, moderator, banned *bool
	var userCreated *time.Time
	var unconfirmed bool
	err := row.Scan(&t.ID, &t.TokenHash, &t.AppID, &t.UserID, &t.IdentityID, &t.AuthorizationCodeID, &t.Scopes, &t.Created,
		&t.LastUsed, &t.App.ID, &t.App.Name, &t.App.Website, &t.App.RedirectURIs, &t.App.Scopes, &t.App.ClientID,
		&t.App.OwnerID, &t.App.Created, &email, &admin, &moderator, &banned, &userCreated, &unconfirmed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to look up token: %w", err)
	}
	if t.UserID != 0 && email != nil {
		t.User = &model.User{ID: t.UserID, Email: *email, Admin: *admin, Moderator: *moderator, Banned: *banned, Created: *userCreated,
			Unconfirmed: unconfirmed}
	}
	return &t, nil
}

// ActiveOAuthTokenAndIdentity is ActiveOAuthToken with the identity the
// token acts for (nil for app tokens), both in one round trip when db
// takes batches: every API request asks for both.
func ActiveOAuthTokenAndIdentity(ctx context.Context, db DB, hash []byte) (*model.OAuthToken, *model.Identity, error) {
	b, ok := db.(batcher)
	if !ok {
		t, err := ActiveOAuthToken(ctx, db, hash)
		if err != nil || t == nil || t.IdentityID == 0 {
			return t, nil, err
		}
		i, err := IdentityByID(ctx, db, t.IdentityID)
		return t, i, err
	}
	batch := &pgx.Batch{}
	var t *model.OAuthToken
	var i *model.Identity
	batch.Queue(activeTokenSQL, hash).QueryRow(func(row pgx.Row) error {
		var err error
		t, err = scanActiveToken(row)
		return err
	})
	batch.Queue(`SELECT `+identityColumns+` FROM identities
		WHERE id = (SELECT identity_id FROM oauth_tokens WHERE token_hash = $1)`, hash).QueryRow(func(row pgx.Row) error {
		var err error
		i, err = scanIdentity(row)
		return err
	})
	if err := b.SendBatch(ctx, batch).Close(); err != nil {
		return nil, nil, fmt.Errorf("store: unable to look up token: %w", err)
	}
	if t == nil || t.IdentityID == 0 || i == nil || i.ID != t.IdentityID {
		return t, nil, nil
	}
	return t, i, nil
}

// OAuthTokenByHash returns the token with that hash in any state (revoked
// too), without joins, or nil.
func OAuthTokenByHash(ctx context.Context, db DB, hash []byte) (*model.OAuthToken, error) {
	var t model.OAuthToken
	err := db.QueryRow(ctx, `SELECT id, token_hash, app_id, coalesce(user_id, 0), coalesce(identity_id, 0),
		coalesce(authorization_code_id, 0), scopes, created, last_used, revoked FROM oauth_tokens WHERE token_hash = $1`, hash).
		Scan(&t.ID, &t.TokenHash, &t.AppID, &t.UserID, &t.IdentityID, &t.AuthorizationCodeID, &t.Scopes, &t.Created,
			&t.LastUsed, &t.Revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to find token: %w", err)
	}
	return &t, nil
}

// TouchOAuthToken records that a token was used. It writes at most once a
// minute per token, so that busy clients do not turn every read into a
// write.
func TouchOAuthToken(ctx context.Context, db DB, id model.ID) error {
	_, err := db.Exec(ctx, `UPDATE oauth_tokens SET last_used = now()
		WHERE id = $1 AND (last_used IS NULL OR last_used < now() - interval '1 minute')`, id)
	if err != nil {
		return fmt.Errorf("store: unable to touch token %d: %w", id, err)
	}
	return nil
}

// RevokeOAuthToken revokes one token (again is harmless).
func RevokeOAuthToken(ctx context.Context, db DB, id model.ID) error {
	_, err := db.Exec(ctx, "UPDATE oauth_tokens SET revoked = now() WHERE id = $1 AND revoked IS NULL", id)
	if err != nil {
		return fmt.Errorf("store: unable to revoke token %d: %w", id, err)
	}
	return nil
}

// RevokeTokensOfCode revokes every token issued from an authorization code,
// for when the code is replayed, and returns how many it revoked.
func RevokeTokensOfCode(ctx context.Context, db DB, codeID model.ID) (int64, error) {
	tag, err := db.Exec(ctx, "UPDATE oauth_tokens SET revoked = now() WHERE authorization_code_id = $1 AND revoked IS NULL", codeID)
	if err != nil {
		return 0, fmt.Errorf("store: unable to revoke the tokens of code %d: %w", codeID, err)
	}
	return tag.RowsAffected(), nil
}

// AuthorizableIdentities returns the identities a user may authorize an
// app for: the local, undeleted identities the user owns, oldest first.
func AuthorizableIdentities(ctx context.Context, db DB, userID model.ID) ([]*model.Identity, error) {
	rows, err := db.Query(ctx, "SELECT "+identityColumns+` FROM identities
		WHERE id IN (SELECT identity_id FROM user_identities WHERE user_id = $1) AND local AND deleted IS NULL
		ORDER BY created, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the identities of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*model.Identity
	for rows.Next() {
		i, err := scanIdentity(rows)
		if err != nil {
			return nil, fmt.Errorf("store: unable to list the identities of user %d: %w", userID, err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// DeleteExpiredAuthorizationCodes removes codes that expired before
// cutoff; they are kept a while past expiry to recognise replays.
func DeleteExpiredAuthorizationCodes(ctx context.Context, db DB, cutoff time.Time) (int64, error) {
	tag, err := db.Exec(ctx, "DELETE FROM oauth_authorization_codes WHERE expires < $1", cutoff)
	if err != nil {
		return 0, fmt.Errorf("store: unable to delete expired authorization codes: %w", err)
	}
	return tag.RowsAffected(), nil
}

// ActiveOAuthTokenIDs tells which of the tokens ids still work, as
// ActiveOAuthToken decides.
func ActiveOAuthTokenIDs(ctx context.Context, db DB, ids []model.ID) (map[model.ID]bool, error) {
	rows, err := db.Query(ctx, `SELECT t.id FROM oauth_tokens t
		LEFT JOIN users u ON u.id = t.user_id
		LEFT JOIN identities i ON i.id = t.identity_id
		WHERE t.id = ANY ($1::bigint[]) AND `+tokenWorks, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: active tokens: %w", err)
	}
	defer rows.Close()
	out := map[model.ID]bool{}
	for rows.Next() {
		var id model.ID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: active tokens: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}
