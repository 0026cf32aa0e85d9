package mastodon

import (
	"net/http"
	"net/url"
	"strings"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// SearchResults is Mastodon's Search.
type SearchResults struct {
	Accounts []*Account       `json:"accounts"`
	Statuses []*Status        `json:"statuses"`
	Hashtags []*HashtagEntity `json:"hashtags"`
}

func (a *API) registerSearch(mux Mux) {
	a.route(mux, "GET /api/v2/search", anyone, "read:search", a.search)
}

// searchQuery is a v2 search as the request asks it.
type searchQuery struct {
	q       string
	typ     string // accounts, hashtags, statuses; "" for all
	limit   int
	offset  int
	isURL   bool
	handle  bool // @user@host or user@host
	resolve bool
}

func (s searchQuery) wants(typ string) bool { return s.typ == "" || s.typ == typ }

// search finds accounts (by handle or name prefix), hashtags (by prefix)
// and statuses (by words, for a logged-in caller only, as Mastodon), and
// resolves an account address or a URL exactly: with resolve (a user
// token only) by asking the other server, otherwise among what is known
// here.
func (a *API) search(c *call) {
	s := searchQuery{q: strings.TrimSpace(c.params.str("q")), typ: c.params.str("type"),
		resolve: c.params.boolean("resolve", false)}
	s.limit, s.offset = c.offsetPage(20, 40)
	if c.viewer == nil && s.resolve {
		c.errorf(http.StatusUnauthorized, "Search queries that resolve remote resources are not supported without authentication")
		return
	}
	if c.viewer == nil && s.offset > 0 {
		c.errorf(http.StatusUnauthorized, "Search queries pagination is not supported without authentication")
		return
	}
	if u, err := url.Parse(s.q); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		s.isURL = true
	}
	_, _, s.handle = social.SplitHandle(strings.TrimPrefix(s.q, "@"))
	var accounts []*model.Identity
	var posts []*model.Post
	if s.q != "" && (s.isURL || s.handle) && s.offset == 0 {
		r, ok := a.searchExact(c, s)
		if !ok {
			return
		}
		if r.Identity != nil && r.Identity.Deleted == nil && s.wants("accounts") {
			accounts = append(accounts, r.Identity)
		}
		if r.Post != nil && s.wants("statuses") {
			posts = append(posts, r.Post)
		}
	}
	if s.q != "" && !s.isURL {
		var ok bool
		if accounts, ok = a.searchAccountsV2(c, s, accounts); !ok {
			return
		}
		if posts, ok = a.searchStatuses(c, s, posts); !ok {
			return
		}
	}
	out := SearchResults{Accounts: []*Account{}, Statuses: []*Status{}, Hashtags: []*HashtagEntity{}}
	rd := c.renderer()
	var err error
	if out.Accounts, err = rd.accounts(accounts); err != nil {
		a.fail(c, err)
		return
	}
	if out.Statuses, err = rd.viewerPosts(posts); err != nil {
		a.fail(c, err)
		return
	}
	if name, ok := hashtagName(s.q); ok && !s.isURL && !s.handle && s.wants("hashtags") {
		found, err := store.SearchHashtagsPage(c.ctx(), a.In.DB, name, s.limit, s.offset)
		if err != nil {
			a.fail(c, err)
			return
		}
		names := make([]string, len(found))
		for k, h := range found {
			names[k] = h.Name
		}
		if out.Hashtags, err = c.hashtags(names); err != nil {
			a.fail(c, err)
			return
		}
	}
	c.ok(out)
}

// searchExact looks up an address or URL: fetched from its server with
// resolve, among what is known here otherwise. A post found is kept only
// when the caller may see it. Failing to resolve finds nothing (as in
// Mastodon), it is no error.
func (a *API) searchExact(c *call, s searchQuery) (social.Resolved, bool) {
	var r social.Resolved
	var err error
	switch {
	case s.resolve:
		r, err = a.In.Resolve(c.ctx(), c.viewerID(), s.q)
		if err != nil {
			a.Logger.Debug("api: search did not resolve", "q", s.q, "error", err)
			return social.Resolved{}, true
		}
	case s.isURL:
		if r.Post, err = store.PostByURI(c.ctx(), a.In.DB, s.q); err == nil && r.Post == nil {
			r.Identity, err = store.IdentityByURI(c.ctx(), a.In.DB, s.q)
		}
	default:
		user, domain, _ := social.SplitHandle(strings.TrimPrefix(s.q, "@"))
		r.Identity, err = store.IdentityByHandle(c.ctx(), a.In.DB, user, domain)
	}
	if err != nil {
		a.fail(c, err)
		return r, false
	}
	if r.Post != nil {
		visible, err := a.In.CanSee(c.ctx(), c.viewerID(), r.Post)
		if err != nil {
			a.fail(c, err)
			return r, false
		}
		if !visible {
			r.Post = nil
		}
	}
	return r, true
}

// searchAccountsV2 adds the accounts whose handle or name starts with the
// query to those found exactly.
func (a *API) searchAccountsV2(c *call, s searchQuery, exact []*model.Identity) ([]*model.Identity, bool) {
	if !s.wants("accounts") {
		return exact, true
	}
	found, err := store.SearchAccountsPage(c.ctx(), a.In.DB, store.AccountSearch{Query: s.q, Reader: c.viewerID(),
		Following: c.viewer != nil && c.params.boolean("following", false), Limit: s.limit, Offset: s.offset})
	if err != nil {
		a.fail(c, err)
		return nil, false
	}
	out := exact
	for _, i := range found {
		if len(exact) > 0 && exact[0].ID == i.ID {
			continue
		}
		out = append(out, i)
	}
	if len(out) > s.limit {
		out = out[:s.limit]
	}
	return out, true
}

// searchStatuses adds the posts matching the query's words (logged-in
// callers only), by account_id when given.
func (a *API) searchStatuses(c *call, s searchQuery, exact []*model.Post) ([]*model.Post, bool) {
	if !s.wants("statuses") || c.viewer == nil || s.handle {
		return exact, true
	}
	pg := c.page(s.limit, 40)
	found, err := store.SearchPostsPage(c.ctx(), a.In.DB, store.PostSearch{Query: s.q, Reader: c.viewer.ID,
		AuthorID: c.params.id("account_id"), Offset: s.offset}, pg)
	if err != nil {
		a.fail(c, err)
		return nil, false
	}
	out := exact
	for _, p := range found {
		if len(exact) > 0 && exact[0].ID == p.ID {
			continue
		}
		out = append(out, p)
	}
	return out, true
}
