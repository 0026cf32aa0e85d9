package mastodon

import (
	"context"

	"pukeko/app/model"
	"pukeko/app/store"
)

// eventConversation is the direct stream's event: a conversation with its
// newest post.
const eventConversation = "conversation"

// toDirect sends a direct post, as the Conversation it is the newest post
// of, to the direct streams of its readers (author and mentioned) who
// received it in their home timelines.
func (h *streamHub) toDirect(ctx context.Context, p *model.Post, recipients []model.ID) error {
	if p.Visibility != model.VisibilityDirect {
		return nil
	}
	keys := make([]string, len(recipients))
	for k, id := range recipients {
		keys[k] = directKey(id)
	}
	subs := h.snapshot(keys...)
	if len(subs) == 0 {
		return nil
	}
	fs := frames{}
	for _, s := range subs {
		c := s.client
		list, err := store.ConversationPage(ctx, h.api.In.DB, c.viewer.ID, store.Page{Limit: 10})
		if err != nil {
			return err
		}
		for _, cv := range list {
			if cv.Last == nil || cv.Last.ID != p.ID {
				continue
			}
			rendered, err := h.api.streamCall(ctx, c.viewer, c.host, c.https).renderConversations([]*store.Conversation{cv})
			if err != nil {
				return err
			}
			if len(rendered) == 1 {
				c.send(fs.get(idStr(c.viewer.ID), s, eventConversation, string(encodeJSON(rendered[0]))))
			}
			break
		}
	}
	return nil
}

// hasDirect reports whether any of ids streams its direct messages here.
func (h *streamHub) hasDirect(ids []model.ID) bool {
	keys := make([]string, len(ids))
	for k, id := range ids {
		keys[k] = directKey(id)
	}
	return len(h.snapshot(keys...)) > 0
}
