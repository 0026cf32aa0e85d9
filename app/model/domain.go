package model

import "time"

// Signup policies of a local domain.
const (
	SignupOpen     = "open"
	SignupApproval = "approval"
	SignupInvite   = "invite"
	SignupClosed   = "closed"
)

// Domain is a domain this server serves (Local) or another server it has
// met. A local domain's identities are shown as @user@Domain; their actor
// URIs live on ServiceDomain when it is set (URIDomain).
type Domain struct {
	Domain        string
	ServiceDomain string
	Local         bool
	Public        bool
	Default       bool
	SiteName      string
	IconURL       string
	CustomCSS     string
	SignupPolicy  string
	Blocked       bool
	Software      string
	Version       string
	Created       time.Time
}

// URIDomain is the domain actor URIs are minted on.
func (d *Domain) URIDomain() string {
	if d.ServiceDomain != "" {
		return d.ServiceDomain
	}
	return d.Domain
}
