package mastodon

import (
	"strconv"
	"strings"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// Relationship is Mastodon's Relationship: what the caller and an account
// are to each other.
type Relationship struct {
	ID                  string   `json:"id"`
	Following           bool     `json:"following"`
	ShowingReblogs      bool     `json:"showing_reblogs"`
	Notifying           bool     `json:"notifying"`
	Languages           []string `json:"languages"`
	FollowedBy          bool     `json:"followed_by"`
	Blocking            bool     `json:"blocking"`
	BlockedBy           bool     `json:"blocked_by"`
	Muting              bool     `json:"muting"`
	MutingNotifications bool     `json:"muting_notifications"`
	MutingExpiresAt     *string  `json:"muting_expires_at"`
	Requested           bool     `json:"requested"`
	RequestedBy         bool     `json:"requested_by"`
	DomainBlocking      bool     `json:"domain_blocking"`
	Endorsed            bool     `json:"endorsed"`
	Note                string   `json:"note"`
}

// FamiliarFollowers is Mastodon's FamiliarFollowers.
type FamiliarFollowers struct {
	ID       string     `json:"id"`
	Accounts []*Account `json:"accounts"`
}

// maxRelationshipIDs bounds the ids of one request for relationships or
// accounts.
const maxRelationshipIDs = 100

// renderRelationship turns the stored facts into Mastodon's booleans.
//
// A follow of an unlocked local account counts as following from the
// start (the graph accepts it within moments, as Mastodon follows at
// once); one of a remote or locked account is requested until accepted. A
// follower whose request was approved counts while the Accept is on its
// way. A block ends follows both ways (in the background): while one is in
// force, no follow shows.
func renderRelationship(r *store.Relationship) *Relationship {
	out := &Relationship{
		ID:                  idStr(r.ID),
		Blocking:            r.Blocking,
		BlockedBy:           r.BlockedBy,
		Muting:              r.Muting,
		MutingNotifications: r.Muting && r.MutingNotifications,
		DomainBlocking:      r.DomainBlocking,
		Endorsed:            r.Endorsed,
		Note:                r.Note,
	}
	if r.Muting {
		out.MutingExpiresAt = tsPtr(r.MuteExpires)
	}
	if r.Blocking || r.BlockedBy {
		return out
	}
	switch r.FollowState {
	case social.FollowAccepted:
		out.Following = true
	case social.FollowUnrequested:
		if r.Local && !r.Locked {
			out.Following = true
		} else {
			out.Requested = true
		}
	case social.FollowRequested, social.FollowPendingApproval:
		out.Requested = true
	}
	if out.Following || out.Requested {
		out.ShowingReblogs = r.Boosts
		out.Notifying = r.Notify
		out.Languages = r.Languages
	}
	switch r.FollowedState {
	case social.FollowAccepted, social.FollowAccepting:
		out.FollowedBy = true
	case social.FollowPendingApproval:
		out.RequestedBy = true
	}
	return out
}

// relationships loads the caller's relationships with ids, in the order
// given (unknown ids left out).
func (c *call) relationships(ids []model.ID, withDeleted bool) ([]*Relationship, error) {
	found, err := store.Relationships(c.ctx(), c.api.In.DB, c.viewer.ID, ids, withDeleted)
	if err != nil {
		return nil, err
	}
	out := make([]*Relationship, 0, len(ids))
	seen := map[model.ID]bool{}
	for _, id := range ids {
		if r := found[id]; r != nil && !seen[id] {
			out = append(out, renderRelationship(r))
			seen[id] = true
		}
	}
	return out, nil
}

// answerRelationship answers the caller's relationship with i, what every
// account action returns.
func (c *call) answerRelationship(i *model.Identity) {
	list, err := c.relationships([]model.ID{i.ID}, true)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	if len(list) == 0 {
		c.notFound()
		return
	}
	c.ok(list[0])
}

// queryIDs reads id[] (or id) for the batch endpoints: at most
// maxRelationshipIDs; malformed ids name no account and are dropped, as
// Mastodon's lookup by id finds nothing for them.
func (c *call) queryIDs() []model.ID {
	var ids []model.ID
	for _, s := range c.params.list("id") {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && n > 0 {
			ids = append(ids, model.ID(n))
		}
	}
	if len(ids) > maxRelationshipIDs {
		ids = ids[:maxRelationshipIDs]
	}
	return ids
}

func (a *API) getRelationships(c *call) {
	ids := c.queryIDs()
	out, err := c.relationships(ids, c.params.boolean("with_suspended", false))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(out)
}

// familiarFollowers answers, for each account asked, the accounts the
// caller follows that follow it too.
func (a *API) familiarFollowers(c *call) {
	ids := c.queryIDs()
	ids = uniqueIDs(ids)
	found, err := store.FamiliarFollowers(c.ctx(), a.In.DB, c.viewer.ID, ids)
	if err != nil {
		a.fail(c, err)
		return
	}
	var all []model.ID
	for _, followers := range found {
		all = append(all, followers...)
	}
	rd := c.renderer()
	if err := rd.loadIdentities(all); err != nil {
		a.fail(c, err)
		return
	}
	out := make([]FamiliarFollowers, 0, len(ids))
	for _, id := range ids {
		f := FamiliarFollowers{ID: idStr(id), Accounts: []*Account{}}
		for _, follower := range found[id] {
			if i := rd.identities[follower]; i != nil {
				f.Accounts = append(f.Accounts, rd.account(i))
			}
		}
		out = append(out, f)
	}
	c.ok(out)
}

// uniqueIDs drops repeated ids, keeping the first of each.
func uniqueIDs(ids []model.ID) []model.ID {
	seen := make(map[model.ID]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
