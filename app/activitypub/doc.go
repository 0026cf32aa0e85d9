// Package activitypub serves the fediverse side of Pukeko over HTTP:
// discovery (webfinger, host-meta, nodeinfo), actors and their collections,
// and the inboxes. Every request has been resolved to one of the server's
// domains (app/hosts) before it gets here.
package activitypub
