package cards

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"pukeko/app/model"
)

// maxOEmbedSize bounds an oEmbed description: a few fields of JSON.
const maxOEmbedSize = 64 << 10

// oEmbed is the JSON an oEmbed endpoint answers (oembed.com, section 2.3.4).
type oEmbed struct {
	Type         string      `json:"type"`
	Title        string      `json:"title"`
	AuthorName   string      `json:"author_name"`
	AuthorURL    string      `json:"author_url"`
	ProviderName string      `json:"provider_name"`
	ProviderURL  string      `json:"provider_url"`
	URL          string      `json:"url"`
	HTML         string      `json:"html"`
	ThumbnailURL string      `json:"thumbnail_url"`
	Width        flexibleInt `json:"width"`
	Height       flexibleInt `json:"height"`
}

// flexibleInt takes a number or a string of one, as providers send both;
// anything else is 0.
type flexibleInt int

func (n *flexibleInt) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil
	}
	switch v := v.(type) {
	case float64:
		*n = flexibleInt(dimension(strconv.Itoa(int(v))))
	case string:
		*n = flexibleInt(dimension(v))
	}
	return nil
}

// fetchOEmbed reads the oEmbed description at endpoint (found on a page).
func (s *Service) fetchOEmbed(ctx context.Context, endpoint string) (*oEmbed, *url.URL, error) {
	page, err := s.Client.GetPage(ctx, endpoint, "application/json",
		[]string{"application/json", "application/json+oembed", "text/json", "text/javascript"}, min(maxOEmbedSize, s.maxPageSize()))
	if err != nil {
		return nil, nil, err
	}
	var e oEmbed
	if err := json.Unmarshal(page.Body, &e); err != nil {
		return nil, nil, fmt.Errorf("cards: oEmbed of %s: %w", endpoint, err)
	}
	base, _ := url.Parse(page.URL)
	return &e, base, nil
}

// apply adds what an oEmbed description says to a page's card, as
// Mastodon takes it: names and a title from any; a photo needs its
// address; a video or rich embed only counts with an iframe in its html
// (which is rebuilt, never kept), else the page's own card stays.
func (e *oEmbed) apply(c *model.PreviewCard, base *url.URL) {
	if t := cleanText(e.Title, maxTitle); t != "" {
		c.Title = t
	}
	if n := cleanText(e.AuthorName, maxName); n != "" {
		c.AuthorName, c.AuthorURL = n, resolveURL(base, e.AuthorURL)
	}
	if n := cleanText(e.ProviderName, maxName); n != "" {
		c.ProviderName = n
	}
	if u := resolveURL(base, e.ProviderURL); u != "" {
		c.ProviderURL = u
	}
	thumbnail := resolveURL(base, e.ThumbnailURL)
	switch strings.ToLower(e.Type) {
	case model.CardPhoto:
		if photo := resolveURL(base, e.URL); photo != "" {
			c.Type, c.HTML, c.EmbedURL, c.ImageURL = model.CardPhoto, "", photo, photo
			c.Width, c.Height = int(e.Width), int(e.Height)
		}
	case model.CardVideo, model.CardRich:
		src := iframeSource(e.HTML)
		if embed := iframe(resolveURL(base, src), int(e.Width), int(e.Height)); src != "" && embed != "" {
			c.Type, c.HTML = strings.ToLower(e.Type), embed
			c.Width, c.Height = int(e.Width), int(e.Height)
			if thumbnail != "" {
				c.ImageURL = thumbnail
			}
		}
	default:
		if c.ImageURL == "" {
			c.ImageURL = thumbnail
		}
	}
}

// iframeSource returns the src of the first <iframe> in an oEmbed html,
// or "": its scripts, styles and other markup are never used.
func iframeSource(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "iframe" {
				continue
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "src" {
					return strings.TrimSpace(string(v))
				}
			}
			return ""
		}
	}
}
