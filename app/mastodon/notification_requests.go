package mastodon

import (
	"context"
	"strconv"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// NotificationRequest is Mastodon's NotificationRequest: the filtered
// notifications of one account.
type NotificationRequest struct {
	ID                 string   `json:"id"`
	CreatedAt          string   `json:"created_at"`
	UpdatedAt          string   `json:"updated_at"`
	Account            *Account `json:"account"`
	NotificationsCount string   `json:"notifications_count"`
	LastStatus         *Status  `json:"last_status"`
}

// Notification request pages: Mastodon's 40, at most 80.
const notificationRequestsDefault = 40

func (a *API) registerNotificationRequests(mux Mux) {
	a.route(mux, "GET /api/v1/notifications/requests", userToken, "read read:notifications", a.listNotificationRequests)
	// Accepting is synchronous here: what was accepted is merged by the
	// time the answer leaves.
	a.route(mux, "GET /api/v1/notifications/requests/merged", userToken, "read read:notifications", func(c *call) {
		c.ok(map[string]bool{"merged": true})
	})
	a.route(mux, "GET /api/v1/notifications/requests/{id}", userToken, "read read:notifications", a.getNotificationRequest)
	a.route(mux, "POST /api/v1/notifications/requests/{id}/accept", userToken, "write write:notifications", a.settleNotificationRequest(store.AcceptNotificationRequests))
	a.route(mux, "POST /api/v1/notifications/requests/{id}/dismiss", userToken, "write write:notifications", a.settleNotificationRequest(store.DismissNotificationRequests))
	a.route(mux, "POST /api/v1/notifications/requests/accept", userToken, "write write:notifications", a.settleNotificationRequests(store.AcceptNotificationRequests))
	a.route(mux, "POST /api/v1/notifications/requests/dismiss", userToken, "write write:notifications", a.settleNotificationRequests(store.DismissNotificationRequests))
}

// renderNotificationRequests renders requests with their accounts and
// last statuses, leaving out those whose account can no longer be shown.
func (c *call) renderNotificationRequests(list []*store.NotificationRequest) ([]*NotificationRequest, error) {
	var senders, posts []model.ID
	for _, r := range list {
		senders = append(senders, r.FromID)
		if r.LastPostID != 0 {
			posts = append(posts, r.LastPostID)
		}
	}
	d, err := c.loadNotifications(senders, posts)
	if err != nil {
		return nil, err
	}
	out := make([]*NotificationRequest, 0, len(list))
	for _, r := range list {
		e := &NotificationRequest{ID: idStr(r.ID), CreatedAt: ts(r.Created), UpdatedAt: ts(r.Updated),
			Account: d.account(r.FromID), NotificationsCount: strconv.Itoa(r.Count), LastStatus: d.statuses[r.LastPostID]}
		if e.Account != nil {
			out = append(out, e)
		}
	}
	return out, nil
}

func (a *API) listNotificationRequests(c *call) {
	pg := c.page(notificationRequestsDefault, store.MaxNotificationLimit)
	list, err := store.NotificationRequests(c.ctx(), a.In.DB, c.viewer.ID, pg, pg.Limit)
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.renderNotificationRequests(list)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n := len(list); n > 0 {
		c.link(idStr(list[0].ID), idStr(list[n-1].ID))
	}
	c.ok(out)
}

func (a *API) getNotificationRequest(c *call) {
	r := viewerOwn(c, "id", store.NotificationRequestByID)
	if r == nil {
		return
	}
	out, err := c.renderNotificationRequests([]*store.NotificationRequest{r})
	if err != nil {
		a.fail(c, err)
		return
	}
	if len(out) == 0 {
		c.notFound()
		return
	}
	c.ok(out[0])
}

// settle is what accepting or dismissing requests does (see
// store.AcceptNotificationRequests).
type settle func(ctx context.Context, db store.DB, identityID model.ID, ids []model.ID) (int, error)

// settleNotificationRequest accepts or dismisses the request of the path,
// answering {} (404 when the caller has no such request).
func (a *API) settleNotificationRequest(do settle) handlerFunc {
	return func(c *call) {
		r := viewerOwn(c, "id", store.NotificationRequestByID)
		if r == nil {
			return
		}
		if _, err := do(c.ctx(), a.In.DB, c.viewer.ID, []model.ID{r.ID}); err != nil {
			a.fail(c, err)
			return
		}
		c.ok(struct{}{})
	}
}

// settleNotificationRequests accepts or dismisses the requests of id[]
// (ids that are not the caller's, or no ids at all, are passed over, as
// Mastodon does), answering {}.
func (a *API) settleNotificationRequests(do settle) handlerFunc {
	return func(c *call) {
		var ids []model.ID
		for _, s := range c.params.list("id") {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && n > 0 {
				ids = append(ids, model.ID(n))
			}
		}
		if len(ids) > 0 {
			if _, err := do(c.ctx(), a.In.DB, c.viewer.ID, ids); err != nil {
				a.fail(c, err)
				return
			}
		}
		c.ok(struct{}{})
	}
}
