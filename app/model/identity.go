package model

import "time"

// Identity is an actor: one of ours (Local, with a private key) or a remote
// one we fetched. Username and Domain form the handle @Username@Domain.
type Identity struct {
	ID        ID
	URI       string
	Local     bool
	Username  string
	Domain    string
	ActorType string // Person, Service, Group, Organization, Application
	Name      string
	Summary   string // HTML
	// SummarySource is the bio as its owner typed it (local identities).
	SummarySource string
	URL           string // profile page
	Fields        []Field
	IconURI       string // avatar address (for ours, our file's)
	ImageURI      string // header address
	IconKey       string // storage key of our avatar
	ImageKey      string // storage key of our header
	Locked        bool
	Bot           bool
	Discoverable  bool
	Indexable     bool
	// HideCollections hides the follower and following lists (not their
	// sizes) from everyone else.
	HideCollections bool
	InboxURI        string
	SharedInboxURI  string
	OutboxURI       string
	FollowersURI    string
	FollowingURI    string
	FeaturedURI     string
	PublicKeyID     string
	PublicKey       string // PEM
	PrivateKey      string // PEM, local identities only
	AlsoKnownAs     []string
	MovedTo         string
	Fetched         *time.Time
	Deleted         *time.Time
	Created         time.Time
	Updated         time.Time
	State           string
}

// Field is a profile metadata pair (PropertyValue in ActivityPub).
type Field struct {
	Name       string     `json:"name"`
	Value      string     `json:"value"` // HTML
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
}

// Handle returns username@domain.
func (i *Identity) Handle() string { return i.Username + "@" + i.Domain }

// DeliveryInbox is where activities for this identity go: the shared inbox
// when its server has one.
func (i *Identity) DeliveryInbox() string {
	if i.SharedInboxURI != "" {
		return i.SharedInboxURI
	}
	return i.InboxURI
}
