package mastodon

import (
	"pukeko/app/model"
)

// PreviewCard is Mastodon's PreviewCard, as Mastodon 4.7 renders it.
type PreviewCard struct {
	URL              string              `json:"url"`
	Title            string              `json:"title"`
	Description      string              `json:"description"`
	Language         *string             `json:"language"`
	Type             string              `json:"type"`
	AuthorName       string              `json:"author_name"`
	AuthorURL        string              `json:"author_url"`
	ProviderName     string              `json:"provider_name"`
	ProviderURL      string              `json:"provider_url"`
	HTML             string              `json:"html"`
	Width            int                 `json:"width"`
	Height           int                 `json:"height"`
	Image            *string             `json:"image"`
	ImageDescription string              `json:"image_description"`
	EmbedURL         string              `json:"embed_url"`
	Blurhash         *string             `json:"blurhash"`
	PublishedAt      *string             `json:"published_at"`
	Authors          []PreviewCardAuthor `json:"authors"`
}

// PreviewCardAuthor is Mastodon's PreviewCardAuthor: Mastodon always
// sends one, made of the card's author name and address.
type PreviewCardAuthor struct {
	Name    string   `json:"name"`
	URL     string   `json:"url"`
	Account *Account `json:"account"`
}

// card renders a post's card, nil (null) when it has none to show. The
// image and a photo's embed go through the media proxy: a reader's
// client never fetches them from the page's server.
func (rd *renderer) card(c *model.PreviewCard) *PreviewCard {
	if !c.Shown() {
		return nil
	}
	out := &PreviewCard{
		URL: c.URL, Title: c.Title, Description: c.Description, Type: c.Type,
		AuthorName: c.AuthorName, AuthorURL: c.AuthorURL, ProviderName: c.ProviderName, ProviderURL: c.ProviderURL,
		HTML: c.HTML, Width: c.Width, Height: c.Height, ImageDescription: c.ImageDescription,
		EmbedURL:    rd.proxied(c.EmbedURL),
		PublishedAt: tsPtr(c.Published),
		Authors:     []PreviewCardAuthor{{Name: c.AuthorName, URL: c.AuthorURL}},
	}
	if c.Language != "" {
		l := c.Language
		out.Language = &l
	}
	if img := rd.proxied(c.ImageURL); img != "" {
		out.Image = &img
	}
	return out
}

// proxied is where clients fetch a remote file: through the media proxy,
// or "" when there is none (or no proxy to go through).
func (rd *renderer) proxied(remote string) string {
	m := rd.c.api.In.Media
	if remote == "" || m == nil {
		return ""
	}
	u, err := m.ProxyURL(rd.ctx(), rd.c.host, remote)
	if err != nil {
		rd.c.api.Logger.Warn("api: proxying a card's media failed", "url", remote, "error", err)
		return ""
	}
	return u
}

// statusCard is a status's card field: the card, or null.
func (rd *renderer) statusCard(c *model.PreviewCard) any {
	if out := rd.card(c); out != nil {
		return out
	}
	return nil
}
