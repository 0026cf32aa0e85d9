package mastodon

import (
	"context"

	"pukeko/app/model"
	"pukeko/app/store"
)

// deliver hands one event of the database to the clients concerned here.
// Each event costs a few queries whatever the number of clients: who may
// see it is asked for all of them at once, and a rendering is shared by
// every client that reads it the same way.
func (h *streamHub) deliver(ctx context.Context, ev store.StreamEvent) error {
	switch ev.Stream {
	case store.StreamUser:
		switch ev.Event {
		case store.StreamEventUpdate:
			return h.deliverHome(ctx, ev)
		case store.StreamEventNotification:
			return h.deliverNotification(ctx, ev)
		case store.StreamEventDelete:
			h.sendToUsers(ev.Recipients(), eventDelete, idStr(ev.Post), false)
		case store.StreamEventFiltersChanged:
			h.sendToUsers(ev.Recipients(), eventFiltersChanged, "", true)
		}
	case store.StreamPublic, store.StreamPost:
		return h.deliverNewPost(ctx, ev)
	case store.StreamUpdate:
		return h.deliverEdit(ctx, ev)
	case store.StreamDelete:
		return h.deliverDeletion(ctx, ev)
	}
	return nil
}

// frames hands out one frame per rendering and stream name within a
// delivery, so that clients reading the same thing share its encoding.
type frames map[string]*frame

func (fs frames) get(rendering string, s *subscription, event, payload string) *frame {
	k := rendering + "\x01" + s.nameKey()
	f := fs[k]
	if f == nil {
		f = &frame{stream: s.name, event: event, payload: payload}
		fs[k] = f
	}
	return f
}

// timelineSubs keeps the subscriptions that take timeline events (not the
// notifications-only ones).
func timelineSubs(subs []*subscription) []*subscription {
	out := subs[:0:0]
	for _, s := range subs {
		if !s.notificationsOnly {
			out = append(out, s)
		}
	}
	return out
}

// viewersOf lists the distinct identities behind subscriptions.
func viewersOf(subs []*subscription) []model.ID {
	seen := map[model.ID]bool{}
	var out []model.ID
	for _, s := range subs {
		if id := s.client.viewer.ID; !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// deliverHome: home-timeline rows were written, for a post or a boost.
func (h *streamHub) deliverHome(ctx context.Context, ev store.StreamEvent) error {
	subs := timelineSubs(h.userSubs(ev.Recipients()))
	_, lists := h.listSubs()
	direct := ev.Boost == 0 && h.hasDirect(ev.Recipients())
	if len(subs) == 0 && !direct && (ev.Boost == 0 || len(lists) == 0) {
		return nil
	}
	p, err := store.PostByID(ctx, h.api.In.DB, ev.Post)
	if err != nil || p == nil || p.Deleted != nil {
		return err
	}
	if direct {
		if err := h.toDirect(ctx, p, ev.Recipients()); err != nil {
			return err
		}
	}
	e := entry{Post: p, BoostID: ev.Boost, BoostedBy: ev.By}
	if err := h.toReaders(ctx, e, subs, eventUpdate); err != nil {
		return err
	}
	if ev.Boost != 0 && ev.By != 0 {
		// Lists show their members' boosts; their posts come with the
		// post's own event (deliverNewPost).
		return h.toLists(ctx, e, ev.By, true, eventUpdate)
	}
	return nil
}

// toReaders sends an entry to subscriptions of identities, rendered for
// each, leaving out those who may not see it (blocks and mutes included).
func (h *streamHub) toReaders(ctx context.Context, e entry, subs []*subscription, event string) error {
	if len(subs) == 0 {
		return nil
	}
	visible, err := store.StreamReaders(ctx, h.api.In.DB, e.Post.ID, viewersOf(subs))
	if err != nil {
		return err
	}
	allowed := subs[:0:0]
	for _, s := range subs {
		if visible[s.client.viewer.ID] {
			allowed = append(allowed, s)
		}
	}
	return h.sendRendered(ctx, e, allowed, event)
}

// sendRendered renders an entry for the viewer of each subscription and
// sends it.
func (h *streamHub) sendRendered(ctx context.Context, e entry, subs []*subscription, event string) error {
	if len(subs) == 0 {
		return nil
	}
	cr, err := h.api.newClientRenders(ctx, e, viewersOf(subs))
	if err != nil {
		return err
	}
	fs := frames{}
	for _, s := range subs {
		c := s.client
		payload, err := cr.payload(c)
		if err != nil {
			return err
		}
		if payload != "" {
			c.send(fs.get(idStr(c.viewer.ID)+" "+domainKey(c), s, event, payload))
		}
	}
	return nil
}

// deliverNotification: a notification was written for an identity.
func (h *streamHub) deliverNotification(ctx context.Context, ev store.StreamEvent) error {
	var subs []*subscription
	for _, s := range h.userSubs(ev.Recipients()) {
		if s.notifications {
			subs = append(subs, s)
		}
	}
	if len(subs) == 0 {
		return nil
	}
	n, err := store.StreamNotification(ctx, h.api.In.DB, subs[0].identity, ev.Notification)
	if err != nil || n == nil {
		return err
	}
	fs := frames{}
	payloads := map[string]string{}
	for _, s := range subs {
		c := s.client
		k := domainKey(c)
		payload, ok := payloads[k]
		if !ok {
			if payload, err = h.api.renderStreamNotification(ctx, c, n); err != nil {
				return err
			}
			payloads[k] = payload
		}
		if payload != "" {
			c.send(fs.get(k, s, eventNotification, payload))
		}
	}
	return nil
}

// sendToUsers sends an event that needs no rendering (a delete, or
// filters_changed without payload) to the timeline streams of identities.
func (h *streamHub) sendToUsers(ids []model.ID, event, payload string, none bool) {
	byName := map[string]*frame{}
	for _, s := range timelineSubs(h.userSubs(ids)) {
		f := byName[s.nameKey()]
		if f == nil {
			f = &frame{stream: s.name, event: event, payload: payload, none: none}
			byName[s.nameKey()] = f
		}
		s.client.send(f)
	}
}
