package mastodon

import (
	"context"

	"pukeko/app/model"
)

// renderStreamNotification renders a notification for its identity's
// client as GET /api/v1/notifications does, "" when there is nothing to
// show (the account is gone, or the post is no longer visible to the
// client's identity).
func (a *API) renderStreamNotification(ctx context.Context, c *streamClient, n *model.Notification) (string, error) {
	list, err := a.streamCall(ctx, c.viewer, c.host, c.https).renderNotifications([]*model.Notification{n})
	if err != nil || len(list) == 0 {
		return "", err
	}
	return string(encodeJSON(list[0])), nil
}
