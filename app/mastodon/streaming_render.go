package mastodon

import (
	"context"
	"crypto/tls"
	"net/http"

	"pukeko/app/model"
	"pukeko/app/store"
)

// streamCall is a call to render with for a streaming client: the
// renderers take the viewer, the domain and the scheme from a call.
func (a *API) streamCall(ctx context.Context, viewer *model.Identity, host string, https bool) *call {
	r := (&http.Request{Host: host, Header: http.Header{}}).WithContext(ctx)
	if https {
		r.TLS = &tls.ConnectionState{}
	}
	return &call{api: a, r: r, viewer: viewer, host: host}
}

// postRender renders one timeline entry (a post, or a boost of it) for the
// clients of one domain: what every reader shares (counts, attachments,
// accounts, emoji) is loaded once; each reader adds its own states.
type postRender struct {
	a     *API
	ctx   context.Context
	host  string
	https bool
	e     entry
	rd    *renderer
	d     *statusData
	anon  *string // the anonymous rendering as JSON, once made
}

func (a *API) newPostRender(ctx context.Context, host string, https bool, e entry) (*postRender, error) {
	rd := a.streamCall(ctx, nil, host, https).renderer()
	var extra []model.ID
	if e.BoostedBy != 0 {
		extra = append(extra, e.BoostedBy)
	}
	d, err := rd.load([]*model.Post{e.Post}, extra)
	if err != nil {
		return nil, err
	}
	return &postRender{a: a, ctx: ctx, host: host, https: https, e: e, rd: rd, d: d}, nil
}

// author is the post's author (nil when gone).
func (pr *postRender) author() *model.Identity { return pr.rd.identities[pr.e.Post.AuthorID] }

// hasMedia reports whether the post has attachments.
func (pr *postRender) hasMedia() bool { return len(pr.d.attachments[pr.e.Post.ID]) > 0 }

// anonymous renders the entry as a logged-out reader sees it: the payload
// of the public streams, the same for every client of the domain. "" when
// it renders to nothing (its author is gone).
func (pr *postRender) anonymous() (string, error) {
	if pr.anon == nil {
		s, err := pr.status(nil, store.ViewerState{})
		if err != nil {
			return "", err
		}
		out := ""
		if s != nil {
			out = string(encodeJSON(s))
		}
		pr.anon = &out
	}
	return *pr.anon, nil
}

// forViewer renders the entry for one reader, with what they did to the
// post (st); "" when it renders to nothing.
func (pr *postRender) forViewer(viewer *model.Identity, st store.ViewerState) (string, error) {
	s, err := pr.status(viewer, st)
	if err != nil || s == nil {
		return "", err
	}
	return string(encodeJSON(s)), nil
}

func (pr *postRender) status(viewer *model.Identity, st store.ViewerState) (*Status, error) {
	p := pr.e.Post
	rd := *pr.rd // shares the loaded accounts
	rd.c = pr.a.streamCall(pr.ctx, viewer, pr.host, pr.https)
	d := *pr.d
	if viewer != nil {
		d.states = map[model.ID]store.ViewerState{p.ID: st}
		if d.polls[p.ID] != nil {
			votes, err := store.VotesByPosts(pr.ctx, pr.a.In.DB, viewer.ID, []model.ID{p.ID})
			if err != nil {
				return nil, err
			}
			d.votes = votes
		}
	}
	s, err := rd.status(p, &d)
	if err != nil || s == nil {
		return nil, err
	}
	if pr.e.BoostID != 0 {
		booster := rd.identities[pr.e.BoostedBy]
		if booster == nil {
			return nil, nil
		}
		s = rd.boost(pr.e, booster, s)
	}
	return s, nil
}

// clientRenders renders one entry for many clients: one postRender per
// domain, one rendering per reader and domain, and the readers' states in
// one query.
type clientRenders struct {
	a        *API
	ctx      context.Context
	e        entry
	states   map[model.ID]store.ViewerState
	byDomain map[string]*postRender
	payloads map[string]string
}

func (a *API) newClientRenders(ctx context.Context, e entry, viewers []model.ID) (*clientRenders, error) {
	states, err := store.StreamViewerStates(ctx, a.In.DB, e.Post.ID, viewers)
	if err != nil {
		return nil, err
	}
	return &clientRenders{a: a, ctx: ctx, e: e, states: states,
		byDomain: map[string]*postRender{}, payloads: map[string]string{}}, nil
}

// domain returns the postRender for a client's domain.
func (cr *clientRenders) domain(c *streamClient) (*postRender, error) {
	k := domainKey(c)
	pr := cr.byDomain[k]
	if pr == nil {
		var err error
		if pr, err = cr.a.newPostRender(cr.ctx, c.host, c.https, cr.e); err != nil {
			return nil, err
		}
		cr.byDomain[k] = pr
	}
	return pr, nil
}

// payload renders the entry for a client's viewer ("" for nothing).
func (cr *clientRenders) payload(c *streamClient) (string, error) {
	k := idStr(c.viewer.ID) + " " + domainKey(c)
	if p, ok := cr.payloads[k]; ok {
		return p, nil
	}
	pr, err := cr.domain(c)
	if err != nil {
		return "", err
	}
	p, err := pr.forViewer(c.viewer, cr.states[c.viewer.ID])
	if err != nil {
		return "", err
	}
	cr.payloads[k] = p
	return p, nil
}

// domainKey tells apart what renders differently: the domain and scheme.
func domainKey(c *streamClient) string {
	if c.https {
		return "https://" + c.host
	}
	return "http://" + c.host
}
