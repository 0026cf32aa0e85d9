package mastodon

import (
	"errors"

	"pukeko/app/model"
	"pukeko/app/store"
)

// listMembers pages the accounts of a list, the last added first; limit=0
// gives them all without pages, as in Mastodon.
func (a *API) listMembers(c *call) {
	l := c.viewerList("id")
	if l == nil {
		return
	}
	pg := c.page(40, 80)
	all := c.params.has("limit") && c.params.integer("limit", 40) == 0
	if all {
		pg = store.Page{Limit: -1}
	}
	members, err := store.ListMembers(c.ctx(), a.In.DB, l.ID, pg)
	if err != nil {
		a.fail(c, err)
		return
	}
	people := make([]*model.Identity, len(members))
	for k, m := range members {
		people[k] = m.Identity
	}
	out, err := c.renderer().accounts(people)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n := len(members); n > 0 && !all {
		c.link(idStr(members[0].Key), idStr(members[n-1].Key))
	}
	c.ok(out)
}

// accountIDsParam reads account_ids[]: the accounts must exist, else the
// answer is 404 (Mastodon looks them up).
func (c *call) accountIDsParam() ([]model.ID, bool) {
	ids, ok := c.params.ids("account_ids")
	if !ok {
		c.notFound()
		return nil, false
	}
	if len(ids) == 0 {
		return nil, true
	}
	found, err := store.IdentitiesByIDs(c.ctx(), c.api.In.DB, ids)
	if err != nil {
		c.api.fail(c, err)
		return nil, false
	}
	live := map[model.ID]bool{}
	for _, i := range found {
		if i.Deleted == nil {
			live[i.ID] = true
		}
	}
	for _, id := range ids {
		if !live[id] {
			c.notFound()
			return nil, false
		}
	}
	return ids, true
}

// listAddMembers adds accounts to a list: only accounts the owner follows
// (or asked to follow), as Mastodon allows; all of them or none.
func (a *API) listAddMembers(c *call) {
	l := c.viewerList("id")
	if l == nil {
		return
	}
	ids, ok := c.accountIDsParam()
	if !ok {
		return
	}
	if len(ids) > 0 {
		err := store.AddListMembers(c.ctx(), a.In.DB, l, ids)
		switch {
		case errors.Is(err, store.ErrNotFollowed):
			c.notFound()
			return
		case errors.Is(err, store.ErrAlreadyListed):
			c.invalid("Account has already been taken")
			return
		case err != nil:
			a.fail(c, err)
			return
		}
	}
	c.ok(map[string]any{})
}

func (a *API) listRemoveMembers(c *call) {
	l := c.viewerList("id")
	if l == nil {
		return
	}
	ids, ok := c.params.ids("account_ids")
	if !ok {
		c.notFound()
		return
	}
	if err := store.RemoveListMembers(c.ctx(), a.In.DB, l.ID, ids); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{})
}

// listsWithAccount lists the viewer's lists an account is in.
func (a *API) listsWithAccount(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	i, err := store.IdentityByID(c.ctx(), a.In.DB, id)
	if err != nil {
		a.fail(c, err)
		return
	}
	if i == nil || i.Deleted != nil {
		c.notFound()
		return
	}
	lists, err := store.ListsWithMember(c.ctx(), a.In.DB, c.viewer.ID, id)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(renderLists(lists))
}
