package mastodon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"pukeko/app/social"
	"pukeko/app/store"
)

// idempotencyWait is how long a request repeating an Idempotency-Key
// waits for the first one to finish before giving up.
const idempotencyWait = 10 * time.Second

// idempotentStatus serves POST /api/v1/statuses with an Idempotency-Key:
// the first request with a key makes the status; the same key from the
// same identity within an hour answers that status (or scheduled status)
// again, waiting for it while the first request is still at work. Keys
// are kept hashed.
func (a *API) idempotentStatus(c *call, rawKey string) {
	sum := sha256.Sum256([]byte(rawKey))
	key := hex.EncodeToString(sum[:])
	claimed, prior, err := store.ClaimIdempotencyKey(c.ctx(), a.In.DB, c.viewer.ID, key)
	if err != nil {
		a.fail(c, err)
		return
	}
	if !claimed {
		for deadline := time.Now().Add(idempotencyWait); !prior.Done() && time.Now().Before(deadline); {
			select {
			case <-c.ctx().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			if prior, err = store.IdempotencyResult(c.ctx(), a.In.DB, c.viewer.ID, key); err != nil {
				a.fail(c, err)
				return
			}
		}
		if !prior.Done() {
			c.errorf(http.StatusServiceUnavailable, "There was a temporary problem serving your request, please try again")
			return
		}
		a.answerIdempotent(c, prior)
		return
	}
	res := a.postStatus(c, rawKey)
	// The answer may be gone to a client that left: the key's outcome is
	// recorded all the same.
	ctx := context.WithoutCancel(c.ctx())
	if res.Done() {
		err = store.FinishIdempotencyKey(ctx, a.In.DB, c.viewer.ID, key, res)
	} else {
		err = store.ReleaseIdempotencyKey(ctx, a.In.DB, c.viewer.ID, key)
	}
	if err != nil {
		a.Logger.Error("api: recording an idempotency key", "error", err)
	}
}

// answerIdempotent answers again what a request with the same key made.
func (a *API) answerIdempotent(c *call, r store.IdempotentResult) {
	if r.ScheduledID != 0 {
		s, err := store.ScheduledStatusByID(c.ctx(), a.In.DB, r.ScheduledID)
		if err != nil {
			a.fail(c, err)
			return
		}
		if s == nil || s.PostID == 0 && s.State != social.ScheduledWaiting {
			c.notFound()
			return
		}
		if s.PostID == 0 {
			c.answerScheduled(s)
			return
		}
		r.PostID = s.PostID // published meanwhile
	}
	p, err := store.PostByID(c.ctx(), a.In.DB, r.PostID)
	if err != nil {
		a.fail(c, err)
		return
	}
	if p == nil || p.Deleted != nil {
		c.notFound()
		return
	}
	c.answerOne(p)
}

// scheduleStatus keeps a status to post at raw (scheduled_at) and
// answers the ScheduledStatus.
func (a *API) scheduleStatus(c *call, opts social.PostOptions, raw, key string) store.IdempotentResult {
	at, ok := c.parseScheduledAt(raw)
	if !ok {
		return store.IdempotentResult{}
	}
	params := store.ScheduledParams{
		Text:        opts.Text,
		Visibility:  opts.Visibility,
		SpoilerText: opts.Summary,
		Sensitive:   opts.Sensitive,
		Language:    opts.Language,
		MediaIDs:    opts.MediaIDs,
		Idempotency: key,
	}
	if opts.InReplyTo != nil {
		params.InReplyToID = opts.InReplyTo.ID
	}
	if c.grant != nil && c.grant.App != nil {
		params.ApplicationID = c.grant.App.ID
	}
	if p := opts.Poll; p != nil {
		params.Poll = &store.ScheduledPoll{Options: p.Options, ExpiresIn: int(p.ExpiresIn / time.Second),
			Multiple: p.Multiple, HideTotals: p.HideTotals}
	}
	s, err := a.In.ScheduleStatus(c.ctx(), c.viewer, at, params)
	if err != nil {
		c.statusActionError(err)
		return store.IdempotentResult{}
	}
	c.answerScheduled(s)
	return store.IdempotentResult{ScheduledID: s.ID}
}
