package social

import (
	"context"
	"errors"
	"fmt"

	"pukeko/app/model"
	"pukeko/app/store"
)

// LocalEmojiOptions describe one of our custom emoji.
type LocalEmojiOptions struct {
	Shortcode string
	Image     []byte
	Domain    string // offered only on this local domain; "" on every one
	Category  string
	Hidden    bool // not shown in pickers (still rendered)
}

// AddLocalEmoji stores a custom emoji of ours (PNG, GIF or WebP within the
// emoji size limit), replacing one with the same shortcode.
func (in *Instance) AddLocalEmoji(ctx context.Context, o LocalEmojiOptions) (*model.Emoji, error) {
	if !validShortcode.MatchString(o.Shortcode) {
		return nil, fmt.Errorf("emoji: %q is not a valid shortcode (2 to 64 letters, digits and _)", o.Shortcode)
	}
	// Emoji of every domain live on the default domain's address.
	host := in.MainDomain
	domains, err := store.LocalDomains(ctx, in.DB)
	if err != nil {
		return nil, err
	}
	for _, d := range domains {
		if d.Default {
			host = d.Domain
		}
	}
	if o.Domain != "" {
		d, err := store.Domain(ctx, in.DB, o.Domain)
		if err != nil {
			return nil, err
		}
		if d == nil || !d.Local {
			return nil, fmt.Errorf("emoji: %s is not a domain of this server", o.Domain)
		}
		host = d.Domain
	}
	if in.Media == nil {
		return nil, errors.New("emoji: no media storage configured")
	}
	key, mime, err := in.Media.EmojiImage(ctx, o.Image)
	if err != nil {
		return nil, err
	}
	e := &model.Emoji{Shortcode: o.Shortcode, ImageURL: in.Media.FileURL(host, key), MediaType: mime, VisibleInPicker: !o.Hidden}
	if err := store.SaveLocalEmoji(ctx, in.DB, e, key, o.Domain, o.Category); err != nil {
		return nil, err
	}
	return e, nil
}
