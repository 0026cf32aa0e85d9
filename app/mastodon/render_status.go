package mastodon

import (
	"fmt"
	"net/url"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// entry is one status to render: a post, or a boost of it (BoostID, the
// boost's interaction id and place in timelines, and BoostedBy).
type entry struct {
	Post      *model.Post
	BoostID   model.ID
	BoostedBy model.ID
}

// statusData is what rendering a page of posts needs, loaded in batches.
type statusData struct {
	counts      map[model.ID]model.PostCounts
	states      map[model.ID]store.ViewerState
	attachments map[model.ID][]*model.Attachment
	polls       map[model.ID]*model.Poll
	votes       map[model.ID][]int
	emoji       map[model.ID][]*model.Emoji
	parents     map[model.ID]model.ID // post id -> author of the post it replies to
	muted       map[model.ID]bool     // posts of threads the viewer muted
	quotes      *quoteData            // what the posts quote (render_quote.go)
	cards       map[model.ID]*model.PreviewCard
}

// load fetches what the posts need, with the identities of their authors,
// mentions and extraIdentities, in one round trip.
func (rd *renderer) load(posts []*model.Post, extraIdentities []model.ID) (*statusData, error) {
	ids := make([]model.ID, 0, len(posts))
	people := append([]model.ID(nil), extraIdentities...)
	for _, p := range posts {
		ids = append(ids, p.ID)
		people = append(people, p.AuthorID)
		people = append(people, p.Mentions...)
	}
	var missing []model.ID
	seen := map[model.ID]bool{}
	for _, id := range people {
		if _, ok := rd.identities[id]; !ok && id != 0 && !seen[id] {
			missing = append(missing, id)
			seen[id] = true
		}
	}
	det, err := store.LoadPostDetails(rd.ctx(), rd.c.api.In.DB, rd.c.viewerID(), ids, missing)
	if err != nil {
		return nil, err
	}
	for id, i := range det.Identities {
		rd.identities[id] = i
	}
	for id, s := range det.Stats {
		rd.stats[id] = s
	}
	return &statusData{
		counts:      det.Counts,
		states:      det.States,
		attachments: det.Attachments,
		polls:       det.Polls,
		votes:       det.Votes,
		emoji:       det.Emoji,
		parents:     det.ParentAuthors,
		muted:       det.Muted,
		quotes:      newQuoteData(det),
		cards:       det.Cards,
	}, nil
}

// statuses renders entries, newest first as given.
func (rd *renderer) statuses(entries []entry) ([]*Status, error) {
	posts := make([]*model.Post, 0, len(entries))
	var boosters []model.ID
	for _, e := range entries {
		posts = append(posts, e.Post)
		if e.BoostedBy != 0 {
			boosters = append(boosters, e.BoostedBy)
		}
	}
	d, err := rd.load(posts, boosters)
	if err != nil {
		return nil, err
	}
	out := make([]*Status, 0, len(entries))
	for _, e := range entries {
		s, err := rd.status(e.Post, d)
		if err != nil {
			return nil, err
		}
		if s == nil {
			continue
		}
		if e.BoostID != 0 {
			booster := rd.identities[e.BoostedBy]
			if booster == nil {
				continue
			}
			s = rd.boost(e, booster, s)
		}
		out = append(out, s)
	}
	return out, nil
}

// posts renders posts in their own right.
func (rd *renderer) posts(list []*model.Post) ([]*Status, error) {
	entries := make([]entry, len(list))
	for k, p := range list {
		entries[k] = entry{Post: p}
	}
	return rd.statuses(entries)
}

// viewerPosts renders posts in their own right, marked muted where the
// viewer muted their thread.
func (rd *renderer) viewerPosts(list []*model.Post) ([]*Status, error) {
	out, err := rd.posts(list)
	if err != nil {
		return nil, err
	}
	if err := rd.c.markMuted(out...); err != nil {
		return nil, err
	}
	return out, nil
}

// one renders a single post.
func (rd *renderer) one(p *model.Post) (*Status, error) {
	list, err := rd.posts([]*model.Post{p})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// answerOne renders a post and answers it as it is: unlike answerPost
// (after an action), with no 404 for a post that renders to nothing and
// no thread mute marked, as these endpoints have always answered.
func (c *call) answerOne(p *model.Post) {
	s, err := c.renderer().one(p)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(s)
}

// boost wraps a rendered status in the status of its boost.
func (rd *renderer) boost(e entry, booster *model.Identity, inner *Status) *Status {
	s := boostShell(e, inner)
	s.Account = rd.account(booster)
	return s
}

// boostShell is the status of a boost without its booster's account.
func boostShell(e entry, inner *Status) *Status {
	f := false
	return &Status{
		ID:               idStr(e.BoostID),
		URI:              fmt.Sprintf("%s#boosts/%d", inner.URI, e.BoostID),
		CreatedAt:        ts(e.BoostID.Time()),
		Content:          "",
		Visibility:       inner.Visibility,
		MediaAttachments: []MediaAttachment{},
		Mentions:         []Mention{},
		Tags:             []Tag{},
		Emojis:           []CustomEmoji{},
		Reblog:           inner,
		Favourited:       inner.Favourited,
		Reblogged:        inner.Reblogged,
		Bookmarked:       inner.Bookmarked,
		Muted:            &f,
		Pinned:           nil,
	}
}

// visibility maps ours to Mastodon's four: local-only posts are public on
// this server, and clients know no fifth value.
func visibility(v string) string {
	if v == model.VisibilityLocal {
		return model.VisibilityPublic
	}
	return v
}

// status renders one post with loaded data; nil when its author is gone.
func (rd *renderer) status(p *model.Post, d *statusData) (*Status, error) {
	author := rd.identities[p.AuthorID]
	if author == nil {
		return nil, nil
	}
	c := d.counts[p.ID]
	s := &Status{
		ID:               idStr(p.ID),
		URI:              p.URI,
		CreatedAt:        ts(p.Published),
		EditedAt:         tsPtr(p.Edited),
		Account:          rd.account(author),
		Content:          p.Content,
		Visibility:       visibility(p.Visibility),
		Sensitive:        p.Sensitive,
		SpoilerText:      p.Summary,
		MediaAttachments: []MediaAttachment{},
		Mentions:         []Mention{},
		Tags:             []Tag{},
		Emojis:           []CustomEmoji{},
		ReblogsCount:     c.Boosts,
		FavouritesCount:  c.Likes,
		RepliesCount:     c.Replies,
	}
	if p.URL != "" {
		u := p.URL
		s.URL = &u
	} else {
		u := p.URI
		s.URL = &u
	}
	if p.Title != "" && p.ObjectType != "Note" && p.ObjectType != "Question" {
		// Articles and pages: their title and a link, as Mastodon shows them.
		s.Content = "<p><strong>" + htmlEscape(p.Title) + "</strong></p>" + p.Content
	}
	if p.Language != "" {
		l := p.Language
		s.Language = &l
	}
	if p.InReplyToID != 0 {
		id := idStr(p.InReplyToID)
		s.InReplyToID = &id
		if a, ok := d.parents[p.ID]; ok {
			aid := idStr(a)
			s.InReplyToAccountID = &aid
		}
	}
	for _, m := range p.Mentions {
		if i := rd.identities[m]; i != nil {
			u := i.URL
			if u == "" {
				u = i.URI
			}
			s.Mentions = append(s.Mentions, Mention{ID: idStr(i.ID), Username: i.Username, URL: u, Acct: rd.acct(i)})
		}
	}
	for _, t := range p.Hashtags {
		s.Tags = append(s.Tags, Tag{Name: t, URL: rd.c.baseURL() + "/tags/" + url.PathEscape(t)})
	}
	for _, e := range d.emoji[p.ID] {
		s.Emojis = append(s.Emojis, rd.emoji(e))
	}
	for _, a := range d.attachments[p.ID] {
		m, err := rd.attachment(a)
		if err != nil {
			return nil, err
		}
		s.MediaAttachments = append(s.MediaAttachments, *m)
	}
	if pl := d.polls[p.ID]; pl != nil {
		s.Poll = rd.poll(pl, p, d.votes[p.ID])
	}
	s.Card = rd.statusCard(d.cards[p.ID])
	if rd.c.viewer != nil {
		st := d.states[p.ID]
		muted := d.muted[p.ID]
		s.Favourited, s.Reblogged, s.Bookmarked, s.Muted = &st.Liked, &st.Boosted, &st.Bookmarked, &muted
		if p.AuthorID == rd.c.viewer.ID {
			s.Pinned = &st.Pinned
		}
		s.Filtered = rd.filtered(p, s)
	}
	if err := rd.renderQuote(s, p, d); err != nil {
		return nil, err
	}
	return s, nil
}

// emoji renders a custom emoji, remote images through the media proxy.
func (rd *renderer) emoji(e *model.Emoji) CustomEmoji {
	u := e.ImageURL
	if !e.Local() && rd.c.api.In.Media != nil {
		if p, err := rd.c.api.In.Media.ProxyURL(rd.ctx(), rd.c.host, u); err == nil {
			u = p
		}
	}
	return CustomEmoji{Shortcode: e.Shortcode, URL: u, StaticURL: u, VisibleInPicker: e.VisibleInPicker}
}

// poll renders a post's poll for the viewer; totals stay hidden from
// everyone but the author until the poll ends when it says so.
func (rd *renderer) poll(pl *model.Poll, p *model.Post, votes []int) *Poll {
	now := time.Now()
	ended := pl.Ended(now)
	hide := pl.HideTotals && !ended && (rd.c.viewer == nil || rd.c.viewer.ID != p.AuthorID)
	out := &Poll{
		ID:       idStr(p.ID),
		Expired:  ended,
		Multiple: pl.Multiple,
		Options:  make([]PollOption, len(pl.Options)),
		Emojis:   []CustomEmoji{},
	}
	if pl.Expires != nil {
		e := ts(*pl.Expires)
		out.ExpiresAt = &e
	}
	for k, title := range pl.Options {
		out.Options[k].Title = title
		if !hide && k < len(pl.Counts) {
			n := pl.Counts[k]
			out.Options[k].VotesCount = &n
			out.VotesCount += n
		}
	}
	if hide {
		out.VotesCount = 0
	}
	voters := pl.VotersCount
	out.VotersCount = &voters
	if rd.c.viewer != nil {
		voted := len(votes) > 0 || rd.c.viewer.ID == p.AuthorID
		out.Voted = &voted
		out.OwnVotes = append([]int{}, votes...)
	}
	return out
}
