package model

import "time"

// User is an account that logs in. Identities (username@domain) belong to
// users; a user holds credentials and roles only.
type User struct {
	ID           ID
	Email        string
	PasswordHash string
	Admin        bool
	Moderator    bool
	Banned       bool
	Created      time.Time
	// Unconfirmed is set while the user has not confirmed their email
	// address: the client API then refuses them most endpoints.
	Unconfirmed bool
}
