package mastodon

import (
	"context"
	"errors"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// domainBlocks lists the domains the caller blocked, newest first, paged
// by the block (Link header).
func (a *API) domainBlocks(c *call) {
	list, err := store.BlockedDomains(c.ctx(), a.In.DB, c.viewer.ID, c.page(100, 200))
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]string, len(list))
	for k, b := range list {
		out[k] = b.Domain
	}
	if n := len(list); n > 0 {
		c.link(idStr(list[0].ID), idStr(list[n-1].ID))
	}
	c.ok(out)
}

// blockDomain hides a whole remote domain from the caller (see
// social.BlockDomain); it answers an empty object, as Mastodon does.
func (a *API) blockDomain(c *call) { c.changeDomainBlock(a.In.BlockDomain) }

func (a *API) unblockDomain(c *call) { c.changeDomainBlock(a.In.UnblockDomain) }

// changeDomainBlock blocks or unblocks (by change) the domain parameter
// for the caller, answering an empty object.
func (c *call) changeDomainBlock(change func(ctx context.Context, who *model.Identity, domain string) error) {
	if err := change(c.ctx(), c.viewer, c.params.str("domain")); err != nil {
		if errors.Is(err, social.ErrInvalidDomain) {
			c.invalid("Domain is not a valid domain name")
			return
		}
		c.api.fail(c, err)
		return
	}
	c.ok(struct{}{})
}
