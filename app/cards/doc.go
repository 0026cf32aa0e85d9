// Package cards makes link preview cards, as Mastodon does: the first
// link of a post that is not a mention, a hashtag, one of this server's
// pages or the post's own media is fetched (through the federation
// client's address checks, within a size and time limit, HTML only), its
// OpenGraph, Twitter-card, <title> and oEmbed metadata are cleaned and
// kept as one card per URL, and the post is linked to it. Card images are
// served through the remote media cache, never hot-linked.
//
// Two Stator graphs do the work: post_preview_cards picks a post's link
// (a trigger on posts queues every post whose content holds a link, and
// again when it changes), preview_cards fetches a URL's card, and fetches
// it again when a post links it after cards.refresh_after.
package cards
