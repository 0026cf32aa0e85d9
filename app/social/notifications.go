package social

import (
	"context"

	"pukeko/app/model"
	"pukeko/app/store"
)

// notifyLocal writes a notification of typ for target when it is one of
// our live identities (remote identities get theirs from their server).
// Blocked and muted subjects are silenced by the store.
func (in *Instance) notifyLocal(ctx context.Context, db store.DB, target model.ID, typ string, postID, subject model.ID) error {
	i, err := store.IdentityByID(ctx, db, target)
	if err != nil || i == nil || !i.Local || i.Deleted != nil {
		return err
	}
	_, err = store.AddNotification(ctx, db, i.ID, typ, postID, subject)
	return err
}

// Notifications returns a page of who's notifications (see
// store.Notifications).
func (in *Instance) Notifications(ctx context.Context, who *model.Identity, pg store.Page, types, excludeTypes []string) ([]*model.Notification, error) {
	return store.Notifications(ctx, in.DB, who.ID, pg, types, excludeTypes)
}

// postArrived notifies the local identities a new post mentions and the
// followers that asked to hear of its author's posts (status), and
// counts it among its parent's replies (and counts the replies that
// arrived before it).
func (in *Instance) postArrived(ctx context.Context, p *model.Post) error {
	if err := store.NotifyMentioned(ctx, in.DB, p); err != nil {
		return err
	}
	if err := store.NotifyStatusFollowers(ctx, in.DB, p); err != nil {
		return err
	}
	if p.InReplyToID != 0 {
		if err := store.RecountReplies(ctx, in.DB, p.InReplyToID); err != nil {
			return err
		}
	}
	return store.RecountReplies(ctx, in.DB, p.ID)
}

// postEdited notifies the identities newly mentioned by an edit and the
// local identities that boosted the post.
func (in *Instance) postEdited(ctx context.Context, p *model.Post) error {
	if err := store.NotifyMentioned(ctx, in.DB, p); err != nil {
		return err
	}
	if err := store.NotifyQuotersOfEdit(ctx, in.DB, p); err != nil {
		return err
	}
	return store.NotifyBoostersOfEdit(ctx, in.DB, p)
}

// SaveMarker records where who stopped reading a timeline (home or
// notifications). Notifications up to the marker count as seen.
func (in *Instance) SaveMarker(ctx context.Context, who *model.Identity, timeline string, lastRead model.ID) (*store.Marker, error) {
	m, err := store.SaveMarker(ctx, in.DB, who.ID, timeline, lastRead)
	if err != nil {
		return nil, err
	}
	if timeline == store.MarkerNotifications {
		if err := store.MarkNotificationsSeen(ctx, in.DB, who.ID, int64(lastRead)); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// DismissNotification dismisses one of who's notifications, reporting
// whether there was one.
func (in *Instance) DismissNotification(ctx context.Context, who *model.Identity, id int64) (bool, error) {
	return store.DismissNotification(ctx, in.DB, who.ID, id)
}

// ClearNotifications deletes all of who's notifications.
func (in *Instance) ClearNotifications(ctx context.Context, who *model.Identity) error {
	return store.ClearNotifications(ctx, in.DB, who.ID)
}
