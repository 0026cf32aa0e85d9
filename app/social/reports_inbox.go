package social

import (
	"context"
	"fmt"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
	"pukeko/app/text"
)

// maxFlagComment bounds the comment kept of a received Flag.
const maxFlagComment = 5000

// receiveFlag files a report received from another server: a Flag naming
// one of our accounts and, perhaps, some of its posts. The reporter is
// the sending actor (usually that server's own actor: Mastodon keeps the
// person who reported anonymous). A Flag received twice makes one report.
func (in *Instance) receiveFlag(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	refs := a.Refs("object")
	var target *model.Identity
	for _, uri := range refs {
		i, err := store.IdentityByURI(ctx, in.DB, uri)
		if err != nil {
			return "", err
		}
		if i != nil && i.Local && i.Deleted == nil {
			target = i
			break
		}
	}
	if target == nil {
		return "ignored: the Flag names no account of ours", nil
	}
	posts, err := store.PostIDsByURIs(ctx, in.DB, target.ID, refs)
	if err != nil {
		return "", err
	}
	comment := a.String("content")
	if comment != "" && comment[0] == '<' {
		comment = text.PlainText(comment)
	}
	if r := []rune(comment); len(r) > maxFlagComment {
		comment = string(r[:maxFlagComment])
	}
	r := &model.Report{
		Local: false, ReporterID: actor.ID, TargetID: target.ID, PostIDs: posts,
		Category: model.ReportOther, Comment: comment, URI: a.ID(),
	}
	created, err := store.CreateReport(ctx, in.DB, r)
	if err != nil {
		return "", err
	}
	if !created {
		return "ignored: this Flag was received before", nil
	}
	return fmt.Sprintf("report %d about %s", r.ID, target.URI), nil
}
