package model

import "time"

// OAuthApp is a client application registered for OAuth 2 (a Mastodon app).
// Its secret is kept only as a SHA-256 hash: it is shown once, at creation.
type OAuthApp struct {
	ID               ID
	Name             string
	Website          string
	RedirectURIs     []string
	Scopes           []string
	ClientID         string
	ClientSecretHash []byte
	OwnerID          ID // 0: registered anonymously through the API
	Created          time.Time
}

// AuthorizationCode is a single-use code issued when a user approves an app,
// exchanged for an access token. Only its hash is stored.
type AuthorizationCode struct {
	ID                  ID
	CodeHash            []byte
	AppID               ID
	UserID              ID
	IdentityID          ID
	Scopes              []string
	RedirectURI         string
	CodeChallenge       string // PKCE; empty when none was sent
	CodeChallengeMethod string
	Created             time.Time
	Expires             time.Time
	Used                *time.Time
}

// OAuthToken is an access token. UserID and IdentityID are 0 for app-only
// tokens (the client_credentials grant). Only its hash is stored.
type OAuthToken struct {
	ID                  ID
	TokenHash           []byte
	AppID               ID
	UserID              ID
	IdentityID          ID
	AuthorizationCodeID ID // 0 unless issued from a code
	Scopes              []string
	Created             time.Time
	LastUsed            *time.Time
	Revoked             *time.Time

	// Filled by lookups that join them: the token's app, and its user
	// (without the password hash; nil for app-only tokens).
	App  *OAuthApp
	User *User
}

// WebSession is a logged-in browser. Only the hash of its cookie is stored.
type WebSession struct {
	ID        ID
	TokenHash []byte
	UserID    ID
	Created   time.Time
	LastSeen  time.Time
	Expires   time.Time
	IP        string
	UserAgent string
}
