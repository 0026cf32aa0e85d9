package mastodon

import "pukeko/app/model"

// filtered returns the FilterResults of the viewer's filters that match a
// rendered post (Status.filtered).
func (rd *renderer) filtered(p *model.Post, s *Status) []any {
	return []any{}
}
