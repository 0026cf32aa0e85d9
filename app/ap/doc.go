// Package ap is the ActivityStreams vocabulary as the fediverse speaks it:
// tolerant parsing of what other servers send (a property may be a string,
// an object or an array of either; unknown properties are ignored) and
// rendering of what Pukeko publishes, in the shapes Mastodon expects.
package ap

// ContentType is the media type of ActivityPub documents.
const ContentType = `application/activity+json`

// LDContentType is the JSON-LD form some servers ask for.
const LDContentType = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// Public is the special collection addressing everyone.
const Public = "https://www.w3.org/ns/activitystreams#Public"
