package social

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// Poll limits when the Instance fields are 0 (Mastodon's).
const (
	DefaultMaxPollOptions      = 4
	DefaultMaxPollOptionLength = 50
	DefaultMinPollExpiry       = 5 * time.Minute
	DefaultMaxPollExpiry       = 30 * 24 * time.Hour
)

// Poll states: open until it ends, then closed for good.
const (
	PollOpen   = "open"
	PollDirty  = "dirty" // open, with votes not yet sent to other servers
	PollClosed = "closed"
)

// Errors of polls and votes.
var (
	ErrInvalidPoll   = errors.New("invalid poll")
	ErrNotPoll       = errors.New("the post has no poll")
	ErrPollClosed    = errors.New("the poll has ended")
	ErrOwnPoll       = errors.New("one cannot vote in one's own poll")
	ErrAlreadyVoted  = errors.New("already voted")
	ErrInvalidChoice = errors.New("invalid choice")
)

// PollOptions is the poll an author attaches to a post.
type PollOptions struct {
	Options    []string
	Multiple   bool
	HideTotals bool
	ExpiresIn  time.Duration
}

func orDefault[T int | time.Duration](v, d T) T {
	if v > 0 {
		return v
	}
	return d
}

// checkPoll validates a poll an author writes and returns it to store
// (nil for none).
func (in *Instance) checkPoll(o *PollOptions) (*model.Poll, error) {
	if o == nil {
		return nil, nil
	}
	maxOptions := orDefault(in.MaxPollOptions, DefaultMaxPollOptions)
	maxLength := orDefault(in.MaxPollOptionLength, DefaultMaxPollOptionLength)
	minExpiry := orDefault(in.MinPollExpiry, DefaultMinPollExpiry)
	maxExpiry := orDefault(in.MaxPollExpiry, DefaultMaxPollExpiry)
	if n := len(o.Options); n < 2 || n > maxOptions {
		return nil, fmt.Errorf("%w: %d options, 2 to %d allowed", ErrInvalidPoll, n, maxOptions)
	}
	p := &model.Poll{Multiple: o.Multiple, HideTotals: o.HideTotals}
	for _, opt := range o.Options {
		opt = strings.TrimSpace(opt)
		if opt == "" {
			return nil, fmt.Errorf("%w: an empty option", ErrInvalidPoll)
		}
		if utf8.RuneCountInString(opt) > maxLength {
			return nil, fmt.Errorf("%w: option %q longer than %d characters", ErrInvalidPoll, opt, maxLength)
		}
		if slices.Contains(p.Options, opt) {
			return nil, fmt.Errorf("%w: option %q twice", ErrInvalidPoll, opt)
		}
		p.Options = append(p.Options, opt)
	}
	if o.ExpiresIn < minExpiry || o.ExpiresIn > maxExpiry {
		return nil, fmt.Errorf("%w: it must end in %s to %s", ErrInvalidPoll, minExpiry, maxExpiry)
	}
	t := time.Now().Add(o.ExpiresIn)
	p.Expires = &t
	p.Counts = make([]int, len(p.Options))
	return p, nil
}

// insertPost stores a new local post, with its poll when it has one, in
// one transaction: the post graph never sees a Question without its poll
// (nor a quote without what it quotes: also, when set, writes more in
// that transaction).
func (in *Instance) insertPost(ctx context.Context, p *model.Post, poll *model.Poll, mediaIDs []model.ID, also func(store.DB) error) error {
	if poll == nil && len(mediaIDs) == 0 && also == nil {
		_, err := store.InsertPost(ctx, in.DB, p, PostNew)
		return err
	}
	if poll != nil {
		p.ObjectType = "Question"
	}
	return pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if _, err := store.InsertPost(ctx, tx, p, PostNew); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if err := in.attachMedia(ctx, tx, p, mediaIDs); err != nil {
			return err
		}
		if poll == nil {
			return nil
		}
		poll.PostID = p.ID
		_, err := store.InsertPoll(ctx, tx, poll, PollOpen)
		return err
	})
}

// pollGraph closes polls when they end: the handler of open waits (Defer)
// until the poll's expiry, then closes it, notifies the author and the
// local voters and, for our polls, sends the final counts.
func (in *Instance) pollGraph() *stator.Graph {
	g := stator.NewGraph("polls", "polls")
	g.State(PollOpen).Retry(stator.Backoff{Base: 5 * time.Second, Max: time.Hour, Jitter: 0.2}).
		Handle(in.closePoll, PollClosed)
	g.State(PollDirty).Retry(stator.Backoff{Base: 5 * time.Second, Max: time.Hour, Jitter: 0.2}).
		Handle(in.sendPollProgress, PollOpen)
	g.State(PollClosed).Terminal()
	return g
}

func (in *Instance) closePoll(ctx context.Context, it stator.Item) (string, error) {
	pl, err := store.PollByRowID(ctx, in.DB, it.ID)
	if err != nil {
		return "", err
	}
	if pl == nil {
		return "", fmt.Errorf("poll %d is gone", it.ID)
	}
	if pl.State != it.State {
		return "", nil
	}
	if pl.Closed == nil {
		if pl.Expires == nil {
			return "", stator.Defer(365 * 24 * time.Hour) // never: look again in a year
		}
		if wait := time.Until(*pl.Expires); wait > 0 {
			return "", stator.Defer(wait)
		}
	}
	p, err := store.PostByID(ctx, in.DB, pl.PostID)
	if err != nil {
		return "", err
	}
	if p == nil || p.Deleted != nil {
		return PollClosed, nil
	}
	if _, err := store.ClosePoll(ctx, in.DB, p.ID); err != nil {
		return "", err
	}
	if p.Local {
		if err := store.RecountPoll(ctx, in.DB, p.ID); err != nil {
			return "", err
		}
	}
	if err := store.NotifyPollEnded(ctx, in.DB, p.ID, p.AuthorID); err != nil {
		return "", err
	}
	if federated(p) {
		if err := in.sendPollResults(ctx, p); err != nil {
			return "", err
		}
	}
	return PollClosed, nil
}

// pollUpdateDelay is how long votes on one of our polls gather before the
// new counts are sent to other servers: one Update for a burst of votes.
func (in *Instance) pollUpdateDelay() time.Duration {
	return orDefault(in.PollUpdateDelay, time.Minute)
}

// markPollDirty notes that one of our open polls has new votes to send;
// the first vote of a burst starts the delay, later ones join it.
func (in *Instance) markPollDirty(ctx context.Context, db store.DB, postID model.ID) error {
	_, err := db.Exec(ctx, `UPDATE polls SET state = 'dirty', state_changed = now(), state_attempts = 0,
		state_locked_until = NULL,
		state_next_attempt = least(now() + $2 * interval '1 second', coalesce(expires, 'infinity'))
		WHERE post_id = $1 AND state = 'open' AND closed IS NULL`, postID, in.pollUpdateDelay().Seconds())
	return err
}

// sendPollProgress sends the current counts of one of our polls once its
// votes have gathered, then waits for the next votes or the end.
func (in *Instance) sendPollProgress(ctx context.Context, it stator.Item) (string, error) {
	pl, err := store.PollByRowID(ctx, in.DB, it.ID)
	if err != nil || pl == nil || pl.State != it.State {
		return "", err
	}
	if pl.Ended(time.Now()) {
		return PollOpen, nil // closing sends the final counts
	}
	if wait := in.pollUpdateDelay() - time.Since(it.Changed); wait > 0 {
		if pl.Expires != nil {
			wait = min(wait, time.Until(*pl.Expires))
		}
		return "", stator.Defer(wait)
	}
	p, err := store.PostByID(ctx, in.DB, pl.PostID)
	if err != nil {
		return "", err
	}
	if p != nil && p.Deleted == nil && federated(p) {
		if err := in.sendPollUpdate(ctx, p, fmt.Sprintf("%s#updates/poll-%d", p.URI, model.NewID())); err != nil {
			return "", err
		}
	}
	return PollOpen, nil
}

// sendPollResults sends an Update of one of our Questions, with its final
// counts, to the post's audience and the remote voters.
func (in *Instance) sendPollResults(ctx context.Context, p *model.Post) error {
	return in.sendPollUpdate(ctx, p, p.URI+"#updates/poll-closed")
}

// sendPollUpdate sends an Update of one of our Questions with its counts
// now, to the post's audience and the remote voters.
func (in *Instance) sendPollUpdate(ctx context.Context, p *model.Post, activityID string) error {
	author, err := store.IdentityByID(ctx, in.DB, p.AuthorID)
	if err != nil || author == nil {
		return errors.Join(err, fmt.Errorf("poll %d: the author is gone", p.ID))
	}
	mentions, err := in.mentionedIdentities(ctx, p)
	if err != nil {
		return err
	}
	note, err := in.RenderPost(ctx, p, author, mentions)
	if err != nil {
		return err
	}
	voters, err := store.RemoteVoters(ctx, in.DB, p.ID)
	if err != nil {
		return err
	}
	inboxes, err := store.PostInboxes(ctx, in.DB, author.ID, toFollowers(p), append(slices.Clone(p.Mentions), voters...))
	if err != nil {
		return err
	}
	activity := ap.PostActivity("Update", activityID, author.URI, note)
	for _, inbox := range inboxes {
		if err := in.deliverTo(ctx, in.DB, author, inbox, activity); err != nil {
			return err
		}
	}
	return nil
}

// renderPoll adds the poll of a Question to its rendered note.
func (in *Instance) renderPoll(ctx context.Context, p *model.Post, note map[string]any) error {
	if p.ObjectType != "Question" {
		return nil
	}
	pl, err := store.PollByPost(ctx, in.DB, p.ID)
	if err != nil || pl == nil {
		return err
	}
	ap.RenderPoll(note, pl)
	return nil
}

// Vote makes voter (ours) vote in a post's poll. It refuses ended polls,
// one's own poll, choices out of range or repeated, several choices in a
// one-choice poll and voting again (in a multiple-choice poll, a choice
// already made). A vote on a remote poll goes to its author as one
// Create{Note} per choice, as Mastodon sends them; it counts here at once.
// It returns the poll with its counts.
func (in *Instance) Vote(ctx context.Context, voter *model.Identity, p *model.Post, choices []int) (*model.Poll, error) {
	if !voter.Local || voter.Deleted != nil {
		return nil, errors.New("only live local identities vote from here")
	}
	if p == nil || p.Deleted != nil {
		return nil, ErrPostNotFound
	}
	if p.AuthorID == voter.ID {
		return nil, ErrOwnPoll
	}
	if blocked, err := store.BlockedEitherWay(ctx, in.DB, voter.ID, p.AuthorID); err != nil || blocked {
		return nil, errors.Join(err, ErrBlocked)
	}
	author, err := store.IdentityByID(ctx, in.DB, p.AuthorID)
	if err != nil || author == nil {
		return nil, errors.Join(err, ErrPostNotFound)
	}
	var out *model.Poll
	err = pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		pl, err := store.PollForUpdate(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if pl == nil {
			return ErrNotPoll
		}
		if pl.Ended(time.Now()) {
			return ErrPollClosed
		}
		if len(choices) == 0 || (!pl.Multiple && len(choices) > 1) {
			return fmt.Errorf("%w: %d choices", ErrInvalidChoice, len(choices))
		}
		for k, c := range choices {
			if c < 0 || c >= len(pl.Options) || slices.Contains(choices[:k], c) {
				return fmt.Errorf("%w: %d", ErrInvalidChoice, c)
			}
		}
		had, err := store.VoteChoices(ctx, tx, p.ID, voter.ID)
		if err != nil {
			return err
		}
		if len(had) > 0 && !pl.Multiple {
			return ErrAlreadyVoted
		}
		for _, c := range choices {
			if slices.Contains(had, c) {
				return fmt.Errorf("%w: option %d", ErrAlreadyVoted, c)
			}
		}
		for _, c := range choices {
			v := &model.PollVote{PostID: p.ID, IdentityID: voter.ID, Choice: c}
			v.URI = fmt.Sprintf("%s#votes/%d", voter.URI, model.NewID())
			if ok, err := store.InsertVote(ctx, tx, v); err != nil {
				return err
			} else if !ok {
				return ErrAlreadyVoted
			}
			if !p.Local {
				if err := in.deliver(ctx, tx, voter, author, ap.VoteActivity(v.URI, voter.URI, p.URI, author.URI, pl.Options[c])); err != nil {
					return err
				}
			}
		}
		if p.Local {
			if err = store.RecountPoll(ctx, tx, p.ID); err == nil {
				err = in.markPollDirty(ctx, tx, p.ID)
			}
		} else {
			err = store.AddVotesToCounts(ctx, tx, p.ID, choices, len(had) == 0)
		}
		if err != nil {
			return err
		}
		out, err = store.PollByPost(ctx, tx, p.ID)
		return err
	})
	return out, err
}

// receiveVote counts a vote another server sent for one of our polls: a
// Create of a Note with a name and no content in reply to the Question.
// A vote is never stored as a post. handled is false when the object is
// not a vote.
func (in *Instance) receiveVote(ctx context.Context, actor *model.Identity, obj ap.Object) (result string, handled bool, err error) {
	if !ap.IsVote(obj) {
		return "", false, nil
	}
	p, err := store.PostByURI(ctx, in.DB, obj.Ref("inReplyTo"))
	if err != nil {
		return "", true, err
	}
	if p == nil || p.ObjectType != "Question" {
		return "", false, nil
	}
	if by := obj.Ref("attributedTo"); by != actor.URI {
		return "", true, badActivity("%s sent a vote attributed to %q", actor.URI, by)
	}
	if err := ap.SameHost(obj.ID(), actor.URI); err != nil {
		return "", true, badActivity("%v", err)
	}
	if !p.Local {
		return "ignored: a vote in a poll of another server", true, nil
	}
	if p.Deleted != nil {
		return "ignored: the poll was deleted", true, nil
	}
	if p.AuthorID == actor.ID {
		return "ignored: a vote in one's own poll", true, nil
	}
	if blocked, err := store.BlockedEitherWay(ctx, in.DB, actor.ID, p.AuthorID); err != nil || blocked {
		return "ignored: blocked", true, err
	}
	name := strings.TrimSpace(obj.String("name"))
	err = pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		pl, err := store.PollForUpdate(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		switch {
		case pl == nil:
			result = "ignored: the post has no poll"
			return nil
		case pl.Ended(time.Now()):
			result = "ignored: the poll has ended"
			return nil
		}
		choice := slices.Index(pl.Options, name)
		if choice < 0 {
			result = "ignored: no such option"
			return nil
		}
		had, err := store.VoteChoices(ctx, tx, p.ID, actor.ID)
		if err != nil {
			return err
		}
		if len(had) > 0 && !pl.Multiple && !slices.Contains(had, choice) {
			result = "ignored: already voted"
			return nil
		}
		ok, err := store.InsertVote(ctx, tx, &model.PollVote{PostID: p.ID, IdentityID: actor.ID, Choice: choice, URI: obj.ID()})
		if err != nil {
			return err
		}
		if !ok {
			result = "vote already counted"
			return nil
		}
		result = "vote counted"
		if err := store.RecountPoll(ctx, tx, p.ID); err != nil {
			return err
		}
		return in.markPollDirty(ctx, tx, p.ID)
	})
	return result, true, err
}

// storeRemotePoll stores the poll of a remote Question (nothing when it
// has none, or has it already).
func (in *Instance) storeRemotePoll(ctx context.Context, postID model.ID, obj ap.Object) error {
	pl, ok := ap.ParsePoll(obj)
	if !ok {
		return nil
	}
	pl.PostID = postID
	_, err := store.InsertPoll(ctx, in.DB, pl, PollOpen)
	return err
}

// updateRemotePoll applies the options and counts of an Update of a
// remote Question; a poll closed early is closed here at once.
func (in *Instance) updateRemotePoll(ctx context.Context, p *model.Post, obj ap.Object) error {
	pl, ok := ap.ParsePoll(obj)
	if !ok || p.Local {
		return nil
	}
	pl.PostID = p.ID
	old, err := store.PollByPost(ctx, in.DB, p.ID)
	if err != nil {
		return err
	}
	if old == nil {
		_, err := store.InsertPoll(ctx, in.DB, pl, PollOpen)
		return err
	}
	if err := store.SetRemotePoll(ctx, in.DB, pl); err != nil {
		return err
	}
	if old.State == PollOpen && old.Closed == nil && (pl.Closed != nil || !ptrTime(pl.Expires).Equal(ptrTime(old.Expires))) {
		// Closed early or moved: look at it again now.
		id, err := store.PollRowID(ctx, in.DB, p.ID)
		if err != nil {
			return err
		}
		_, err = in.graphs().polls.Move(ctx, in.DB, id, PollOpen)
		return err
	}
	return nil
}

func ptrTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
