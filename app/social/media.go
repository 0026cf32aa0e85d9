package social

import (
	"context"
	"errors"
	"fmt"

	"pukeko/app/ap"
	"pukeko/app/media"
	"pukeko/app/model"
	"pukeko/app/store"
)

// DefaultMaxAttachments is the attachment limit when
// Instance.MaxAttachments is 0.
const DefaultMaxAttachments = 4

// Errors of attaching media to a post.
var (
	ErrTooManyAttachments = errors.New("too many attachments")
	ErrMediaNotFound      = errors.New("media not found")
	ErrMediaProcessing    = errors.New("media still processing")
)

func (in *Instance) maxAttachments() int {
	if in.MaxAttachments > 0 {
		return in.MaxAttachments
	}
	return DefaultMaxAttachments
}

// checkMedia checks that every id is an upload of owner that a post may
// take: processed, and not on another post than postID (0 for a new
// post). Someone else's upload is not found, as in Mastodon's answer.
func (in *Instance) checkMedia(ctx context.Context, db store.DB, owner, postID model.ID, ids []model.ID) error {
	if len(ids) > in.maxAttachments() {
		return fmt.Errorf("%w: %d, at most %d", ErrTooManyAttachments, len(ids), in.maxAttachments())
	}
	seen := map[model.ID]bool{}
	for _, id := range ids {
		if seen[id] {
			return fmt.Errorf("%w: %d given twice", ErrMediaNotFound, id)
		}
		seen[id] = true
	}
	found, err := store.AttachmentsByIDs(ctx, db, ids)
	if err != nil {
		return err
	}
	if len(found) != len(ids) {
		return ErrMediaNotFound
	}
	for _, a := range found {
		switch {
		case a.OwnerID != owner || !a.Local || (a.PostID != 0 && a.PostID != postID):
			return fmt.Errorf("%w: %d", ErrMediaNotFound, a.ID)
		case a.State == media.AttachmentProcessing:
			return fmt.Errorf("%w: %d", ErrMediaProcessing, a.ID)
		case a.State != media.AttachmentReady && a.State != media.AttachmentAttached:
			return fmt.Errorf("%w: %d", ErrMediaNotFound, a.ID)
		}
	}
	return nil
}

// attachMedia gives checked uploads to a post; an upload that changed
// since the check (taken by another post) fails the whole post.
func (in *Instance) attachMedia(ctx context.Context, db store.DB, p *model.Post, ids []model.ID) error {
	if len(ids) == 0 {
		return nil
	}
	n, err := store.AttachToPost(ctx, db, p.ID, p.AuthorID, ids)
	if err != nil {
		return err
	}
	if n != int64(len(ids)) {
		return ErrMediaNotFound
	}
	return nil
}

// storeRemoteAttachments records a remote post's attachments and queues
// their files for the remote media cache.
func (in *Instance) storeRemoteAttachments(ctx context.Context, db store.DB, postID model.ID, obj ap.Object) error {
	atts := ap.ParseAttachments(obj)
	urls := make([]string, len(atts))
	for k, a := range atts {
		a.ID = model.NewID()
		a.State = media.AttachmentRemote
		urls[k] = a.RemoteURL
	}
	if err := store.ReplaceRemoteAttachments(ctx, db, postID, atts); err != nil {
		return err
	}
	return store.QueueRemoteMedia(ctx, db, urls)
}

// addAttachments puts a post's attachments into its Note: ours with the
// addresses of our files (on the host of the post's URI), remote ones
// with their original addresses.
func (in *Instance) addAttachments(ctx context.Context, note map[string]any, p *model.Post) error {
	all, err := store.PostAttachments(ctx, in.DB, []model.ID{p.ID})
	if err != nil {
		return err
	}
	list := []any{}
	for _, a := range all[p.ID] {
		href := a.RemoteURL
		if a.Local {
			if in.Media == nil {
				continue
			}
			href = in.Media.FileURL(ap.Host(p.URI), a.FileKey)
		}
		list = append(list, ap.RenderAttachment(a, href))
	}
	note["attachment"] = list
	return nil
}

// queueProfileMedia sends a remote identity's avatar and header to the
// remote media cache.
func queueProfileMedia(ctx context.Context, db store.DB, i *model.Identity) error {
	var urls []string
	for _, u := range []string{i.IconURI, i.ImageURI} {
		if u != "" {
			urls = append(urls, u)
		}
	}
	return store.QueueRemoteMedia(ctx, db, urls)
}
