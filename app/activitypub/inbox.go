package activitypub

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"pukeko/app/ap"
	"pukeko/app/httpsig"
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// Inbox receives activities: it checks the body, verifies the HTTP
// signature and that the key belongs to the activity's actor, stores the
// activity and answers 202. Processing happens in Stator, so a slow or
// failing step never makes the sender wait or lose the message.
type Inbox struct {
	In      *social.Instance
	MaxSize int64
	Logger  *slog.Logger
}

func (ib *Inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, ib.MaxSize))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		refuse(w, http.StatusRequestEntityTooLarge, "body larger than %d bytes", ib.MaxSize)
		return
	}
	if err != nil {
		refuse(w, http.StatusBadRequest, "unreadable body")
		return
	}
	activity, err := ap.Decode(body)
	if err != nil {
		refuse(w, http.StatusBadRequest, "body is not a JSON object")
		return
	}
	// jsonb, where activities wait for processing, cannot hold \u0000 (not
	// even re-encoded): such a body is bad input, not a reason for a 503
	// that the sender would retry for days.
	if hasNUL(map[string]any(activity)) {
		refuse(w, http.StatusBadRequest, "body contains \\u0000")
		return
	}
	actor := activity.Ref("actor")
	if actor == "" || activity.Type() == "" {
		refuse(w, http.StatusBadRequest, "activity has no actor or no type")
		return
	}
	host := ap.Host(actor)
	if host == "" {
		refuse(w, http.StatusBadRequest, "actor is not a URI")
		return
	}
	// An activity's id is minted by its actor's server: one on another host
	// could squat ids that server will use.
	if id := activity.ID(); id != "" && ap.Host(id) != host {
		refuse(w, http.StatusBadRequest, "activity id is not on the actor's host")
		return
	}
	// Store what we parsed, re-encoded: valid JSON (invalid escapes become
	// U+FFFD) that PostgreSQL's jsonb will always accept.
	clean, err := json.Marshal(activity)
	if err != nil {
		refuse(w, http.StatusBadRequest, "body is not usable JSON")
		return
	}
	if blocked, err := store.DomainBlocked(r.Context(), ib.In.DB, host); err != nil {
		refuse(w, http.StatusServiceUnavailable, "temporarily unavailable")
		return
	} else if blocked {
		refuse(w, http.StatusForbidden, "domain %s is blocked", host)
		return
	}

	recipient, ok := ib.recipient(w, r)
	if !ok {
		return
	}
	var owner *model.Identity
	keys := func(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, error) {
		key, o, err := ib.In.PublicKey(ctx, keyID, refresh)
		owner = o
		return key, err
	}
	verified, err := httpsig.Verify(r.Context(), r, body, keys, httpsig.Options{
		MaxSkew:       ib.In.MaxDateSkew,
		RequireDigest: true,
	})
	if err != nil {
		// A Delete of an actor we never knew, whose key is gone with it:
		// nothing to verify and nothing to delete.
		if activity.Type() == "Delete" && activity.Ref("object") == actor {
			if known, _ := store.IdentityByURI(r.Context(), ib.In.DB, actor); known == nil {
				w.WriteHeader(http.StatusAccepted)
				return
			}
		}
		ib.Logger.Debug("inbox: signature refused", "actor", actor, "type", activity.Type(), "error", err)
		w.Header().Set("WWW-Authenticate", `Signature realm="pukeko",headers="(request-target) host date digest"`)
		refuse(w, http.StatusUnauthorized, "signature not verified: %s", strings.TrimPrefix(err.Error(), "httpsig: "))
		return
	}
	if owner == nil || owner.URI != actor {
		refuse(w, http.StatusUnauthorized, "the signing key does not belong to the activity's actor")
		return
	}
	m := &store.InboxMessage{
		ActivityID:   activity.ID(),
		ActivityType: activity.Type(),
		ActorURI:     actor,
		KeyID:        verified.KeyID,
		Body:         clean,
	}
	if recipient != nil {
		m.RecipientID = recipient.ID
	}
	if err := store.InsertInboxMessage(r.Context(), ib.In.DB, m); err != nil {
		ib.Logger.Error("inbox: storing a verified activity failed", "error", err)
		refuse(w, http.StatusServiceUnavailable, "temporarily unavailable")
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// recipient resolves a per-identity inbox (/@user@domain/inbox); the shared
// inbox has none.
func (ib *Inbox) recipient(w http.ResponseWriter, r *http.Request) (*model.Identity, bool) {
	seg := r.PathValue("handle")
	if seg == "" {
		return nil, true
	}
	h := &Handlers{In: ib.In}
	i := h.identityFromPath(w, r)
	return i, i != nil
}

// refuse answers an error as JSON, in the shape Mastodon uses.
func refuse(w http.ResponseWriter, status int, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = sprintf(format, args...)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	writeErr(w, msg)
}

// hasNUL reports whether a decoded JSON value holds a NUL character in any
// string or key.
func hasNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case []any:
		for _, x := range v {
			if hasNUL(x) {
				return true
			}
		}
	case map[string]any:
		for k, x := range v {
			if strings.IndexByte(k, 0) >= 0 || hasNUL(x) {
				return true
			}
		}
	}
	return false
}
