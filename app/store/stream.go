package store

import (
	"context"
	"encoding/json"
	"fmt"

	"pukeko/app/model"
)

// StreamChannel is the NOTIFY channel of the streaming API: the triggers of
// schema/0017_streaming.sql send on it what happened, and every web process
// LISTENs and tells its connected clients.
const StreamChannel = "pukeko_stream"

// Kinds of stream messages (StreamEvent.Stream).
const (
	StreamUser   = "user"   // about one identity (or a few): Event says what
	StreamPublic = "public" // a public or local-only post fanned out
	StreamPost   = "post"   // an unlisted or private post fanned out (lists)
	StreamUpdate = "update" // an edit of a post fanned out
	StreamDelete = "delete" // a post deleted
)

// Events of StreamUser messages.
const (
	StreamEventUpdate         = "update"          // home-timeline rows written
	StreamEventNotification   = "notification"    // a notification written
	StreamEventDelete         = "delete"          // home-timeline rows removed
	StreamEventFiltersChanged = "filters_changed" // the identity's filters changed
)

// StreamEvent is one message on StreamChannel: ids only, the payload of a
// NOTIFY being limited to 8000 bytes.
type StreamEvent struct {
	Stream string `json:"stream"`
	Event  string `json:"event,omitempty"`
	// Identity or Identities: whom a user message is about (triggers send
	// up to 250 identities in one message).
	Identity   model.ID   `json:"identity,omitempty"`
	Identities []model.ID `json:"identities,omitempty"`
	// Post is the post; for a user delete, what the timeline showed (the
	// post, or the boost's id).
	Post model.ID `json:"post,omitempty"`
	// Boost and By: a home row of a boost, its id and the booster.
	Boost model.ID `json:"boost,omitempty"`
	By    model.ID `json:"by,omitempty"`
	// Notification is the id of a notification (timeline_events.id).
	Notification int64 `json:"notification,omitempty"`
	// Local: a public post written here.
	Local bool `json:"local,omitempty"`
}

// Recipients lists the identities a user message is about.
func (e StreamEvent) Recipients() []model.ID {
	if e.Identity != 0 {
		return append([]model.ID{e.Identity}, e.Identities...)
	}
	return e.Identities
}

// ParseStreamEvent decodes a NOTIFY payload of StreamChannel.
func ParseStreamEvent(payload string) (StreamEvent, error) {
	var e StreamEvent
	if err := json.Unmarshal([]byte(payload), &e); err != nil {
		return e, fmt.Errorf("store: stream message %.80q: %w", payload, err)
	}
	return e, nil
}

// NotifyStream sends e on StreamChannel; in a transaction it leaves at
// commit.
func NotifyStream(ctx context.Context, db DB, e StreamEvent) error {
	payload, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := db.Exec(ctx, "SELECT pg_notify($1, $2)", StreamChannel, string(payload)); err != nil {
		return fmt.Errorf("store: notifying the stream of %s: %w", e.Stream, err)
	}
	return nil
}

// NotifyFiltersChanged tells an identity's streaming clients that its
// filters changed (Mastodon's filters_changed): call it in the transaction
// that changes them.
func NotifyFiltersChanged(ctx context.Context, db DB, identityID model.ID) error {
	return NotifyStream(ctx, db, StreamEvent{Stream: StreamUser, Event: StreamEventFiltersChanged, Identity: identityID})
}
