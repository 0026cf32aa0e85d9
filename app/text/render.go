package text

import (
	"html"
	"strings"
)

// Mention is a resolved @mention in local text.
type Mention struct {
	Username string // the account's username, shown in the link
	Domain   string // the account's domain, shown only to tell apart equal usernames
	URL      string // profile page of the mentioned account, the link's target
}

// Parsed is what Render found in the text.
type Parsed struct {
	// HTML is the rendered post, "" for blank text.
	HTML string
	// Mentions holds the handles that resolved and were linked, as
	// "user@domain", in order and without repeats. Unresolved handles are
	// not listed: they are not linked, so nobody is notified of them.
	Mentions []string
	// Hashtags holds the tags, normalised and lower-cased, without '#', in
	// order and without repeats.
	Hashtags []string
	// Links holds the URLs linkified, as typed, in order and without repeats.
	Links []string
}

// RenderOptions tells Render how to resolve things.
type RenderOptions struct {
	// LocalDomain is the author's display domain: "@bob" means
	// bob@LocalDomain.
	LocalDomain string
	// TagURL returns the link of a hashtag's page, such as
	// https://host/tags/tag, given the normalised tag. When nil, hashtags are
	// listed in Parsed but not linked.
	TagURL func(tag string) string
	// Mention resolves a "user@domain" handle. False, an empty URL or a nil
	// func leaves the text as typed.
	Mention func(handle string) (Mention, bool)
}

// Render turns a local post's plain text into HTML as Mastodon does:
// blank-line-separated blocks become <p> paragraphs and single newlines <br>;
// HTML special characters are escaped, so typed markup shows as text;
// http and https URLs, resolvable @user and @user@domain mentions and
// #hashtags become links in Mastodon's markup. :shortcode: emoji are left as
// typed for the emoji code to handle.
func Render(text string, opts RenderOptions) Parsed {
	paras := paragraphs(text)
	if len(paras) == 0 {
		return Parsed{}
	}
	scanned := make([][][]entity, len(paras))
	for i, lines := range paras {
		scanned[i] = make([][]entity, len(lines))
		for j, line := range lines {
			scanned[i][j] = scanLine(line)
		}
	}
	r := newRenderer(opts)
	r.resolveMentions(scanned)
	var b strings.Builder
	b.Grow(len(text) + len(text)/2)
	for i, lines := range paras {
		b.WriteString("<p>")
		for j, line := range lines {
			if j > 0 {
				b.WriteString("<br>")
			}
			r.writeLine(&b, line, scanned[i][j])
		}
		b.WriteString("</p>")
	}
	return Parsed{
		HTML:     b.String(),
		Mentions: r.mentions.items,
		Hashtags: r.hashtags.items,
		Links:    r.links.items,
	}
}

// writeLine writes one line with its entities linked and everything else
// escaped.
func (r *renderer) writeLine(b *strings.Builder, line string, ents []entity) {
	last := 0
	for _, e := range ents {
		b.WriteString(html.EscapeString(line[last:e.start]))
		switch e.kind {
		case entityURL:
			r.writeURL(b, e)
		case entityMention:
			r.writeMention(b, line, e)
		case entityHashtag:
			r.writeHashtag(b, line, e)
		}
		last = e.end
	}
	b.WriteString(html.EscapeString(line[last:]))
}
