package mastodon

import (
	"strconv"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

func (a *API) registerPolls(mux Mux) {
	a.route(mux, "GET /api/v1/polls/{id}", anyone, "read:statuses", a.getPoll)
	a.route(mux, "POST /api/v1/polls/{id}/votes", userToken, "write:statuses", a.votePoll)
}

// renderPoll answers the poll of a post for the caller.
func (c *call) renderPoll(p *model.Post, pl *model.Poll) {
	votes, err := store.VotesByPosts(c.ctx(), c.api.In.DB, c.viewerID(), []model.ID{p.ID})
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(c.renderer().poll(pl, p, votes[p.ID]))
}

// getPoll answers the poll of a post the caller may see (a poll's id is
// its post's).
func (a *API) getPoll(c *call) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	pl, err := store.PollByPost(c.ctx(), a.In.DB, p.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	if pl == nil {
		c.notFound()
		return
	}
	c.renderPoll(p, pl)
}

// votePoll votes in the poll of a post the caller may see: choices[] are
// option indexes.
func (a *API) votePoll(c *call) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	raw := c.params.list("choices")
	if len(raw) == 0 {
		c.invalid("Choices can't be blank")
		return
	}
	choices := make([]int, 0, len(raw))
	for _, s := range raw {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			c.invalid("Choices must be option indexes")
			return
		}
		choices = append(choices, n)
	}
	pl, err := a.In.Vote(c.ctx(), c.viewer, p, choices)
	if err != nil {
		c.statusActionError(err)
		return
	}
	c.renderPoll(p, pl)
}
