package social

import (
	"context"
	"errors"
	"time"

	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// Hashtag states: an outdated tag gets its usage counted; counts age, so
// an updated tag is recounted after HashtagRecount (and at once when a
// post uses it again: the trigger on posts moves it back).
const (
	HashtagOutdated = "outdated"
	HashtagUpdated  = "updated"
)

// HashtagRecount is how long counts of a tag nobody used again stay.
const HashtagRecount = 6 * time.Hour

// hashtagSettle is how long after its newest use a tag is counted again
// before its count is taken as settled.
const hashtagSettle = 5 * time.Second

// TrendingWindow is how far back trending tags are counted.
const TrendingWindow = 24 * time.Hour

func (in *Instance) hashtagGraph() *stator.Graph {
	g := stator.NewGraph("hashtags", "hashtags")
	g.State(HashtagOutdated).Retry(stator.Backoff{Base: 2 * time.Second, Max: time.Hour, Jitter: 0.2}).
		Handle(in.countHashtag, HashtagUpdated)
	g.State(HashtagUpdated).TimesOutTo(HashtagOutdated, HashtagRecount)
	return g
}

func (in *Instance) countHashtag(ctx context.Context, it stator.Item) (string, error) {
	name, err := store.HashtagNameByID(ctx, in.DB, it.ID)
	if err != nil || name == "" {
		return "", errors.Join(err, errMoved)
	}
	if err := store.CountHashtag(ctx, in.DB, name); err != nil {
		return "", err
	}
	// A post using the tag may commit just after the count: while the
	// tag is in use right now, count again after the backoff (the trigger
	// only marks 'updated' tags outdated).
	newest, err := store.NewestHashtagUse(ctx, in.DB, name)
	if err != nil {
		return "", err
	}
	if newest != 0 && time.Since(newest.Time()) < hashtagSettle {
		return "", nil
	}
	return HashtagUpdated, nil
}

// FollowHashtag makes a local identity follow a tag: public posts using it
// reach its home timeline from now on.
func (in *Instance) FollowHashtag(ctx context.Context, i *model.Identity, tag string) error {
	if !i.Local || i.Deleted != nil {
		return errors.New("only live local identities follow hashtags")
	}
	if store.NormalizeHashtag(tag) == "" {
		return errors.New("empty hashtag")
	}
	return store.FollowHashtag(ctx, in.DB, i.ID, tag)
}

// UnfollowHashtag stops following a tag.
func (in *Instance) UnfollowHashtag(ctx context.Context, i *model.Identity, tag string) error {
	return store.UnfollowHashtag(ctx, in.DB, i.ID, tag)
}

// TrendingHashtags returns the tags most distinct authors used in public
// posts over the last TrendingWindow.
func (in *Instance) TrendingHashtags(ctx context.Context, limit int) ([]store.TrendingHashtag, error) {
	return store.TrendingHashtags(ctx, in.DB, time.Now().Add(-TrendingWindow), limit)
}
