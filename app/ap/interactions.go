package ap

import "pukeko/app/model"

// Like renders a Like of a post (its URI) by actor, to the post's author.
func Like(id, actor, object, author string) map[string]any {
	a := NewActivity("Like", id, actor, object)
	a["to"] = []string{author}
	return a
}

// Announce renders a boost of a post by actor, addressed as Mastodon does:
// a public post to Public, cc the booster's followers and the author; an
// unlisted one to the followers, cc Public and the author.
func Announce(id string, booster *model.Identity, p *model.Post, author *model.Identity, published string) map[string]any {
	a := NewActivity("Announce", id, booster.URI, p.URI)
	if p.Visibility == model.VisibilityPublic {
		a["to"] = []string{Public}
		a["cc"] = []string{booster.FollowersURI, author.URI}
	} else {
		a["to"] = []string{booster.FollowersURI}
		a["cc"] = []string{Public, author.URI}
	}
	a["published"] = published
	return a
}

// FeaturedChange renders an Add or Remove (typ) of a post to or from the
// actor's featured collection (pins), public.
func FeaturedChange(typ, id string, actor *model.Identity, postURI string) map[string]any {
	a := NewActivity(typ, id, actor.URI, postURI)
	a["target"] = actor.FeaturedURI
	a["to"] = []string{Public}
	a["cc"] = []string{actor.FollowersURI}
	return a
}
