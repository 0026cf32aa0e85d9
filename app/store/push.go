package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const pushColumns = `id, token_id, identity_id, endpoint, key_p256dh, key_auth, standard, alerts, policy, created`

// PushSubscriptionOf returns the Web Push subscription of an access
// token, or nil.
func PushSubscriptionOf(ctx context.Context, db DB, tokenID model.ID) (*model.PushSubscription, error) {
	var s model.PushSubscription
	err := db.QueryRow(ctx, `SELECT `+pushColumns+` FROM push_subscriptions WHERE token_id = $1`, tokenID).Scan(
		&s.ID, &s.TokenID, &s.IdentityID, &s.Endpoint, &s.P256DH, &s.Auth, &s.Standard, &s.Alerts, &s.Policy, &s.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: push subscription of token %d: %w", tokenID, err)
	}
	return &s, nil
}

// SavePushSubscription makes s the subscription of its token, replacing
// any earlier one (with a new id, as Mastodon does).
func SavePushSubscription(ctx context.Context, db DB, s *model.PushSubscription) error {
	s.ID = model.NewID()
	err := db.QueryRow(ctx, `INSERT INTO push_subscriptions (token_id, id, identity_id, endpoint, key_p256dh, key_auth, standard, alerts, policy)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (token_id) DO UPDATE SET id = EXCLUDED.id, identity_id = EXCLUDED.identity_id, endpoint = EXCLUDED.endpoint,
			key_p256dh = EXCLUDED.key_p256dh, key_auth = EXCLUDED.key_auth, standard = EXCLUDED.standard,
			alerts = EXCLUDED.alerts, policy = EXCLUDED.policy, created = now(), updated = now()
		RETURNING created`, s.TokenID, s.ID, s.IdentityID, s.Endpoint, s.P256DH, s.Auth, s.Standard, nonNilStrings(s.Alerts), s.Policy).Scan(&s.Created)
	if err != nil {
		return fmt.Errorf("store: saving push subscription of token %d: %w", s.TokenID, err)
	}
	return nil
}

// UpdatePushAlerts sets the alerts and policy of a token's subscription;
// false when it has none.
func UpdatePushAlerts(ctx context.Context, db DB, tokenID model.ID, alerts []string, policy string) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE push_subscriptions SET alerts = $2, policy = $3, updated = now() WHERE token_id = $1`,
		tokenID, nonNilStrings(alerts), policy)
	if err != nil {
		return false, fmt.Errorf("store: updating push subscription of token %d: %w", tokenID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// DeletePushSubscription removes a token's subscription, if any.
func DeletePushSubscription(ctx context.Context, db DB, tokenID model.ID) error {
	if _, err := db.Exec(ctx, `DELETE FROM push_subscriptions WHERE token_id = $1`, tokenID); err != nil {
		return fmt.Errorf("store: deleting push subscription of token %d: %w", tokenID, err)
	}
	return nil
}

// VAPIDKeys returns the server's VAPID key pair, storing the one make
// returns when there is none yet (when several processes race, the first
// stored wins and every one gets it).
func VAPIDKeys(ctx context.Context, db DB, make func() (public, private string, err error)) (public, private string, err error) {
	err = db.QueryRow(ctx, `SELECT public_key, private_key FROM vapid_keys WHERE id = 1`).Scan(&public, &private)
	if err == nil {
		return public, private, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return "", "", fmt.Errorf("store: VAPID keys: %w", err)
	}
	pub, priv, err := make()
	if err != nil {
		return "", "", err
	}
	if _, err := db.Exec(ctx, `INSERT INTO vapid_keys (id, public_key, private_key) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`,
		pub, priv); err != nil {
		return "", "", fmt.Errorf("store: storing VAPID keys: %w", err)
	}
	err = db.QueryRow(ctx, `SELECT public_key, private_key FROM vapid_keys WHERE id = 1`).Scan(&public, &private)
	if err != nil {
		return "", "", fmt.Errorf("store: VAPID keys: %w", err)
	}
	return public, private, nil
}
