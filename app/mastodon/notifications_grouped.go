package mastodon

import (
	"slices"
	"strconv"

	"pukeko/app/model"
	"pukeko/app/store"
)

// NotificationGroup is Mastodon's NotificationGroup.
type NotificationGroup struct {
	GroupKey                 string   `json:"group_key"`
	NotificationsCount       int      `json:"notifications_count"`
	Type                     string   `json:"type"`
	MostRecentNotificationID int64    `json:"most_recent_notification_id"`
	PageMinID                string   `json:"page_min_id"`
	PageMaxID                string   `json:"page_max_id"`
	LatestPageNotificationAt string   `json:"latest_page_notification_at"`
	SampleAccountIDs         []string `json:"sample_account_ids"`
	StatusID                 *string  `json:"status_id,omitempty"`
}

// GroupedNotificationsResults is Mastodon's answer of grouped
// notifications: the groups, and the accounts and statuses they name.
type GroupedNotificationsResults struct {
	Accounts           []*Account           `json:"accounts"`
	Statuses           []*Status            `json:"statuses"`
	NotificationGroups []*NotificationGroup `json:"notification_groups"`
}

// NotificationPolicy is Mastodon's (v2) NotificationPolicy.
type NotificationPolicy struct {
	ForNotFollowing    string                    `json:"for_not_following"`
	ForNotFollowers    string                    `json:"for_not_followers"`
	ForNewAccounts     string                    `json:"for_new_accounts"`
	ForPrivateMentions string                    `json:"for_private_mentions"`
	ForLimitedAccounts string                    `json:"for_limited_accounts"`
	Summary            NotificationPolicySummary `json:"summary"`
}

// NotificationPolicySummary counts what the policy hides.
type NotificationPolicySummary struct {
	PendingRequestsCount      int `json:"pending_requests_count"`
	PendingNotificationsCount int `json:"pending_notifications_count"`
}

func (a *API) registerGroupedNotifications(mux Mux) {
	a.route(mux, "GET /api/v2/notifications", userToken, "read:notifications", a.listNotificationGroups)
	// GET unread_count and policy are served by {group_key}: route adds
	// "policy/", which would conflict with "{group_key}/accounts".
	a.route(mux, "GET /api/v2/notifications/{group_key}", userToken, "read:notifications", a.getNotificationGroupPath)
	a.route(mux, "PATCH /api/v2/notifications/policy", userToken, "write:notifications", a.updateNotificationPolicy)
	a.route(mux, "GET /api/v2/notifications/{group_key}/accounts", userToken, "read:notifications", a.notificationGroupAccounts)
	a.route(mux, "POST /api/v2/notifications/{group_key}/dismiss", userToken, "write:notifications", a.dismissNotificationGroup)
}

// groupedTypes reads grouped_types[]: the types that may group (all that
// can when absent).
func (c *call) groupedTypes() []string {
	if !c.params.has("grouped_types") {
		return store.GroupableNotificationTypes
	}
	return c.params.list("grouped_types")
}

// renderGroups renders groups with the accounts and statuses they name.
func (c *call) renderGroups(groups []*store.NotificationGroup) (*GroupedNotificationsResults, error) {
	var subjects, posts []model.ID
	for _, g := range groups {
		subjects = append(subjects, g.Subjects...)
		if g.PostID != 0 {
			posts = append(posts, g.PostID)
		}
	}
	d, err := c.loadNotifications(subjects, posts)
	if err != nil {
		return nil, err
	}
	out := &GroupedNotificationsResults{Accounts: []*Account{}, Statuses: []*Status{}, NotificationGroups: []*NotificationGroup{}}
	seenAccounts, seenStatuses := map[model.ID]bool{}, map[model.ID]bool{}
	for _, g := range groups {
		e := &NotificationGroup{GroupKey: g.Key, NotificationsCount: g.Count, Type: g.Type,
			MostRecentNotificationID: g.MostRecent, PageMaxID: strconv.FormatInt(g.MostRecent, 10),
			PageMinID: strconv.FormatInt(g.Oldest, 10), LatestPageNotificationAt: ts(g.Latest), SampleAccountIDs: []string{}}
		var accounts []*Account
		for _, id := range g.Subjects {
			if acc := d.account(id); acc != nil {
				e.SampleAccountIDs = append(e.SampleAccountIDs, acc.ID)
				if !seenAccounts[id] {
					seenAccounts[id] = true
					accounts = append(accounts, acc)
				}
			}
		}
		if len(e.SampleAccountIDs) == 0 {
			continue
		}
		if g.PostID != 0 {
			s := d.statuses[g.PostID]
			if s == nil {
				continue
			}
			e.StatusID = &s.ID
			if !seenStatuses[g.PostID] {
				seenStatuses[g.PostID] = true
				out.Statuses = append(out.Statuses, s)
			}
		}
		out.Accounts = append(out.Accounts, accounts...)
		out.NotificationGroups = append(out.NotificationGroups, e)
	}
	return out, nil
}

func (a *API) listNotificationGroups(c *call) {
	pg := c.page(notificationsDefault, store.MaxNotificationLimit)
	groups, err := store.NotificationGroups(c.ctx(), a.In.DB, c.viewer.ID, c.notificationFilter(), c.groupedTypes(), pg, pg.Limit)
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.renderGroups(groups)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n := len(groups); n > 0 {
		newest, oldest := groups[0].MostRecent, groups[0].Oldest
		for _, g := range groups {
			newest, oldest = max(newest, g.MostRecent), min(oldest, g.Oldest)
		}
		c.link(strconv.FormatInt(newest, 10), strconv.FormatInt(oldest, 10))
	}
	c.ok(out)
}

// groupOfPath loads the group of the {group_key} path parameter, or
// answers 404.
func (c *call) groupOfPath() *store.NotificationGroup {
	g, err := store.NotificationGroupByKey(c.ctx(), c.api.In.DB, c.viewer.ID, c.r.PathValue("group_key"))
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if g == nil {
		c.notFound()
	}
	return g
}

// getNotificationGroupPath serves GET /api/v2/notifications/unread_count,
// /policy and /{group_key}.
func (a *API) getNotificationGroupPath(c *call) {
	switch c.r.PathValue("group_key") {
	case "unread_count":
		a.unreadNotificationGroups(c)
	case "policy":
		a.getNotificationPolicy(c)
	default:
		a.getNotificationGroup(c)
	}
}

func (a *API) getNotificationGroup(c *call) {
	g := c.groupOfPath()
	if g == nil {
		return
	}
	out, err := c.renderGroups([]*store.NotificationGroup{g})
	if err != nil {
		a.fail(c, err)
		return
	}
	if len(out.NotificationGroups) == 0 {
		c.notFound()
		return
	}
	c.ok(out)
}

func (a *API) notificationGroupAccounts(c *call) {
	if c.groupOfPath() == nil {
		return
	}
	ids, err := store.NotificationGroupSubjects(c.ctx(), a.In.DB, c.viewer.ID, c.r.PathValue("group_key"))
	if err != nil {
		a.fail(c, err)
		return
	}
	ids = slices.Compact(ids)
	rd := c.renderer()
	if err := rd.loadIdentities(ids); err != nil {
		a.fail(c, err)
		return
	}
	out := []*Account{}
	seen := map[model.ID]bool{}
	for _, id := range ids {
		if i := rd.identities[id]; i != nil && !seen[id] {
			seen[id] = true
			out = append(out, rd.account(i))
		}
	}
	c.ok(out)
}

func (a *API) dismissNotificationGroup(c *call) {
	if c.groupOfPath() == nil {
		return
	}
	if err := store.DismissNotificationGroup(c.ctx(), a.In.DB, c.viewer.ID, c.r.PathValue("group_key")); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(struct{}{})
}

// unreadNotificationGroups counts the groups of notifications newer than
// the caller's notifications marker.
func (a *API) unreadNotificationGroups(c *call) {
	c.answerUnread(func(after model.ID, limit int) (int, error) {
		return store.UnreadNotificationGroupCount(c.ctx(), a.In.DB, c.viewer.ID, c.notificationFilter(), c.groupedTypes(), after, limit)
	})
}

// answerPolicy renders an identity's notification policy.
func (c *call) answerPolicy(p store.NotificationPolicy) {
	notifications, accounts, err := store.FilteredNotificationCounts(c.ctx(), c.api.In.DB, c.viewer.ID)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(NotificationPolicy{ForNotFollowing: p.ForNotFollowing, ForNotFollowers: p.ForNotFollowers,
		ForNewAccounts: p.ForNewAccounts, ForPrivateMentions: p.ForPrivateMentions, ForLimitedAccounts: p.ForLimitedAccounts,
		Summary: NotificationPolicySummary{PendingRequestsCount: accounts, PendingNotificationsCount: notifications}})
}

func (a *API) getNotificationPolicy(c *call) {
	p, err := store.NotificationPolicyOf(c.ctx(), a.In.DB, c.viewer.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.answerPolicy(p)
}

// updateNotificationPolicy changes the fields sent (accept, filter or
// drop). The policy applies to notifications written from then on (the
// schema's notification_policy_apply): dropped ones are never written,
// filtered ones wait in notification requests. Pukeko has no limited
// accounts.
func (a *API) updateNotificationPolicy(c *call) {
	p, err := store.NotificationPolicyOf(c.ctx(), a.In.DB, c.viewer.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	for name, field := range map[string]*string{
		"for_not_following": &p.ForNotFollowing, "for_not_followers": &p.ForNotFollowers,
		"for_new_accounts": &p.ForNewAccounts, "for_private_mentions": &p.ForPrivateMentions,
		"for_limited_accounts": &p.ForLimitedAccounts,
	} {
		v := c.params.strPtr(name)
		if v == nil {
			continue
		}
		switch *v {
		case "accept", "filter", "drop":
			*field = *v
		default:
			c.invalid("%s is not included in the list", name)
			return
		}
	}
	if err := store.SaveNotificationPolicy(c.ctx(), a.In.DB, c.viewer.ID, p); err != nil {
		a.fail(c, err)
		return
	}
	c.answerPolicy(p)
}
