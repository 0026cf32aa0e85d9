package mastodon

import (
	"strconv"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// LinkTrends says what makes a link trend: shared by at least MinAccounts
// distinct accounts (1 when 0) in public posts over the last Window (a
// day when 0).
type LinkTrends struct {
	Window      time.Duration
	MinAccounts int
}

// since is when the trending window starts.
func (t LinkTrends) since() time.Time {
	w := t.Window
	if w <= 0 {
		w = 24 * time.Hour
	}
	return time.Now().Add(-w)
}

// linkHistoryDays is how many days of history a trending link shows, as
// Mastodon shows a week.
const linkHistoryDays = 7

// TrendsLink is Mastodon's Trends::Link: a card with its history.
type TrendsLink struct {
	PreviewCard
	History []TagHistory `json:"history"`
}

// trendingLinks answers the cards of the links most distinct accounts
// shared in public posts lately, with a week of history each.
func (a *API) trendingLinks(c *call) {
	limit, offset := c.offsetPage(10, 20)
	trending, err := store.TrendingLinks(c.ctx(), a.In.DB, a.Options.Links.since(), a.Options.Links.MinAccounts, limit, offset)
	if err != nil {
		a.fail(c, err)
		return
	}
	ids := make([]model.ID, len(trending))
	for k, t := range trending {
		ids[k] = t.Card.ID
	}
	hist, err := store.LinkHistories(c.ctx(), a.In.DB, ids, linkHistoryDays)
	if err != nil {
		a.fail(c, err)
		return
	}
	rd := c.renderer()
	out := make([]*TrendsLink, 0, len(trending))
	for _, t := range trending {
		card := rd.card(t.Card)
		if card == nil {
			continue
		}
		l := &TrendsLink{PreviewCard: *card, History: make([]TagHistory, 0, linkHistoryDays)}
		for _, d := range hist[t.Card.ID] {
			l.History = append(l.History, TagHistory{Day: strconv.FormatInt(d.Day.Unix(), 10),
				Uses: strconv.Itoa(d.Uses), Accounts: strconv.Itoa(d.Accounts)})
		}
		out = append(out, l)
	}
	c.offsetLink(offset, limit, len(trending))
	c.ok(out)
}
