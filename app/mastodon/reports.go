package mastodon

import (
	"errors"
	"strings"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// ReportEntity is Mastodon's Report, as its reporter sees it.
type ReportEntity struct {
	ID            string   `json:"id"`
	ActionTaken   bool     `json:"action_taken"`
	ActionTakenAt *string  `json:"action_taken_at"`
	Category      string   `json:"category"`
	Comment       string   `json:"comment"`
	Forwarded     bool     `json:"forwarded"`
	CreatedAt     string   `json:"created_at"`
	StatusIDs     []string `json:"status_ids"`
	RuleIDs       []string `json:"rule_ids"`
	TargetAccount *Account `json:"target_account"`
}

// renderReport renders a report (target already rendered).
func renderReport(r *model.Report, target *Account) ReportEntity {
	out := ReportEntity{
		ID: idStr(r.ID), ActionTaken: r.ActionTaken != nil, ActionTakenAt: tsPtr(r.ActionTaken),
		Category: r.Category, Comment: r.Comment, Forwarded: r.Forwarded, CreatedAt: ts(r.Created),
		StatusIDs: []string{}, RuleIDs: []string{}, TargetAccount: target,
	}
	for _, id := range r.PostIDs {
		out.StatusIDs = append(out.StatusIDs, idStr(id))
	}
	for _, id := range r.RuleIDs {
		out.RuleIDs = append(out.RuleIDs, idStr(id))
	}
	return out
}

// createReport files a report for the moderators (POST /api/v1/reports),
// and forwards it to a remote account's server when asked.
func (a *API) createReport(c *call) {
	target, err := store.IdentityByID(c.ctx(), a.In.DB, c.params.id("account_id"))
	if err != nil {
		a.fail(c, err)
		return
	}
	if target == nil || target.Deleted != nil {
		c.notFound()
		return
	}
	posts, ok := c.params.ids("status_ids")
	if !ok {
		c.notFound() // Mastodon looks them up: a malformed id is not found
		return
	}
	rules, ok := c.params.ids("rule_ids")
	if !ok {
		c.invalid("Rule ids does not reference valid rules")
		return
	}
	r, err := a.In.Report(c.ctx(), c.viewer, social.ReportOptions{
		Target: target, PostIDs: posts, Comment: c.params.str("comment"), Category: c.params.str("category"),
		RuleIDs: rules, Forward: c.params.boolean("forward", false),
	})
	switch {
	case errors.Is(err, social.ErrReportInvalid):
		c.invalid("%s", strings.TrimPrefix(err.Error(), social.ErrReportInvalid.Error()+": "))
		return
	case errors.Is(err, social.ErrPostNotFound):
		c.notFound()
		return
	case err != nil:
		a.fail(c, err)
		return
	}
	accounts, err := c.renderer().accounts([]*model.Identity{target})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(renderReport(r, accounts[0]))
}
