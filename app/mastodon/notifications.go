package mastodon

import (
	"strconv"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Notification is Mastodon's Notification.
type Notification struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	CreatedAt string   `json:"created_at"`
	GroupKey  string   `json:"group_key"`
	Account   *Account `json:"account"`
	Status    *Status  `json:"status,omitempty"`
}

// Notification pages (Mastodon's: 40, at most 80) and unread counts
// (100, at most 1000).
const (
	notificationsDefault = 40
	unreadCountDefault   = 100
	unreadCountMax       = 1000
)

func (a *API) registerNotifications(mux Mux) {
	a.route(mux, "GET /api/v1/notifications", userToken, "read:notifications", a.listNotifications)
	a.route(mux, "GET /api/v1/notifications/unread_count", userToken, "read:notifications", a.unreadNotifications)
	a.route(mux, "GET /api/v1/notifications/{id}", userToken, "read:notifications", a.getNotification)
	// POST /api/v1/notifications/clear, registered as {id}: route adds
	// "clear/", which would conflict with "{id}/dismiss" in the mux.
	a.route(mux, "POST /api/v1/notifications/{id}", userToken, "write:notifications", a.clearNotificationsPath)
	a.route(mux, "POST /api/v1/notifications/{id}/dismiss", userToken, "write:notifications", a.dismissNotification)
}

// clearNotificationsPath serves POST /api/v1/notifications/clear.
func (a *API) clearNotificationsPath(c *call) {
	if c.r.PathValue("id") != "clear" {
		c.notFound()
		return
	}
	a.clearNotifications(c)
}

// notificationFilter reads types[], exclude_types[], account_id and
// include_filtered. Pukeko stores Mastodon's type names, so they pass as
// they are; types it never writes (admin.sign_up, admin.report, ...)
// simply match nothing.
func (c *call) notificationFilter() store.NotificationFilter {
	return store.NotificationFilter{
		Types:           c.params.list("types"),
		ExcludeTypes:    c.params.list("exclude_types"),
		AccountID:       c.params.id("account_id"),
		IncludeFiltered: c.params.boolean("include_filtered", false),
	}
}

// notificationData is what rendering notifications needs: their accounts
// and statuses, loaded in a few batches.
type notificationData struct {
	rd       *renderer
	statuses map[model.ID]*Status
}

// loadNotifications loads the accounts and statuses of notifications.
func (c *call) loadNotifications(subjects, postIDs []model.ID) (*notificationData, error) {
	d := &notificationData{rd: c.renderer(), statuses: map[model.ID]*Status{}}
	if err := d.rd.loadIdentities(subjects); err != nil {
		return nil, err
	}
	if len(postIDs) == 0 {
		return d, nil
	}
	posts, err := store.PostsByIDs(c.ctx(), c.api.In.DB, postIDs)
	if err != nil {
		return nil, err
	}
	rendered, err := d.rd.viewerPosts(posts)
	if err != nil {
		return nil, err
	}
	for _, s := range rendered {
		if id, ok := idFromString(s.ID); ok {
			d.statuses[id] = s
		}
	}
	return d, nil
}

// account renders a loaded identity, nil when it is gone.
func (d *notificationData) account(id model.ID) *Account {
	i := d.rd.identities[id]
	if i == nil {
		return nil
	}
	return d.rd.account(i)
}

// renderNotifications renders notifications, leaving out those whose
// account or status can no longer be shown.
func (c *call) renderNotifications(list []*model.Notification) ([]*Notification, error) {
	var subjects, posts []model.ID
	for _, n := range list {
		subjects = append(subjects, n.SubjectID)
		if n.PostID != 0 {
			posts = append(posts, n.PostID)
		}
	}
	d, err := c.loadNotifications(subjects, posts)
	if err != nil {
		return nil, err
	}
	out := make([]*Notification, 0, len(list))
	for _, n := range list {
		e := &Notification{ID: strconv.FormatInt(n.ID, 10), Type: n.Type, CreatedAt: ts(n.Created),
			GroupKey: store.NotificationGroupKey(n, store.GroupableNotificationTypes), Account: d.account(n.SubjectID)}
		if e.Account == nil {
			continue
		}
		if n.PostID != 0 {
			if e.Status = d.statuses[n.PostID]; e.Status == nil {
				continue
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func (a *API) listNotifications(c *call) {
	pg := c.page(notificationsDefault, store.MaxNotificationLimit)
	list, err := store.NotificationPage(c.ctx(), a.In.DB, c.viewer.ID, c.notificationFilter(), pg, pg.Limit)
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.renderNotifications(list)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n := len(list); n > 0 {
		c.link(strconv.FormatInt(list[0].ID, 10), strconv.FormatInt(list[n-1].ID, 10))
	}
	c.ok(out)
}

// notificationPathID reads the {id} of a notification.
func notificationPathID(c *call) (int64, bool) {
	n, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	return n, err == nil && n > 0
}

func (a *API) getNotification(c *call) {
	id, ok := notificationPathID(c)
	if !ok {
		c.notFound()
		return
	}
	n, err := store.NotificationByID(c.ctx(), a.In.DB, c.viewer.ID, id)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n == nil {
		c.notFound()
		return
	}
	out, err := c.renderNotifications([]*model.Notification{n})
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

func (a *API) clearNotifications(c *call) {
	if err := a.In.ClearNotifications(c.ctx(), c.viewer); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(struct{}{})
}

func (a *API) dismissNotification(c *call) {
	id, ok := notificationPathID(c)
	if !ok {
		c.notFound()
		return
	}
	if c.found(a.In.DismissNotification(c.ctx(), c.viewer, id)) {
		c.ok(struct{}{})
	}
}

// unreadNotifications counts the notifications newer than the caller's
// notifications marker, as Mastodon does.
func (a *API) unreadNotifications(c *call) {
	c.answerUnread(func(after model.ID, limit int) (int, error) {
		return store.UnreadNotificationCount(c.ctx(), a.In.DB, c.viewer.ID, c.notificationFilter(), after, limit)
	})
}

// answerUnread answers {"count": n}: what count finds after the caller's
// notifications marker, up to limit (unreadCountDefault by default, at
// most unreadCountMax). Notifications and their groups count alike.
func (c *call) answerUnread(count func(after model.ID, limit int) (int, error)) {
	limit := c.params.integer("limit", unreadCountDefault)
	if limit <= 0 {
		limit = unreadCountDefault
	}
	limit = min(limit, unreadCountMax)
	markers, err := store.Markers(c.ctx(), c.api.In.DB, c.viewer.ID, []string{store.MarkerNotifications})
	if err != nil {
		c.api.fail(c, err)
		return
	}
	var after model.ID
	if m := markers[store.MarkerNotifications]; m != nil {
		after = m.LastReadID
	}
	n, err := count(after, limit)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(map[string]int{"count": n})
}
