package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const pollColumns = `pl.post_id, pl.options, pl.multiple, pl.hide_totals, pl.expires, pl.closed, pl.voters_count, pl.counts, pl.state`

func scanPoll(row pgx.Row) (*model.Poll, error) {
	var p model.Poll
	var counts []int32
	err := row.Scan(&p.PostID, &p.Options, &p.Multiple, &p.HideTotals, &p.Expires, &p.Closed, &p.VotersCount, &counts, &p.State)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.Counts = make([]int, len(counts))
	for k, c := range counts {
		p.Counts[k] = int(c)
	}
	return &p, nil
}

func onePoll(ctx context.Context, db DB, what, where string, args ...any) (*model.Poll, error) {
	p, err := scanPoll(db.QueryRow(ctx, "SELECT "+pollColumns+" FROM polls pl WHERE "+where, args...))
	if err != nil {
		return nil, fmt.Errorf("store: poll by %s: %w", what, err)
	}
	return p, nil
}

func int32s(v []int) []int32 {
	out := make([]int32, len(v))
	for k, n := range v {
		out[k] = int32(n)
	}
	return out
}

// InsertPoll stores the poll of a post in state (the poll graph's first
// state), first looked at when it expires (or closed). A post has one poll: storing it
// again changes nothing and reports false.
func InsertPoll(ctx context.Context, db DB, p *model.Poll, state string) (bool, error) {
	if len(p.Counts) != len(p.Options) {
		p.Counts = make([]int, len(p.Options))
	}
	tag, err := db.Exec(ctx, `INSERT INTO polls (post_id, options, multiple, hide_totals, expires, closed, voters_count, counts,
		state, state_next_attempt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce(least($5::timestamptz, $6::timestamptz), now()))
		ON CONFLICT (post_id) DO NOTHING`,
		p.PostID, p.Options, p.Multiple, p.HideTotals, p.Expires, p.Closed, p.VotersCount, int32s(p.Counts), state)
	if err != nil {
		return false, fmt.Errorf("store: creating poll of post %d: %w", p.PostID, err)
	}
	p.State = state
	return tag.RowsAffected() == 1, nil
}

// PollByPost returns the poll of a post, or nil.
func PollByPost(ctx context.Context, db DB, postID model.ID) (*model.Poll, error) {
	return onePoll(ctx, db, "post", "pl.post_id = $1", postID)
}

// PollByRowID returns the poll with Stator id id, or nil.
func PollByRowID(ctx context.Context, db DB, id int64) (*model.Poll, error) {
	return onePoll(ctx, db, "id", "pl.id = $1", id)
}

// PollRowID returns the Stator id of a post's poll (0 when none).
func PollRowID(ctx context.Context, db DB, postID model.ID) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, "SELECT id FROM polls WHERE post_id = $1", postID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: poll of post %d: %w", postID, err)
	}
	return id, nil
}

// PollForUpdate returns the poll of a post locked until the end of the
// transaction tx, or nil: votes on one poll are counted one at a time.
func PollForUpdate(ctx context.Context, tx DB, postID model.ID) (*model.Poll, error) {
	return onePoll(ctx, tx, "post", "pl.post_id = $1 FOR UPDATE", postID)
}

// PollResults returns the poll of a post with its per-option counts and
// its number of distinct voters, or nil when the post has no poll.
func PollResults(ctx context.Context, db DB, postID model.ID) (*model.Poll, error) {
	return PollByPost(ctx, db, postID)
}

// VoteChoices returns the choices an identity voted for in a poll, in
// order (none when it has not voted).
func VoteChoices(ctx context.Context, db DB, postID, identityID model.ID) ([]int, error) {
	rows, err := db.Query(ctx, `SELECT choice FROM poll_votes WHERE post_id = $1 AND identity_id = $2 ORDER BY choice`,
		postID, identityID)
	if err != nil {
		return nil, fmt.Errorf("store: votes of %d on %d: %w", identityID, postID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (int, error) {
		var c int32
		err := row.Scan(&c)
		return int(c), err
	})
	if err != nil {
		return nil, fmt.Errorf("store: votes of %d on %d: %w", identityID, postID, err)
	}
	return out, nil
}

// InsertVote records one choice of a voter, unless the same vote (by its
// URI) or the same choice of the voter is recorded: then it reports false.
func InsertVote(ctx context.Context, db DB, v *model.PollVote) (bool, error) {
	if v.Created.IsZero() {
		v.Created = time.Now()
	}
	tag, err := db.Exec(ctx, `INSERT INTO poll_votes (post_id, identity_id, choice, uri, created)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, v.PostID, v.IdentityID, v.Choice, v.URI, v.Created)
	if err != nil {
		return false, fmt.Errorf("store: recording vote %s: %w", v.URI, err)
	}
	return tag.RowsAffected() == 1, nil
}

// RecountPoll recounts one of our polls from its votes: per option, and
// distinct voters. Idempotent.
func RecountPoll(ctx context.Context, db DB, postID model.ID) error {
	_, err := db.Exec(ctx, `UPDATE polls pl SET
		counts = ARRAY(SELECT (SELECT count(*) FROM poll_votes v WHERE v.post_id = pl.post_id AND v.choice = k)::integer
			FROM generate_series(0, cardinality(pl.options) - 1) AS k ORDER BY k),
		voters_count = (SELECT count(DISTINCT v.identity_id) FROM poll_votes v WHERE v.post_id = pl.post_id)
		WHERE pl.post_id = $1`, postID)
	if err != nil {
		return fmt.Errorf("store: recounting poll %d: %w", postID, err)
	}
	return nil
}

// AddVotesToCounts adds a vote of ours on a remote poll to the counts its
// server sent, until it sends new ones: one to each choice, and one voter
// when newVoter.
func AddVotesToCounts(ctx context.Context, db DB, postID model.ID, choices []int, newVoter bool) error {
	_, err := db.Exec(ctx, `UPDATE polls pl SET
		counts = ARRAY(SELECT pl.counts[k + 1] + CASE WHEN k = ANY ($2::integer[]) THEN 1 ELSE 0 END
			FROM generate_series(0, cardinality(pl.counts) - 1) AS k ORDER BY k),
		voters_count = pl.voters_count + CASE WHEN $3 THEN 1 ELSE 0 END
		WHERE pl.post_id = $1`, postID, int32s(choices), newVoter)
	if err != nil {
		return fmt.Errorf("store: counting votes on poll %d: %w", postID, err)
	}
	return nil
}

// SetRemotePoll writes what a remote poll's server says of it: options,
// counts, voters, end and closing time. Votes of ours for options that
// are gone are dropped.
func SetRemotePoll(ctx context.Context, db DB, p *model.Poll) error {
	_, err := db.Exec(ctx, `UPDATE polls SET options = $2, multiple = $3, expires = $4, closed = coalesce($5, closed),
		voters_count = $6, counts = $7 WHERE post_id = $1`,
		p.PostID, p.Options, p.Multiple, p.Expires, p.Closed, p.VotersCount, int32s(p.Counts))
	if err != nil {
		return fmt.Errorf("store: updating poll %d: %w", p.PostID, err)
	}
	if _, err := db.Exec(ctx, `DELETE FROM poll_votes WHERE post_id = $1 AND choice >= $2`, p.PostID, len(p.Options)); err != nil {
		return fmt.Errorf("store: updating poll %d: %w", p.PostID, err)
	}
	return nil
}

// ClosePoll marks a poll closed (keeping an earlier closing time) and
// returns when it closed.
func ClosePoll(ctx context.Context, db DB, postID model.ID) (time.Time, error) {
	var closed time.Time
	err := db.QueryRow(ctx, `UPDATE polls SET closed = coalesce(closed, least(coalesce(expires, now()), now()))
		WHERE post_id = $1 RETURNING closed`, postID).Scan(&closed)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: closing poll %d: %w", postID, err)
	}
	return closed, nil
}

// NotifyPollEnded writes 'poll' notifications about an ended poll for its
// author (when local) and its local voters, the author as subject, once
// each, in one statement.
func NotifyPollEnded(ctx context.Context, db DB, postID, authorID model.ID) error {
	_, err := db.Exec(ctx, `INSERT INTO timeline_events (id, identity_id, type, post_id, subject_id)
		SELECT nextval('timeline_events_id_seq'), i.id, 'poll', $1, $2
		FROM identities i WHERE i.local AND i.deleted IS NULL
		AND (i.id = $2 OR i.id IN (SELECT v.identity_id FROM poll_votes v WHERE v.post_id = $1))
		AND NOT `+notificationsSilenced("i.id", "$2")+`
		AND NOT EXISTS (SELECT 1 FROM timeline_events e WHERE e.identity_id = i.id AND e.type <> 'post'
			AND e.type = 'poll' AND e.post_id = $1)`, postID, authorID)
	if err != nil {
		return fmt.Errorf("store: poll notifications of post %d: %w", postID, err)
	}
	return nil
}

// RemoteVoters returns the remote identities that voted in a poll.
func RemoteVoters(ctx context.Context, db DB, postID model.ID) ([]model.ID, error) {
	rows, err := db.Query(ctx, `SELECT DISTINCT v.identity_id FROM poll_votes v JOIN identities i ON i.id = v.identity_id
		WHERE v.post_id = $1 AND NOT i.local ORDER BY v.identity_id`, postID)
	if err != nil {
		return nil, fmt.Errorf("store: remote voters of %d: %w", postID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: remote voters of %d: %w", postID, err)
	}
	return idsOf(ids), nil
}
