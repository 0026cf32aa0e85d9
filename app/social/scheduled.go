package social

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// Scheduled status states: waiting for their time, then published (or
// failed, when what was scheduled can no longer be posted); finished rows
// are deleted after a while.
const (
	ScheduledWaiting   = "scheduled"
	ScheduledPublished = "published"
	ScheduledFailed    = "failed"
)

// Scheduling limits (Mastodon's).
const (
	MinScheduleAhead   = 5 * time.Minute
	MaxScheduledTotal  = 300
	MaxScheduledPerDay = 25
)

// Errors of scheduling.
var (
	ErrScheduleTooSoon       = errors.New("the scheduled date must be at least 5 minutes in the future")
	ErrTooManyScheduled      = errors.New("too many scheduled statuses")
	ErrScheduledNotFound     = errors.New("scheduled status not found")
	errScheduledNotPublished = errors.New("scheduled status could not be published")
)

var scheduledGraphs sync.Map // *Instance -> *stator.Graph

// ScheduledStatusGraph is the graph that publishes scheduled statuses
// when their time comes (table scheduled_statuses). It is not among
// Graphs: the node adds it to the graphs it runs.
func (in *Instance) ScheduledStatusGraph() *stator.Graph {
	if g, ok := scheduledGraphs.Load(in); ok {
		return g.(*stator.Graph)
	}
	g := stator.NewGraph("scheduled_statuses", "scheduled_statuses")
	g.State(ScheduledWaiting).Retry(stator.Backoff{Base: 10 * time.Second, Max: time.Hour, Jitter: 0.2}).
		Handle(in.publishScheduled, ScheduledPublished, ScheduledFailed)
	g.State(ScheduledPublished).DeleteAfter(24 * time.Hour)
	g.State(ScheduledFailed).DeleteAfter(7 * 24 * time.Hour)
	actual, _ := scheduledGraphs.LoadOrStore(in, g)
	return actual.(*stator.Graph)
}

// checkSchedule validates when a status of who is to be published.
func (in *Instance) checkSchedule(ctx context.Context, db store.DB, who *model.Identity, at time.Time) error {
	if time.Until(at) < MinScheduleAhead {
		return ErrScheduleTooSoon
	}
	total, sameDay, err := store.ScheduledCounts(ctx, db, who.ID, ScheduledWaiting, at)
	if err != nil {
		return err
	}
	if total >= MaxScheduledTotal {
		return fmt.Errorf("%w: you have exceeded the limit of %d scheduled posts", ErrTooManyScheduled, MaxScheduledTotal)
	}
	if sameDay >= MaxScheduledPerDay {
		return fmt.Errorf("%w: you have exceeded the limit of %d scheduled posts for that day", ErrTooManyScheduled, MaxScheduledPerDay)
	}
	return nil
}

// ScheduleStatus keeps a status of who (ours) to publish at at, which must
// be MinScheduleAhead away at least. The status is checked as posting it
// would be now; its uploads are kept for it.
func (in *Instance) ScheduleStatus(ctx context.Context, who *model.Identity, at time.Time, params store.ScheduledParams) (*store.ScheduledStatus, error) {
	if !who.Local || who.Deleted != nil {
		return nil, errors.New("only live local identities post from here")
	}
	if params.Visibility != "" && !model.ValidVisibility(params.Visibility) {
		return nil, fmt.Errorf("unknown visibility %q", params.Visibility)
	}
	if err := in.checkLength(params.Text, params.SpoilerText, len(params.MediaIDs) > 0); err != nil {
		return nil, err
	}
	if _, err := in.checkPoll(scheduledPoll(params.Poll)); err != nil {
		return nil, err
	}
	if err := in.checkMedia(ctx, in.DB, who.ID, 0, params.MediaIDs); err != nil {
		return nil, err
	}
	s := &store.ScheduledStatus{IdentityID: who.ID, ScheduledAt: at.UTC(), Params: params}
	err := pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if err := store.LockIdentity(ctx, tx, who.ID); err != nil {
			return err
		}
		if err := in.checkSchedule(ctx, tx, who, at); err != nil {
			return err
		}
		if err := store.InsertScheduledStatus(ctx, tx, s, ScheduledWaiting); err != nil {
			return err
		}
		return store.KeepUploadsUntil(ctx, tx, who.ID, params.MediaIDs, at)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ScheduledStatus returns one of who's statuses still waiting, else
// ErrScheduledNotFound.
func (in *Instance) ScheduledStatus(ctx context.Context, who *model.Identity, id model.ID) (*store.ScheduledStatus, error) {
	s, err := store.ScheduledStatusByID(ctx, in.DB, id)
	if err != nil {
		return nil, err
	}
	if s == nil || s.IdentityID != who.ID || s.State != ScheduledWaiting {
		return nil, ErrScheduledNotFound
	}
	return s, nil
}

// Reschedule moves one of who's waiting statuses to at.
func (in *Instance) Reschedule(ctx context.Context, who *model.Identity, id model.ID, at time.Time) (*store.ScheduledStatus, error) {
	s, err := in.ScheduledStatus(ctx, who, id)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if err := store.LockIdentity(ctx, tx, who.ID); err != nil {
			return err
		}
		if time.Until(at) < MinScheduleAhead {
			return ErrScheduleTooSoon
		}
		if !sameDay(at, s.ScheduledAt) {
			if err := in.checkSchedule(ctx, tx, who, at); err != nil {
				return err
			}
		}
		if ok, err := store.RescheduleStatus(ctx, tx, id, ScheduledWaiting, at.UTC()); err != nil {
			return err
		} else if !ok {
			return ErrScheduledNotFound
		}
		return store.KeepUploadsUntil(ctx, tx, who.ID, s.Params.MediaIDs, at)
	})
	if err != nil {
		return nil, err
	}
	s.ScheduledAt = at.UTC()
	return s, nil
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Truncate(24 * time.Hour).Equal(b.UTC().Truncate(24 * time.Hour))
}

// Unschedule deletes one of who's waiting statuses.
func (in *Instance) Unschedule(ctx context.Context, who *model.Identity, id model.ID) error {
	if _, err := in.ScheduledStatus(ctx, who, id); err != nil {
		return err
	}
	ok, err := store.DeleteScheduledStatus(ctx, in.DB, id, ScheduledWaiting)
	if err == nil && !ok {
		err = ErrScheduledNotFound
	}
	return err
}

func scheduledPoll(p *store.ScheduledPoll) *PollOptions {
	if p == nil {
		return nil
	}
	return &PollOptions{Options: p.Options, Multiple: p.Multiple, HideTotals: p.HideTotals,
		ExpiresIn: time.Duration(p.ExpiresIn) * time.Second}
}

// publishScheduled posts a scheduled status once its time has come. A
// status that can no longer be posted (its author gone, its text or
// uploads no longer acceptable) fails; a reply whose parent is gone or
// hidden from the author is posted without it.
//
// The post is recorded on the row right after it is made: a crash in
// between would post it again when the row is retried.
func (in *Instance) publishScheduled(ctx context.Context, it stator.Item) (string, error) {
	s, err := store.ScheduledStatusByID(ctx, in.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if s == nil || s.State != it.State {
		return "", ignoreMoved(errMoved)
	}
	if wait := time.Until(s.ScheduledAt); wait > 0 {
		return "", stator.Defer(wait)
	}
	if s.PostID != 0 {
		return ScheduledPublished, nil
	}
	author, err := store.IdentityByID(ctx, in.DB, s.IdentityID)
	if err != nil {
		return "", err
	}
	if author == nil || author.Deleted != nil {
		return ScheduledFailed, nil
	}
	opts := PostOptions{
		Text:       s.Params.Text,
		Visibility: s.Params.Visibility,
		Summary:    s.Params.SpoilerText,
		Sensitive:  s.Params.Sensitive,
		Language:   s.Params.Language,
		Poll:       scheduledPoll(s.Params.Poll),
		MediaIDs:   s.Params.MediaIDs,
	}
	if s.Params.InReplyToID != 0 {
		parent, err := store.PostByID(ctx, in.DB, s.Params.InReplyToID)
		if err != nil {
			return "", err
		}
		if ok, err := in.CanSee(ctx, author.ID, parent); err != nil {
			return "", err
		} else if ok {
			opts.InReplyTo = parent
		}
	}
	p, err := in.CreatePost(ctx, author, opts)
	if err != nil {
		if refusedPost(err) {
			in.Logger.Info("scheduled status not published", "scheduled_status", s.ID, "error", err)
			return ScheduledFailed, nil
		}
		return "", errors.Join(errScheduledNotPublished, err)
	}
	if err := store.SetScheduledPost(ctx, in.DB, s.ID, p.ID); err != nil {
		return "", err
	}
	return ScheduledPublished, nil
}

// refusedPost reports whether CreatePost refused what it was given (as
// opposed to failing).
func refusedPost(err error) bool {
	for _, e := range []error{ErrEmptyPost, ErrPostTooLong, ErrInvalidPoll, ErrMediaNotFound, ErrMediaProcessing, ErrTooManyAttachments} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
