package social

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"pukeko/app/model"
	"pukeko/app/store"
)

// FollowOptions are what a follower takes of the followed account; nil
// fields keep their value (for a new follow: boosts on, no notifications,
// every language).
type FollowOptions struct {
	Boosts    *bool
	Notify    *bool
	Languages *[]string // ISO 639 codes; empty: all
}

// FollowWith is Follow with options: following again changes only the
// options, as Mastodon's follow endpoint does.
func (in *Instance) FollowWith(ctx context.Context, source, target *model.Identity, opts FollowOptions) (*model.Follow, error) {
	f, err := in.Follow(ctx, source, target)
	if err != nil {
		return nil, err
	}
	if opts.Boosts == nil && opts.Notify == nil && opts.Languages == nil {
		return f, nil
	}
	if opts.Boosts != nil {
		f.Boosts = *opts.Boosts
	}
	if opts.Notify != nil {
		f.Notify = *opts.Notify
	}
	if err := store.SetFollowOptions(ctx, in.DB, f.ID, f.Boosts, f.Notify, opts.Languages); err != nil {
		return nil, err
	}
	return f, nil
}

// ErrNotFollowing means an account must be followed first (endorsing).
var ErrNotFollowing = errors.New("not following the account")

// Endorse features target on who's profile; only accounts who follows
// may be featured.
func (in *Instance) Endorse(ctx context.Context, who, target *model.Identity) error {
	f, err := store.FollowBetween(ctx, in.DB, who.ID, target.ID)
	if err != nil {
		return err
	}
	if !Following(f, target) {
		return ErrNotFollowing
	}
	return store.Endorse(ctx, in.DB, who.ID, target.ID)
}

// Following reports whether follow f (nil: none) of target counts as
// following: accepted, or just made to an unlocked account of ours, which
// the follow graph accepts within moments (Mastodon follows such an
// account at once, and clients show it so).
func Following(f *model.Follow, target *model.Identity) bool {
	if f == nil {
		return false
	}
	return f.State == FollowAccepted || f.State == FollowUnrequested && target.Local && !target.Locked
}

// Unendorse stops featuring target.
func (in *Instance) Unendorse(ctx context.Context, who, target *model.Identity) error {
	return store.Unendorse(ctx, in.DB, who.ID, target.ID)
}

// MaxNoteLength bounds a private note about an account, as Mastodon's.
const MaxNoteLength = 2000

// ErrNoteTooLong means a private note is longer than MaxNoteLength.
var ErrNoteTooLong = errors.New("note too long")

// SetAccountNote keeps who's private comment about target (empty: none).
func (in *Instance) SetAccountNote(ctx context.Context, who, target *model.Identity, comment string) error {
	if utf8.RuneCountInString(comment) > MaxNoteLength {
		return ErrNoteTooLong
	}
	return store.SetAccountNote(ctx, in.DB, who.ID, target.ID, comment)
}

// ErrInvalidDomain means a domain to block is no remote domain name.
var ErrInvalidDomain = errors.New("invalid domain")

// NormalizeDomain reads a domain as people type it (a URL, a handle's
// host, any case) and returns its lower-case host; "" when it is none.
func NormalizeDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 || !strings.Contains(s, ".") {
		return ""
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return ""
		}
		for _, r := range label {
			if !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127) {
				return ""
			}
		}
	}
	return s
}

// BlockDomain hides a remote domain from who: its posts (store.VisibleTo,
// but for accounts who follows), and its accounts as followers: the
// followers who has there are removed, and the domain's accounts cannot
// follow who again while the block lasts.
func (in *Instance) BlockDomain(ctx context.Context, who *model.Identity, domain string) error {
	d := NormalizeDomain(domain)
	if d == "" {
		return ErrInvalidDomain
	}
	if local, err := store.LocalDomainByHost(ctx, in.DB, d); err != nil || local != nil {
		return errors.Join(err, ErrInvalidDomain)
	}
	if _, err := store.BlockDomainFor(ctx, in.DB, who.ID, d); err != nil {
		return err
	}
	followers, err := store.FollowersFrom(ctx, in.DB, who.ID, d)
	if err != nil {
		return err
	}
	for _, f := range followers {
		// Told with a Reject, as RemoveFollower does.
		if _, err := in.graphs().follows.Move(ctx, in.DB, int64(f.ID), FollowRejecting); err != nil {
			return err
		}
	}
	return nil
}

// UnblockDomain lifts who's block of a domain.
func (in *Instance) UnblockDomain(ctx context.Context, who *model.Identity, domain string) error {
	d := NormalizeDomain(domain)
	if d == "" {
		return ErrInvalidDomain
	}
	return store.UnblockDomainFor(ctx, in.DB, who.ID, d)
}

// ErrInvalidHashtag means a name is no hashtag.
var ErrInvalidHashtag = errors.New("invalid hashtag")

// FeatureHashtag features a tag on who's profile (at most
// store.MaxFeaturedTags), returning the featured tag's id.
func (in *Instance) FeatureHashtag(ctx context.Context, who *model.Identity, tag string) (model.ID, error) {
	if store.NormalizeHashtag(tag) == "" {
		return 0, ErrInvalidHashtag
	}
	if err := store.EnsureHashtag(ctx, in.DB, tag); err != nil {
		return 0, err
	}
	return store.FeatureTag(ctx, in.DB, who.ID, tag)
}

// UnfeatureHashtag stops featuring a tag, given by featured-tag id or, when
// id is 0, by name; it reports whether one was featured.
func (in *Instance) UnfeatureHashtag(ctx context.Context, who *model.Identity, id model.ID, tag string) (bool, error) {
	return store.UnfeatureTag(ctx, in.DB, who.ID, id, tag)
}

// DismissSuggestion keeps target out of who's follow suggestions.
func (in *Instance) DismissSuggestion(ctx context.Context, who, target *model.Identity) error {
	return store.DismissSuggestion(ctx, in.DB, who.ID, target.ID)
}

// SavePreferences writes who's posting defaults and reading preferences.
func (in *Instance) SavePreferences(ctx context.Context, who *model.Identity, p store.Preferences) error {
	if !who.Local {
		return errors.New("only local identities have preferences")
	}
	return store.SavePreferences(ctx, in.DB, who.ID, p)
}
