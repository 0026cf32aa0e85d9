package mastodon

import (
	"pukeko/app/model"
	"pukeko/app/store"
)

// Conversation is Mastodon's Conversation: a thread of direct posts.
type Conversation struct {
	ID         string     `json:"id"`
	Unread     bool       `json:"unread"`
	Accounts   []*Account `json:"accounts"`
	LastStatus *Status    `json:"last_status"`
}

func (a *API) registerConversations(mux Mux) {
	a.route(mux, "GET /api/v1/conversations", userToken, "read:statuses", a.listConversations)
	a.route(mux, "DELETE /api/v1/conversations/{id}", userToken, "write:conversations", a.deleteConversation)
	a.route(mux, "POST /api/v1/conversations/{id}/read", userToken, "write:conversations", a.readConversation)
}

// renderConversations renders conversations: their participants are the
// author and the addressees of the newest post but the caller, as in
// Mastodon.
func (c *call) renderConversations(list []*store.Conversation) ([]*Conversation, error) {
	var posts []*model.Post
	var people []model.ID
	for _, cv := range list {
		if cv.Last != nil {
			posts = append(posts, cv.Last)
			people = append(people, cv.Last.AuthorID)
			people = append(people, cv.Last.Mentions...)
		}
	}
	rd := c.renderer()
	if err := rd.loadIdentities(people); err != nil {
		return nil, err
	}
	rendered, err := rd.viewerPosts(posts)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Status{}
	for _, s := range rendered {
		byID[s.ID] = s
	}
	out := make([]*Conversation, 0, len(list))
	for _, cv := range list {
		e := &Conversation{ID: idStr(cv.ID), Unread: cv.Unread, Accounts: []*Account{}}
		if cv.Last != nil {
			e.LastStatus = byID[idStr(cv.Last.ID)]
			seen := map[model.ID]bool{c.viewer.ID: true}
			for _, id := range append([]model.ID{cv.Last.AuthorID}, cv.Last.Mentions...) {
				if i := rd.identities[id]; i != nil && !seen[id] {
					seen[id] = true
					e.Accounts = append(e.Accounts, rd.account(i))
				}
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// listConversations answers the caller's direct conversations, the one
// with the newest post first, paged by that post's id.
func (a *API) listConversations(c *call) {
	list, err := store.ConversationPage(c.ctx(), a.In.DB, c.viewer.ID, c.page(20, 40))
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.renderConversations(list)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n := len(list); n > 0 {
		c.link(idStr(list[0].Last.ID), idStr(list[n-1].Last.ID))
	}
	c.ok(out)
}

// deleteConversation removes a conversation from the caller's list until
// a newer post comes in it.
func (a *API) deleteConversation(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	if err := a.In.HideConversation(c.ctx(), c.viewer, id); err != nil {
		c.statusActionError(err)
		return
	}
	c.ok(struct{}{})
}

// readConversation marks a conversation read and answers it.
func (a *API) readConversation(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	cv, err := a.In.ReadConversation(c.ctx(), c.viewer, id)
	if err != nil {
		c.statusActionError(err)
		return
	}
	out, err := c.renderConversations([]*store.Conversation{cv})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(out[0])
}
