package mastodon

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"pukeko/app/social"
)

// The account actions: each changes one relationship and answers the
// Relationship as it now is.

// maxMuteDuration bounds a timed mute (Mastodon takes any number of
// seconds; a century is "forever" for any client).
const maxMuteDuration = 100 * 365 * 24 * time.Hour

// follow follows an account, or changes the options of a follow: reblogs
// (boosts in the home timeline), notify (a notification per post) and
// languages.
func (a *API) follow(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	if target.ID == c.viewer.ID {
		c.notFound() // as Mastodon: following oneself is "not possible"
		return
	}
	opts := social.FollowOptions{Boosts: c.params.boolPtr("reblogs"), Notify: c.params.boolPtr("notify")}
	if c.params.has("languages") {
		var langs []string
		for _, l := range c.params.list("languages") {
			if l = strings.TrimSpace(l); l != "" {
				if !validLanguage(l) {
					c.invalid("Languages are not valid language codes")
					return
				}
				langs = append(langs, canonicalLanguage(l))
			}
		}
		opts.Languages = &langs
	}
	if _, err := a.In.FollowWith(c.ctx(), c.viewer, target, opts); err != nil {
		c.socialError(err)
		return
	}
	c.answerRelationship(target)
}

func (a *API) unfollow(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	if err := a.In.Unfollow(c.ctx(), c.viewer, target); err != nil {
		a.fail(c, err)
		return
	}
	c.answerRelationship(target)
}

// removeFromFollowers makes an account stop following the caller.
func (a *API) removeFromFollowers(c *call) {
	follower := c.pathAccount("id")
	if follower == nil {
		return
	}
	if err := a.In.RemoveFollower(c.ctx(), c.viewer, follower); err != nil {
		a.fail(c, err)
		return
	}
	c.answerRelationship(follower)
}

// block blocks an account (blocking oneself does nothing, as in Mastodon).
func (a *API) block(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	if target.ID != c.viewer.ID {
		if _, err := a.In.Block(c.ctx(), c.viewer, target); err != nil {
			a.fail(c, err)
			return
		}
	}
	c.answerRelationship(target)
}

func (a *API) unblock(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	if err := a.In.Unblock(c.ctx(), c.viewer, target); err != nil {
		a.fail(c, err)
		return
	}
	c.answerRelationship(target)
}

// mute mutes an account: notifications (default true) mutes its
// notifications too, duration (seconds, 0 for ever) ends the mute.
func (a *API) mute(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	seconds := 0
	if raw := strings.TrimSpace(c.params.str("duration")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			c.invalid("Duration must be a number of seconds")
			return
		}
		seconds = n
	}
	d := min(time.Duration(seconds)*time.Second, maxMuteDuration)
	if target.ID != c.viewer.ID {
		if _, err := a.In.Mute(c.ctx(), c.viewer, target, c.params.boolean("notifications", true), d); err != nil {
			a.fail(c, err)
			return
		}
	}
	c.answerRelationship(target)
}

func (a *API) unmute(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	if err := a.In.Unmute(c.ctx(), c.viewer, target); err != nil {
		a.fail(c, err)
		return
	}
	c.answerRelationship(target)
}

// endorse features an account on the caller's profile (Mastodon's
// endorse, formerly pin): only an account the caller follows.
func (a *API) endorse(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	if err := a.In.Endorse(c.ctx(), c.viewer, target); err != nil {
		if errors.Is(err, social.ErrNotFollowing) {
			c.invalid("You must be already following the person you want to endorse")
			return
		}
		a.fail(c, err)
		return
	}
	c.answerRelationship(target)
}

func (a *API) unendorse(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	if err := a.In.Unendorse(c.ctx(), c.viewer, target); err != nil {
		a.fail(c, err)
		return
	}
	c.answerRelationship(target)
}

// note sets the caller's private comment about an account (empty or
// absent: none).
func (a *API) note(c *call) {
	target := c.pathAccount("id")
	if target == nil {
		return
	}
	if err := a.In.SetAccountNote(c.ctx(), c.viewer, target, c.params.str("comment")); err != nil {
		if errors.Is(err, social.ErrNoteTooLong) {
			c.invalid("Comment is too long (maximum is %d characters)", social.MaxNoteLength)
			return
		}
		a.fail(c, err)
		return
	}
	c.answerRelationship(target)
}

// validLanguage reports whether s looks like an ISO 639 code (two or
// three letters, optionally a region).
func validLanguage(s string) bool {
	code, region, hasRegion := strings.Cut(s, "-")
	if len(code) < 2 || len(code) > 3 || hasRegion && (len(region) < 2 || len(region) > 4) {
		return false
	}
	for _, r := range code + region {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
