// Package text turns post text into HTML and back, the way Mastodon does.
//
// Local posts are typed as plain text and rendered by Render into the HTML
// Mastodon clients expect (paragraphs, linkified URLs, h-card mentions and
// hashtag links). Remote posts arrive as HTML of unknown origin and are
// cleaned by Sanitize down to the small subset Mastodon itself keeps.
// PlainText and HashtagsInHTML read HTML back for search, notifications and
// tag indexing.
package text
