package model

import "time"

// States of a collection item: whether the featured account agreed to be
// in the collection.
const (
	// CollectionItemPending waits for the featured account's consent.
	CollectionItemPending = "pending"
	// CollectionItemAccepted is shown: the account consents.
	CollectionItemAccepted = "accepted"
	// CollectionItemRejected was refused by the account.
	CollectionItemRejected = "rejected"
	// CollectionItemRevoked was withdrawn by the account after it was
	// accepted.
	CollectionItemRevoked = "revoked"
)

// Collection is a named set of accounts its curator recommends others to
// follow (Mastodon's Collection, FEP-7aa9's FeaturedCollection).
type Collection struct {
	ID           ID
	IdentityID   ID     // the curator
	URI          string // ActivityPub id
	URL          string // page for browsers
	Local        bool
	Name         string
	Description  string
	Language     string // ISO 639 code, "" when unset
	Sensitive    bool
	Discoverable bool   // false: unlisted
	Tag          string // normalised hashtag name, "" when unset
	// ItemCount is how many accounts the collection shows to everyone
	// (its accepted items).
	ItemCount int
	Created   time.Time
	Updated   time.Time
}

// CollectionItem is one account in a collection.
type CollectionItem struct {
	ID           ID
	CollectionID ID
	IdentityID   ID // the featured account
	State        string
	Position     int
	Created      time.Time
}
