package cards

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"pukeko/app/federation"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// States of a URL's card (preview_cards).
const (
	CardNew     = "new"     // to fetch (again)
	CardFetched = "fetched" // described; fetched again when linked after cards.refresh_after
	CardFailed  = "failed"  // no card to be had (for now); tried again likewise
)

// cardGraph fetches cards. A page that cannot be had now (a time-out, a
// 5xx) is tried again with backoff for a day; one that will never make a
// card (not HTML, too large, a forbidden address, a 4xx, no title) fails
// at once.
func (s *Service) cardGraph() *stator.Graph {
	g := stator.NewGraph("preview_cards", "preview_cards").Concurrency(4)
	g.State(CardNew).Retry(stator.Backoff{Base: time.Minute, Max: 6 * time.Hour, Jitter: 0.2}).
		TimesOutTo(CardFailed, 24*time.Hour).
		Handle(s.fetchCard, CardFetched, CardFailed)
	g.State(CardFetched)
	g.State(CardFailed)
	return g
}

// errNoCard marks a page with nothing to show: no title, no embed.
var errNoCard = errors.New("cards: the page has no title")

func (s *Service) fetchCard(ctx context.Context, it stator.Item) (string, error) {
	c, err := store.PreviewCardByID(ctx, s.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if c == nil || c.State != it.State {
		return "", nil
	}
	if !s.Options.Enabled {
		return CardFailed, nil
	}
	fctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	found, err := s.describe(fctx, c.URL)
	if err != nil {
		if permanent(err) {
			s.Logger.Debug("no preview card", "url", c.URL, "error", err)
			return CardFailed, nil
		}
		return "", err
	}
	found.ID = c.ID
	if err := store.SavePreviewCard(ctx, s.DB, found); err != nil {
		return "", err
	}
	// The image reaches clients through the remote media cache: have it
	// cached now rather than at the first reader.
	if s.Media != nil {
		var files []string
		for _, u := range []string{found.ImageURL, found.EmbedURL} {
			if u != "" && (len(files) == 0 || files[0] != u) {
				files = append(files, u)
			}
		}
		if err := store.QueueRemoteMedia(ctx, s.DB, files); err != nil {
			return "", err
		}
	}
	return CardFetched, nil
}

// describe fetches the page at link and makes its card: OpenGraph and
// the rest from the page, then what its oEmbed description adds (a
// failing oEmbed only loses that).
func (s *Service) describe(ctx context.Context, link string) (*model.PreviewCard, error) {
	page, err := s.Client.GetPage(ctx, link, "text/html", []string{"text/html"}, s.maxPageSize())
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(page.URL)
	if err != nil {
		return nil, fmt.Errorf("cards: %s: %w", page.URL, err)
	}
	meta := readPage(page.Body, page.ContentType)
	c := meta.card(base, time.Now())
	if endpoint := resolveURL(base, meta.oembed); endpoint != "" {
		e, at, err := s.fetchOEmbed(ctx, endpoint)
		if err == nil {
			e.apply(c, at)
		} else {
			s.Logger.Debug("oEmbed not read", "url", link, "oembed", endpoint, "error", err)
		}
	}
	if c.Title == "" && c.HTML == "" {
		return nil, fmt.Errorf("%s: %w", link, errNoCard)
	}
	return c, nil
}

// permanent tells failures that retrying will not mend.
func permanent(err error) bool {
	for _, e := range []error{errNoCard, federation.ErrUnexpectedType, federation.ErrResponseTooLarge,
		federation.ErrUnsupportedURL, federation.ErrForbiddenAddress} {
		if errors.Is(err, e) {
			return true
		}
	}
	var se *federation.StatusError
	return errors.As(err, &se) && se.Permanent()
}
