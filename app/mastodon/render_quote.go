package mastodon

import (
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// Quote is Mastodon's Quote: the state of a quote and, once accepted, the
// status quoted (when the viewer may see it).
type Quote struct {
	State        string  `json:"state"`
	QuotedStatus *Status `json:"quoted_status"`
}

// ShallowQuote is Mastodon's ShallowQuote, the quote of a quoted status:
// Mastodon nests one level only.
type ShallowQuote struct {
	State          string  `json:"state"`
	QuotedStatusID *string `json:"quoted_status_id"`
}

// QuoteApproval is Mastodon's QuoteApproval: who may quote a status, and
// how that applies to the viewer.
type QuoteApproval struct {
	Automatic   []string `json:"automatic"`
	Manual      []string `json:"manual"`
	CurrentUser string   `json:"current_user"`
}

// quoteData is what rendering the quotes of a page of posts needs: their
// quote details, loaded with the page, and the statuses they quote,
// loaded (in two more round trips) when the first accepted quote is
// rendered.
type quoteData struct {
	details map[model.ID]store.QuoteDetail
	shallow bool // statuses inside a quote: their own quotes are shallow
	loaded  bool
	quoted  map[model.ID]*Status // visible quoted posts, rendered
	hidden  map[model.ID]bool    // quoted posts the viewer may not see
}

// newQuoteData keeps the quote details of a loaded page.
func newQuoteData(det *store.PostDetails) *quoteData {
	return &quoteData{details: det.Quotes}
}

// apiQuoteState is the state the API shows: a quote being verified is
// still pending.
func apiQuoteState(state string) string {
	if state == social.QuoteVerifying {
		return social.QuotePending
	}
	return state
}

// renderQuote sets a status's quote, quote_approval and quotes_count.
func (rd *renderer) renderQuote(s *Status, p *model.Post, d *statusData) error {
	qd := d.quotes
	if qd == nil {
		return nil
	}
	det := qd.details[p.ID]
	s.QuotesCount = det.Count
	s.QuoteApproval = &QuoteApproval{
		Automatic:   append([]string{}, det.Policy.Automatic...),
		Manual:      append([]string{}, det.Policy.Manual...),
		CurrentUser: social.QuoteApprovalFor(p, rd.c.viewerID(), det.Policy, det.ReaderFollows, det.FollowedByAuthor),
	}
	if det.QuoteState == "" {
		return nil
	}
	state := apiQuoteState(det.QuoteState)
	if qd.shallow {
		sq := &ShallowQuote{State: state}
		if state == social.QuoteAccepted && det.QuotedPostID != 0 {
			id := idStr(det.QuotedPostID)
			sq.QuotedStatusID = &id
		}
		s.Quote = sq
		return nil
	}
	q := &Quote{State: state}
	if state == social.QuoteAccepted {
		if err := rd.loadQuoted(qd); err != nil {
			return err
		}
		switch id := det.QuotedPostID; {
		case qd.quoted[id] != nil:
			q.QuotedStatus = qd.quoted[id]
		case qd.hidden[id]:
			q.State = "unauthorized"
		default:
			q.State = social.QuoteDeleted
		}
	}
	s.Quote = q
	return nil
}

// loadQuoted renders, once, the posts the accepted quotes of a page show,
// as the viewer may see them, with shallow quotes of their own.
func (rd *renderer) loadQuoted(qd *quoteData) error {
	if qd.loaded {
		return nil
	}
	qd.loaded, qd.quoted = true, map[model.ID]*Status{}
	var ids []model.ID
	for _, det := range qd.details {
		if det.QuoteState == social.QuoteAccepted && det.QuotedPostID != 0 {
			ids = append(ids, det.QuotedPostID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	visible, hidden, err := store.QuotedPosts(rd.ctx(), rd.c.api.In.DB, rd.c.viewerID(), ids)
	if err != nil {
		return err
	}
	qd.hidden = hidden
	if len(visible) == 0 {
		return nil
	}
	nd, err := rd.load(visible, nil)
	if err != nil {
		return err
	}
	nd.quotes.shallow = true
	for _, p := range visible {
		s, err := rd.status(p, nd)
		if err != nil {
			return err
		}
		if s != nil {
			qd.quoted[p.ID] = s
		}
	}
	return nil
}
