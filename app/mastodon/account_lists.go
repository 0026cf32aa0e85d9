package mastodon

import (
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// MutedAccount is Mastodon's MutedAccount: an Account with when its mute
// ends.
type MutedAccount struct {
	*Account
	MuteExpiresAt *string `json:"mute_expires_at"`
}

// listPage answers a page of listed accounts with the Link header, keyed
// by the rows that list them (as Mastodon pages these lists).
func (c *call) listPage(list []store.Listed, err error) {
	if err != nil {
		c.api.fail(c, err)
		return
	}
	keyedPage(c, list, func(l store.Listed) (*model.Identity, model.ID) { return l.Identity, l.Key }, c.renderer().accounts)
}

// collectionHidden reports whether i's followers and followings are
// hidden from the caller: i hides them, or blocks the caller.
func (c *call) collectionHidden(i *model.Identity) (bool, error) {
	if c.viewer != nil && c.viewer.ID == i.ID {
		return false, nil
	}
	if i.HideCollections {
		return true, nil
	}
	if c.viewer == nil {
		return false, nil
	}
	b, err := store.BlockBetween(c.ctx(), c.api.In.DB, i.ID, c.viewer.ID, false)
	if err != nil {
		return false, err
	}
	return b != nil && b.State != social.BlockUndoing && b.State != social.BlockRemoved, nil
}

// accountList serves followers and following: an empty list when hidden.
func (a *API) accountList(c *call, load func(model.ID, store.Page) ([]store.Listed, error)) {
	i := c.pathAccount("id")
	if i == nil {
		return
	}
	hidden, err := c.collectionHidden(i)
	if err != nil {
		a.fail(c, err)
		return
	}
	if hidden {
		c.ok([]*Account{})
		return
	}
	c.listPage(load(i.ID, c.page(40, 80)))
}

func (a *API) followers(c *call) {
	a.accountList(c, func(id model.ID, pg store.Page) ([]store.Listed, error) {
		return store.Followers(c.ctx(), a.In.DB, id, pg)
	})
}

func (a *API) following(c *call) {
	a.accountList(c, func(id model.ID, pg store.Page) ([]store.Listed, error) {
		return store.Following(c.ctx(), a.In.DB, id, pg)
	})
}

// accountEndorsements lists the accounts an account features.
func (a *API) accountEndorsements(c *call) {
	if i := c.pathAccount("id"); i != nil {
		c.listPage(store.EndorsedAccounts(c.ctx(), a.In.DB, i.ID, c.page(40, 80)))
	}
}

func (a *API) endorsements(c *call) {
	c.listPage(store.EndorsedAccounts(c.ctx(), a.In.DB, c.viewer.ID, c.page(40, 80)))
}

func (a *API) blocks(c *call) {
	c.listPage(store.BlockedAccounts(c.ctx(), a.In.DB, c.viewer.ID, c.page(40, 80)))
}

func (a *API) followRequests(c *call) {
	c.listPage(store.FollowRequests(c.ctx(), a.In.DB, c.viewer.ID, c.page(40, 80)))
}

func (a *API) mutes(c *call) {
	list, err := store.MutedAccounts(c.ctx(), a.In.DB, c.viewer.ID, c.page(40, 80))
	if err != nil {
		a.fail(c, err)
		return
	}
	ids := make([]*model.Identity, len(list))
	for k, l := range list {
		ids[k] = l.Identity
	}
	accounts, err := c.renderer().accounts(ids)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]MutedAccount, len(list))
	for k, l := range list {
		out[k] = MutedAccount{Account: accounts[k], MuteExpiresAt: tsPtr(l.Expires)}
	}
	if n := len(list); n > 0 {
		c.link(idStr(list[0].Key), idStr(list[n-1].Key))
	}
	c.ok(out)
}

// pendingRequester loads the account of {account_id} when it asked to
// follow the caller and waits, else answers 404.
func (c *call) pendingRequester() *model.Identity {
	source := c.pathAccount("account_id")
	if source == nil {
		return nil
	}
	f, err := store.FollowBetween(c.ctx(), c.api.In.DB, source.ID, c.viewer.ID)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if f == nil || f.State != social.FollowPendingApproval {
		c.notFound()
		return nil
	}
	return source
}

func (a *API) authorizeFollowRequest(c *call) {
	source := c.pendingRequester()
	if source == nil {
		return
	}
	if err := a.In.ApproveFollow(c.ctx(), c.viewer, source); err != nil {
		a.fail(c, err)
		return
	}
	c.answerRelationship(source)
}

func (a *API) rejectFollowRequest(c *call) {
	source := c.pendingRequester()
	if source == nil {
		return
	}
	if err := a.In.RejectFollow(c.ctx(), c.viewer, source); err != nil {
		a.fail(c, err)
		return
	}
	c.answerRelationship(source)
}
