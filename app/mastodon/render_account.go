package mastodon

import (
	"context"

	"pukeko/app/model"
	"pukeko/app/store"
)

// renderer renders entities for one request, loading what a page needs
// in a few batch queries and remembering it.
type renderer struct {
	c          *call
	identities map[model.ID]*model.Identity
	stats      map[model.ID]store.AccountStats
	// deps, when set, gathers what a page shows for the page cache.
	deps *pageDeps
}

func (c *call) renderer() *renderer {
	return &renderer{c: c, identities: map[model.ID]*model.Identity{}, stats: map[model.ID]store.AccountStats{}}
}

func (rd *renderer) ctx() context.Context { return rd.c.ctx() }

// loadIdentities fetches the identities of ids not loaded yet, and their
// counters.
func (rd *renderer) loadIdentities(ids []model.ID) error {
	var missing []model.ID
	seen := map[model.ID]bool{}
	for _, id := range ids {
		if _, ok := rd.identities[id]; !ok && id != 0 && !seen[id] {
			missing = append(missing, id)
			seen[id] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := store.IdentitiesByIDs(rd.ctx(), rd.c.api.In.DB, missing)
	if err != nil {
		return err
	}
	for _, i := range found {
		rd.identities[i.ID] = i
	}
	stats, err := store.AccountStatsByIDs(rd.ctx(), rd.c.api.In.DB, missing)
	if err != nil {
		return err
	}
	for id, s := range stats {
		rd.stats[id] = s
	}
	return nil
}

// remember adds identities already loaded.
func (rd *renderer) remember(list ...*model.Identity) {
	for _, i := range list {
		if i != nil {
			rd.identities[i.ID] = i
		}
	}
}

// acct is the account's address as Mastodon writes it: the username for
// accounts of the domain the request came to, user@domain otherwise.
func (rd *renderer) acct(i *model.Identity) string {
	if i.Local && i.Domain == rd.c.host {
		return i.Username
	}
	if i.Domain == "" {
		return i.Username
	}
	return i.Username + "@" + i.Domain
}

// imageURL is where clients fetch a profile image: our file, the media
// proxy for a remote one, or Mastodon's placeholder path.
func (rd *renderer) imageURL(i *model.Identity, uri, missing string) string {
	switch {
	case uri == "":
		return rd.c.baseURL() + missing
	case i.Local:
		return uri
	}
	m := rd.c.api.In.Media
	if m == nil {
		return uri
	}
	u, err := m.ProxyURL(rd.ctx(), rd.c.host, uri)
	if err != nil {
		return uri
	}
	return u
}

// account renders an identity (loaded with loadIdentities or remember;
// counters default to zero).
func (rd *renderer) account(i *model.Identity) *Account {
	s := rd.stats[i.ID]
	acct := rd.acct(i)
	url := i.URL
	if url == "" {
		url = i.URI
	}
	username := i.Username
	if username == "" {
		username = i.Name
	}
	discoverable := i.Discoverable
	hide := i.HideCollections
	a := &Account{
		ID:             idStr(i.ID),
		Username:       username,
		Acct:           acct,
		URL:            url,
		URI:            i.URI,
		DisplayName:    i.Name,
		Note:           i.Summary,
		Locked:         i.Locked,
		Fields:         renderFields(i.Fields),
		Emojis:         []CustomEmoji{},
		Bot:            i.Bot || i.ActorType == "Service" || i.ActorType == "Application",
		Group:          i.ActorType == "Group",
		Discoverable:   &discoverable,
		Indexable:      i.Indexable,
		HideCollection: &hide,
		CreatedAt:      ts(midnight(i.Created)),
		StatusesCount:  s.Statuses,
		FollowersCount: s.Followers,
		FollowingCount: s.Following,
		Roles:          []any{},
	}
	if i.Deleted != nil {
		a.Suspended = true
	}
	a.Avatar = rd.imageURL(i, i.IconURI, "/avatars/original/missing.png")
	a.AvatarStatic = a.Avatar
	a.Header = rd.imageURL(i, i.ImageURI, "/headers/original/missing.png")
	a.HeaderStatic = a.Header
	if s.LastStatus != nil {
		day := s.LastStatus.UTC().Format("2006-01-02")
		a.LastStatusAt = &day
	}
	return a
}

func renderFields(fields []model.Field) []Field {
	out := make([]Field, 0, len(fields))
	for _, f := range fields {
		var verified *string
		if f.VerifiedAt != nil {
			v := ts(*f.VerifiedAt)
			verified = &v
		}
		out = append(out, Field{Name: f.Name, Value: f.Value, VerifiedAt: verified})
	}
	return out
}

// accounts renders identities, loading them and their counters.
func (rd *renderer) accounts(list []*model.Identity) ([]*Account, error) {
	ids := make([]model.ID, len(list))
	for k, i := range list {
		ids[k] = i.ID
	}
	rd.remember(list...)
	if err := rd.loadStats(ids); err != nil {
		return nil, err
	}
	out := make([]*Account, 0, len(list))
	for _, i := range list {
		out = append(out, rd.account(i))
	}
	return out, nil
}

// loadStats loads the counters of identities not loaded yet.
func (rd *renderer) loadStats(ids []model.ID) error {
	var missing []model.ID
	for _, id := range ids {
		if _, ok := rd.stats[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	stats, err := store.AccountStatsByIDs(rd.ctx(), rd.c.api.In.DB, missing)
	if err != nil {
		return err
	}
	for id, s := range stats {
		rd.stats[id] = s
	}
	return nil
}
