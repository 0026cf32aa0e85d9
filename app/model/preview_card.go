package model

import "time"

// Preview card types, as Mastodon names them.
const (
	CardLink  = "link"
	CardPhoto = "photo"
	CardVideo = "video"
	CardRich  = "rich"
)

// PreviewCard describes the page a link points at, as its OpenGraph,
// Twitter-card, <title> and oEmbed metadata say: one per URL, shared by
// every post linking it. Every string is plain text, cleaned when stored;
// HTML is an iframe Pukeko built itself (video and rich cards) or "".
// ImageURL and EmbedURL are remote: clients get them through the media
// proxy. Fetched is nil until a fetch succeeded (such a card is not
// shown). State is a state of the preview_cards graph (app/cards).
type PreviewCard struct {
	ID               ID
	URL              string
	Type             string
	Title            string
	Description      string
	AuthorName       string
	AuthorURL        string
	ProviderName     string
	ProviderURL      string
	HTML             string
	Width            int
	Height           int
	ImageURL         string
	ImageDescription string
	EmbedURL         string
	Language         string
	Published        *time.Time
	Fetched          *time.Time
	State            string
	StateChanged     time.Time
}

// Shown reports whether the card has anything to show: it was fetched and
// has a title or an embed.
func (c *PreviewCard) Shown() bool {
	return c != nil && c.Fetched != nil && (c.Title != "" || c.HTML != "")
}
