package social

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"pukeko/app/ap"
	"pukeko/app/federation"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// deliver queues activity for the inbox of recipient, signed by sender
// when sent. Queueing twice (a handler run again after a crash) is a no-op.
func (in *Instance) deliver(ctx context.Context, db store.DB, sender *model.Identity, recipient *model.Identity, activity map[string]any) error {
	inbox := recipient.DeliveryInbox()
	if inbox == "" {
		return fmt.Errorf("%s has no inbox", recipient.URI)
	}
	return in.deliverTo(ctx, db, sender, inbox, activity)
}

// deliverTo queues activity for one inbox URL (a shared inbox serves
// every recipient on its server), signed by sender when sent.
func (in *Instance) deliverTo(ctx context.Context, db store.DB, sender *model.Identity, inbox string, activity map[string]any) error {
	body, err := json.Marshal(activity)
	if err != nil {
		return err
	}
	id, _ := activity["id"].(string)
	return store.QueueDelivery(ctx, db, &store.Delivery{
		SenderID: sender.ID, InboxURI: inbox, Host: ap.Host(inbox), ActivityID: id, Body: body,
	})
}

// Delivery states.
const (
	deliveryNew    = "new"
	deliverySent   = "sent"
	deliveryFailed = "failed"
)

// deliveryGraph sends queued activities. A 2xx is delivered; a 5xx, a
// timeout or a refused connection is a failure retried with backoff for a
// week (remote servers go down for days); a 4xx other than 408/425/429 is
// final. A host that keeps failing is backed off as a whole, and at most a
// few deliveries run against one host at a time.
func (in *Instance) deliveryGraph() *stator.Graph {
	g := stator.NewGraph("deliveries", "deliveries")
	g.State(deliveryNew).
		Retry(stator.Backoff{Base: 30 * time.Second, Max: 6 * time.Hour, Jitter: 0.2}).
		TimesOutTo(deliveryFailed, 7*24*time.Hour).
		Handle(in.sendDelivery, deliverySent, deliveryFailed)
	g.State(deliverySent).DeleteAfter(24 * time.Hour)
	g.State(deliveryFailed).DeleteAfter(7 * 24 * time.Hour)
	return g
}

func (in *Instance) sendDelivery(ctx context.Context, it stator.Item) (string, error) {
	d, err := store.DeliveryByID(ctx, in.DB, it.ID)
	if err != nil {
		return "", err
	}
	until, failures, err := store.HostBackoff(ctx, in.DB, d.Host)
	if err != nil {
		return "", err
	}
	if until != nil {
		return "", stator.Defer(time.Until(*until) + time.Second)
	}
	release, ok := in.Hosts.TryAcquire(d.Host)
	if !ok {
		// The host has its share of deliveries running: come back soon,
		// spread out so waiting rows do not return all at once.
		return "", stator.Defer(50*time.Millisecond + time.Duration(rand.Int64N(int64(200*time.Millisecond))))
	}
	defer release()
	signer, err := in.signerByID(ctx, d.SenderID)
	if err != nil {
		return "", err
	}
	err = in.Client.PostActivity(ctx, d.InboxURI, d.Body, signer)
	var status *federation.StatusError
	switch {
	case err == nil:
		if failures > 0 {
			store.RecordHostSuccess(ctx, in.DB, d.Host)
		}
		return deliverySent, nil
	case errors.As(err, &status) && status.Permanent():
		store.SetDeliveryStatus(ctx, in.DB, it.ID, status.Code)
		in.Logger.Info("delivery refused by the receiver", "inbox", d.InboxURI, "status", status.Code, "activity", d.ActivityID)
		return deliveryFailed, nil
	case errors.Is(err, federation.ErrForbiddenAddress) || errors.Is(err, federation.ErrUnsupportedURL):
		in.Logger.Info("delivery to a forbidden or unusable address dropped", "inbox", d.InboxURI, "error", err)
		return deliveryFailed, nil
	case ctx.Err() != nil:
		return "", err // shutting down: not the host's fault
	default:
		if errors.As(err, &status) {
			store.SetDeliveryStatus(ctx, in.DB, it.ID, status.Code)
		}
		store.RecordHostFailure(ctx, in.DB, d.Host)
		return "", err
	}
}
