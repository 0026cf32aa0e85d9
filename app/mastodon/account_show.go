package mastodon

import (
	"errors"
	"strings"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// pathAccount loads the live identity named by a path parameter, or
// answers 404 and returns nil.
func (c *call) pathAccount(name string) *model.Identity {
	id, ok := pathID(c.r, name)
	if !ok {
		c.notFound()
		return nil
	}
	i, err := store.IdentityByID(c.ctx(), c.api.In.DB, id)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if i == nil || i.Deleted != nil || i.Username == "" {
		// The server's own actor has no username and is no account.
		c.notFound()
		return nil
	}
	return i
}

// renderOne answers one identity as an Account.
func (c *call) renderOne(i *model.Identity) {
	list, err := c.renderer().accounts([]*model.Identity{i})
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(list[0])
}

func (a *API) getAccount(c *call) {
	if i := c.pathAccount("id"); i != nil {
		c.renderOne(i)
	}
}

// getAccounts is GET /api/v1/accounts?id[]=: the accounts that exist, in
// the order asked, unknown ids left out.
func (a *API) getAccounts(c *call) {
	ids := c.queryIDs()
	found, err := store.IdentitiesByIDs(c.ctx(), a.In.DB, ids)
	if err != nil {
		a.fail(c, err)
		return
	}
	byID := map[model.ID]*model.Identity{}
	for _, i := range found {
		if i.Deleted == nil && i.Username != "" {
			byID[i.ID] = i
		}
	}
	var list []*model.Identity
	for _, id := range ids {
		if i := byID[id]; i != nil {
			list = append(list, i)
			delete(byID, id) // an id asked twice is shown once
		}
	}
	c.renderAccounts(list)
}

// renderAccounts answers identities as a list of Accounts.
func (c *call) renderAccounts(list []*model.Identity) {
	out, err := c.renderer().accounts(list)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(out)
}

// lookupAccount finds an account by its address among those known here;
// like Mastodon's, it never asks another server (search with resolve=true
// does).
func (a *API) lookupAccount(c *call) {
	acct := strings.TrimPrefix(strings.TrimSpace(c.params.str("acct")), "@")
	if acct == "" {
		c.notFound()
		return
	}
	username, domain, found := strings.Cut(acct, "@")
	if !found {
		// A bare username is one of the domain the request came to (which
		// may be the service domain of the display domain).
		d, err := store.LocalDomainByHost(c.ctx(), a.In.DB, c.host)
		if err != nil {
			a.fail(c, err)
			return
		}
		if d == nil {
			c.notFound()
			return
		}
		domain = d.Domain
	}
	i, err := store.IdentityByHandle(c.ctx(), a.In.DB, username, strings.ToLower(domain))
	if err != nil {
		a.fail(c, err)
		return
	}
	if i == nil || i.Deleted != nil {
		c.notFound()
		return
	}
	c.renderOne(i)
}

// searchAccounts finds accounts by the start of their username or display
// name; with resolve, an exact address unknown here is looked up by
// webfinger first.
func (a *API) searchAccounts(c *call) {
	q := strings.TrimSpace(c.params.str("q"))
	limit := c.params.integer("limit", 40)
	if limit <= 0 || limit > 80 {
		limit = 40
	}
	// store.SearchAccountsPage serves at most store.MaxPageLimit.
	limit = min(limit, store.MaxPageLimit)
	offset := max(c.params.integer("offset", 0), 0)
	var list []*model.Identity
	if c.params.boolean("resolve", false) && offset == 0 {
		if _, _, ok := social.SplitHandle(strings.TrimPrefix(q, "@")); ok {
			i, err := a.In.ResolveHandle(c.ctx(), strings.TrimPrefix(q, "@"))
			switch {
			case errors.Is(err, social.ErrBlockedDomain):
			case err != nil:
				a.Logger.Debug("api: resolving an account", "q", q, "error", err)
			case i != nil && i.Deleted == nil:
				list = append(list, i)
			}
		}
	}
	found, err := store.SearchAccountsPage(c.ctx(), a.In.DB, store.AccountSearch{
		Query: q, Reader: c.viewer.ID, Following: c.params.boolean("following", false), Limit: limit, Offset: offset,
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	for _, i := range found {
		if len(list) > 0 && list[0].ID == i.ID {
			continue
		}
		list = append(list, i)
	}
	if len(list) > limit {
		list = list[:limit]
	}
	c.renderAccounts(list)
}

// accountStatuses lists an account's statuses: its posts and boosts, or
// only what it pinned (pinned), with Mastodon's filters. An account that
// blocks the viewer shows nothing.
func (a *API) accountStatuses(c *call) {
	i := c.pathAccount("id")
	if i == nil {
		return
	}
	if c.viewer != nil && c.viewer.ID != i.ID {
		blocked, err := store.BlockedEitherWay(c.ctx(), a.In.DB, c.viewer.ID, i.ID)
		if err != nil {
			a.fail(c, err)
			return
		}
		if blocked {
			c.ok([]*Status{})
			return
		}
	}
	pg := c.page(20, 40)
	if c.params.boolean("pinned", false) {
		posts, err := store.AccountPosts(c.ctx(), a.In.DB, i.ID, c.viewerID(), store.AccountOptions{
			Pinned: true, ExcludeReplies: c.params.boolean("exclude_replies", false), OnlyMedia: c.params.boolean("only_media", false),
		}, pg)
		if err != nil {
			a.fail(c, err)
			return
		}
		c.postPage(posts)
		return
	}
	c.entryPage(store.AccountEntries(c.ctx(), a.In.DB, i.ID, c.viewerID(), store.AccountEntriesOptions{
		ExcludeReplies: c.params.boolean("exclude_replies", false),
		ExcludeBoosts:  c.params.boolean("exclude_reblogs", false),
		OnlyMedia:      c.params.boolean("only_media", false),
		Tagged:         strings.TrimPrefix(strings.TrimSpace(c.params.str("tagged")), "#"),
	}, pg))
}

// identityProofs is a retired endpoint (Keybase proofs) that clients may
// still call: always an empty list, as in Mastodon.
func (a *API) identityProofs(c *call) {
	if c.pathAccount("id") != nil {
		c.ok([]any{})
	}
}
