package mastodon

import (
	"pukeko/app/store"
)

// Suggestion is Mastodon's Suggestion (v2): an account and why it is
// suggested. Source is the deprecated single reason some clients read.
type Suggestion struct {
	Source  string   `json:"source"`
	Sources []string `json:"sources"`
	Account *Account `json:"account"`
}

// suggested loads the accounts to suggest to the caller: the most followed
// local accounts it does not follow, block, mute or dismissed.
func (c *call) suggested() ([]*Account, bool) {
	limit := c.params.integer("limit", 40)
	if limit <= 0 || limit > 80 {
		limit = 40
	}
	list, err := store.SuggestedAccounts(c.ctx(), c.api.In.DB, c.viewer.ID, limit)
	if err != nil {
		c.api.fail(c, err)
		return nil, false
	}
	out, err := c.renderer().accounts(list)
	if err != nil {
		c.api.fail(c, err)
		return nil, false
	}
	return out, true
}

func (a *API) suggestionsV1(c *call) {
	if out, ok := c.suggested(); ok {
		c.ok(out)
	}
}

func (a *API) suggestionsV2(c *call) {
	accounts, ok := c.suggested()
	if !ok {
		return
	}
	out := make([]Suggestion, len(accounts))
	for k, acc := range accounts {
		out[k] = Suggestion{Source: "global", Sources: []string{"most_followed"}, Account: acc}
	}
	c.ok(out)
}

// dismissSuggestion keeps an account out of the caller's suggestions.
func (a *API) dismissSuggestion(c *call) {
	target := c.pathAccount("account_id")
	if target == nil {
		return
	}
	if err := a.In.DismissSuggestion(c.ctx(), c.viewer, target); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(struct{}{})
}

// directory lists discoverable accounts (only ours with local=true), by
// latest post (order=active, the default) or newest (order=new).
func (a *API) directory(c *call) {
	limit := c.params.integer("limit", 40)
	if limit <= 0 || limit > 80 {
		limit = 40
	}
	order := c.params.str("order")
	if order != "new" {
		order = "active"
	}
	list, err := store.Directory(c.ctx(), a.In.DB, c.viewerID(), c.params.boolean("local", false), order,
		limit, max(c.params.integer("offset", 0), 0))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.renderAccounts(list)
}
