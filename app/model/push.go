package model

import "time"

// PushSubscription is a client's Web Push subscription, one per access
// token.
type PushSubscription struct {
	ID         ID
	TokenID    ID
	IdentityID ID
	Endpoint   string
	P256DH     string // the client's public key, base64url
	Auth       string // the client's auth secret, base64url
	Standard   bool   // RFC 8291 encryption rather than the older draft
	Alerts     []string
	Policy     string // all, followed, follower, none
	Created    time.Time
}
