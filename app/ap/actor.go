package ap

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"pukeko/app/model"
)

// ActorTypes are the actor types Pukeko accepts.
var ActorTypes = map[string]bool{"Person": true, "Service": true, "Group": true, "Organization": true, "Application": true}

// actorContext is the JSON-LD context of actors, with the extensions
// Mastodon uses so that other servers read our fields.
var actorContext = []any{
	"https://www.w3.org/ns/activitystreams",
	"https://w3id.org/security/v1",
	map[string]any{
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"toot":                      "http://joinmastodon.org/ns#",
		"featured":                  map[string]any{"@id": "toot:featured", "@type": "@id"},
		"alsoKnownAs":               map[string]any{"@id": "as:alsoKnownAs", "@type": "@id"},
		"movedTo":                   map[string]any{"@id": "as:movedTo", "@type": "@id"},
		"discoverable":              "toot:discoverable",
		"indexable":                 "toot:indexable",
		"Emoji":                     "toot:Emoji",
		"schema":                    "http://schema.org#",
		"PropertyValue":             "schema:PropertyValue",
		"value":                     "schema:value",
	},
}

// RenderActor renders a local identity as an ActivityPub actor.
func RenderActor(i *model.Identity) map[string]any {
	a := map[string]any{
		"@context":                  actorContext,
		"id":                        i.URI,
		"type":                      i.ActorType,
		"inbox":                     i.InboxURI,
		"outbox":                    i.OutboxURI,
		"followers":                 i.FollowersURI,
		"following":                 i.FollowingURI,
		"featured":                  i.FeaturedURI,
		"name":                      i.Name,
		"summary":                   i.Summary,
		"url":                       i.URL,
		"manuallyApprovesFollowers": i.Locked,
		"discoverable":              i.Discoverable,
		"indexable":                 i.Indexable,
		"published":                 i.Created.UTC().Format("2006-01-02T15:04:05Z"),
		"publicKey": map[string]any{
			"id":           i.PublicKeyID,
			"owner":        i.URI,
			"publicKeyPem": i.PublicKey,
		},
		"attachment": renderFields(i.Fields),
		"tag":        []any{},
	}
	if i.Username != "" {
		a["preferredUsername"] = i.Username
	} else {
		a["preferredUsername"] = i.Name // the system actor is named after its domain
	}
	if i.SharedInboxURI != "" {
		a["endpoints"] = map[string]any{"sharedInbox": i.SharedInboxURI}
	}
	if len(i.AlsoKnownAs) > 0 {
		a["alsoKnownAs"] = i.AlsoKnownAs
	}
	if i.MovedTo != "" {
		a["movedTo"] = i.MovedTo
	}
	if i.IconURI != "" {
		a["icon"] = map[string]any{"type": "Image", "url": i.IconURI}
	}
	if i.ImageURI != "" {
		a["image"] = map[string]any{"type": "Image", "url": i.ImageURI}
	}
	return a
}

func renderFields(fields []model.Field) []any {
	out := []any{}
	for _, f := range fields {
		out = append(out, map[string]any{"type": "PropertyValue", "name": f.Name, "value": f.Value})
	}
	return out
}

// ErrNotActor means a document is not an actor we can use.
var ErrNotActor = errors.New("not an actor")

// ParseActor reads a remote actor document fetched from fetchedFrom. The
// actor's id must be on the same host as where it came from, so that one
// server cannot speak for another. The handle's domain is left empty: it
// comes from webfinger.
func ParseActor(o Object, fetchedFrom string) (*model.Identity, error) {
	if !ActorTypes[o.Type()] {
		return nil, fmt.Errorf("%w: type %q", ErrNotActor, o.Type())
	}
	id := o.ID()
	if err := SameHost(id, fetchedFrom); err != nil {
		return nil, err
	}
	i := &model.Identity{
		URI:          id,
		ActorType:    o.Type(),
		Username:     o.String("preferredUsername"),
		Name:         o.String("name"),
		Summary:      o.String("summary"),
		URL:          o.Ref("url"),
		Locked:       o.Bool("manuallyApprovesFollowers"),
		Bot:          o.Type() == "Service" || o.Type() == "Application",
		Discoverable: o.Bool("discoverable"),
		Indexable:    o.Bool("indexable"),
		InboxURI:     o.Ref("inbox"),
		OutboxURI:    o.Ref("outbox"),
		FollowersURI: o.Ref("followers"),
		FollowingURI: o.Ref("following"),
		FeaturedURI:  o.Ref("featured"),
		AlsoKnownAs:  o.Refs("alsoKnownAs"),
		MovedTo:      o.Ref("movedTo"),
	}
	if i.InboxURI == "" {
		return nil, fmt.Errorf("%w: %s has no inbox", ErrNotActor, id)
	}
	if ep := o.Embedded("endpoints"); ep != nil {
		i.SharedInboxURI = ep.Ref("sharedInbox")
	}
	if icon := o.Embedded("icon"); icon != nil {
		i.IconURI = icon.Ref("url")
	} else {
		i.IconURI = o.Ref("icon")
	}
	if img := o.Embedded("image"); img != nil {
		i.ImageURI = img.Ref("url")
	}
	// A key counts only when it is the actor's own: owned by it and named on
	// its host. Otherwise an actor could declare another actor's key id (with
	// that actor's public key) and have that actor's signatures attributed
	// to itself.
	for _, key := range o.Objects("publicKey") {
		if owner := key.Ref("owner"); owner != "" && owner != id {
			continue
		}
		if SameHost(key.ID(), id) != nil {
			continue
		}
		i.PublicKeyID, i.PublicKey = key.ID(), key.String("publicKeyPem")
		break
	}
	for _, att := range o.Objects("attachment") {
		if att.Type() == "PropertyValue" {
			i.Fields = append(i.Fields, model.Field{Name: att.String("name"), Value: att.String("value")})
		}
	}
	return i, nil
}

// SameHost checks that uri is an absolute http(s) URI on the host of
// origin.
func SameHost(uri, origin string) error {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("ap: %q is not an absolute http(s) URI", uri)
	}
	o, err := url.Parse(origin)
	if err != nil || !strings.EqualFold(u.Hostname(), o.Hostname()) {
		return fmt.Errorf("ap: %s is not on the host of %s", uri, origin)
	}
	return nil
}

// Host returns the lower-cased host name of an absolute URI, or "".
func Host(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
