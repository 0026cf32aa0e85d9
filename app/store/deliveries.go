package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// Delivery is one activity to POST to one inbox, signed by its sender.
type Delivery struct {
	ID         model.ID
	SenderID   model.ID
	InboxURI   string
	Host       string
	ActivityID string
	Body       []byte
}

// QueueDelivery adds a delivery unless the same activity is already queued
// for that inbox (a handler that runs twice queues once).
func QueueDelivery(ctx context.Context, db DB, d *Delivery) error {
	if d.ID == 0 {
		d.ID = model.NewID()
	}
	_, err := db.Exec(ctx, `INSERT INTO deliveries (id, sender_id, inbox_uri, host, activity_id, body)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (activity_id, inbox_uri) DO NOTHING`,
		d.ID, d.SenderID, d.InboxURI, d.Host, d.ActivityID, d.Body)
	if err != nil {
		return fmt.Errorf("store: queueing delivery to %s: %w", d.InboxURI, err)
	}
	return nil
}

// DeliveryByID loads a delivery.
func DeliveryByID(ctx context.Context, db DB, id int64) (*Delivery, error) {
	var d Delivery
	err := db.QueryRow(ctx, `SELECT id, sender_id, inbox_uri, host, activity_id, body FROM deliveries WHERE id = $1`, id).
		Scan(&d.ID, &d.SenderID, &d.InboxURI, &d.Host, &d.ActivityID, &d.Body)
	if err != nil {
		return nil, fmt.Errorf("store: delivery %d: %w", id, err)
	}
	return &d, nil
}

// SetDeliveryStatus records the last HTTP status a delivery got.
func SetDeliveryStatus(ctx context.Context, db DB, id int64, status int) error {
	_, err := db.Exec(ctx, "UPDATE deliveries SET last_status = $2 WHERE id = $1", id, status)
	return err
}

// HostBackoff returns until when deliveries to host wait (nil when they do
// not) and its count of consecutive failures.
func HostBackoff(ctx context.Context, db DB, host string) (*time.Time, int, error) {
	var until *time.Time
	var failures int
	err := db.QueryRow(ctx, `SELECT CASE WHEN delivery_backoff > now() THEN delivery_backoff END, delivery_failures
		FROM domains WHERE domain = $1`, host).Scan(&until, &failures)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, nil
	}
	return until, failures, err
}

// RecordHostFailure counts a failed delivery to host. From the third
// consecutive failure the whole host is backed off, doubling from one
// minute up to a day, so a server that is down is not hammered by every
// queued delivery.
func RecordHostFailure(ctx context.Context, db DB, host string) error {
	_, err := db.Exec(ctx, `INSERT INTO domains (domain, local, delivery_failures) VALUES ($1, false, 1)
		ON CONFLICT (domain) DO UPDATE SET delivery_failures = domains.delivery_failures + 1,
		delivery_backoff = CASE WHEN domains.delivery_failures + 1 >= 3
			THEN now() + least(interval '1 minute' * power(2, domains.delivery_failures - 2), interval '1 day')
			ELSE domains.delivery_backoff END`, host)
	return err
}

// RecordHostSuccess clears a host's failures after a delivery got through.
func RecordHostSuccess(ctx context.Context, db DB, host string) error {
	_, err := db.Exec(ctx, `UPDATE domains SET delivery_failures = 0, delivery_backoff = NULL
		WHERE domain = $1 AND (delivery_failures <> 0 OR delivery_backoff IS NOT NULL)`, host)
	return err
}
