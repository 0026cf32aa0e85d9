package model

import "time"

// Emoji is a custom emoji: one of ours (Domain "") or one met in a post
// from another server (Domain of the post's author, URI the id of its
// Emoji object). Posts keep :Shortcode: in their text; the emoji they use
// are linked to them and named by Emoji tags in their Note.
type Emoji struct {
	ID              ID
	Shortcode       string // without colons
	Domain          string // "" for ours
	ImageURL        string
	MediaType       string
	VisibleInPicker bool
	URI             string // remote emoji: the Emoji object's id
	Created         time.Time
	Updated         time.Time
}

// Local reports whether the emoji is one of ours.
func (e *Emoji) Local() bool { return e.Domain == "" }
