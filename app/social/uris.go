package social

import (
	"strings"

	"pukeko/app/model"
)

// ActorURI is the actor URI of username on local domain d: on its URI
// domain (the service domain when there is one), naming the display domain
// too, so one service domain can serve several display domains.
func (in *Instance) ActorURI(d *model.Domain, username string) string {
	return in.BaseURL(d.URIDomain()) + "/@" + username + "@" + d.Domain
}

// ProfileURL is the human page of username on its display domain.
func (in *Instance) ProfileURL(d *model.Domain, username string) string {
	return in.BaseURL(d.Domain) + "/@" + username
}

// SharedInboxURI is the shared inbox of a host.
func (in *Instance) SharedInboxURI(host string) string { return in.BaseURL(host) + "/inbox" }

// SystemActorURI is the server's own actor on main_domain.
func (in *Instance) SystemActorURI() string { return in.BaseURL(in.MainDomain) + "/actor" }

// fillLocalURIs sets the collection and key URIs of a local identity.
func fillLocalURIs(i *model.Identity, sharedInbox string) {
	i.InboxURI = i.URI + "/inbox"
	i.SharedInboxURI = sharedInbox
	i.OutboxURI = i.URI + "/outbox"
	i.FollowersURI = i.URI + "/followers"
	i.FollowingURI = i.URI + "/following"
	i.FeaturedURI = i.URI + "/featured"
	i.PublicKeyID = i.URI + "#main-key"
}

// SplitHandle splits "@user@domain", "user@domain" or "acct:user@domain"
// into its parts, lower-casing the domain.
func SplitHandle(handle string) (username, domain string, ok bool) {
	h := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(handle), "acct:"), "@")
	username, domain, ok = strings.Cut(h, "@")
	if !ok || username == "" || domain == "" || strings.Contains(domain, "@") {
		return "", "", false
	}
	return username, strings.ToLower(domain), true
}
