package mastodon

// registerAccounts adds the account endpoints: profiles and their
// statuses, relationships and the actions that change them, the lists of
// accounts (followers, blocks, mutes, requests, endorsements), profile
// editing, preferences, registration, user domain blocks, featured and
// followed hashtags, suggestions and the directory.
//
// Scopes are Mastodon's doorkeeper_authorize! lists: the spec's granular
// scope and the broad ones (read, write, follow) that also open it.
func (a *API) registerAccounts(mux Mux) {
	// Profiles and their statuses (account_show.go).
	a.route(mux, "GET /api/v1/accounts", anyone, "read read:accounts", a.getAccounts)
	a.route(mux, "GET /api/v1/accounts/{id}", anyone, "read read:accounts", a.getAccount)
	a.route(mux, "GET /api/v1/accounts/lookup", anyone, "read read:accounts", a.lookupAccount)
	a.route(mux, "GET /api/v1/accounts/search", userToken, "read read:accounts", a.searchAccounts)
	a.route(mux, "GET /api/v1/accounts/{id}/statuses", anyone, "read read:statuses", a.accountStatuses)
	a.route(mux, "GET /api/v1/accounts/{id}/identity_proofs", anyone, "", a.identityProofs)

	// Relationships (account_relationships.go) and the actions that change
	// them (account_actions.go).
	a.route(mux, "GET /api/v1/accounts/relationships", userToken, "read read:follows", a.getRelationships)
	a.route(mux, "GET /api/v1/accounts/familiar_followers", userToken, "read read:follows", a.familiarFollowers)
	a.route(mux, "POST /api/v1/accounts/{id}/follow", userToken, "follow write write:follows", a.follow)
	a.route(mux, "POST /api/v1/accounts/{id}/unfollow", userToken, "follow write write:follows", a.unfollow)
	a.route(mux, "POST /api/v1/accounts/{id}/remove_from_followers", userToken, "follow write write:follows", a.removeFromFollowers)
	a.route(mux, "POST /api/v1/accounts/{id}/block", userToken, "follow write write:blocks", a.block)
	a.route(mux, "POST /api/v1/accounts/{id}/unblock", userToken, "follow write write:blocks", a.unblock)
	a.route(mux, "POST /api/v1/accounts/{id}/mute", userToken, "follow write write:mutes", a.mute)
	a.route(mux, "POST /api/v1/accounts/{id}/unmute", userToken, "follow write write:mutes", a.unmute)
	a.route(mux, "POST /api/v1/accounts/{id}/pin", userToken, "write write:accounts", a.endorse)
	a.route(mux, "POST /api/v1/accounts/{id}/unpin", userToken, "write write:accounts", a.unendorse)
	a.route(mux, "POST /api/v1/accounts/{id}/endorse", userToken, "write write:accounts", a.endorse)
	a.route(mux, "POST /api/v1/accounts/{id}/unendorse", userToken, "write write:accounts", a.unendorse)
	a.route(mux, "POST /api/v1/accounts/{id}/note", userToken, "write write:accounts", a.note)

	// Lists of accounts (account_lists.go).
	a.route(mux, "GET /api/v1/accounts/{id}/followers", anyone, "read read:accounts", a.followers)
	a.route(mux, "GET /api/v1/accounts/{id}/following", anyone, "read read:accounts", a.following)
	a.route(mux, "GET /api/v1/accounts/{id}/endorsements", anyone, "read read:accounts", a.accountEndorsements)
	a.route(mux, "GET /api/v1/endorsements", userToken, "read read:accounts", a.endorsements)
	a.route(mux, "GET /api/v1/blocks", userToken, "follow read read:blocks", a.blocks)
	a.route(mux, "GET /api/v1/mutes", userToken, "follow read read:mutes", a.mutes)
	a.route(mux, "GET /api/v1/follow_requests", userToken, "follow read read:follows", a.followRequests)
	a.route(mux, "POST /api/v1/follow_requests/{account_id}/authorize", userToken, "follow write write:follows", a.authorizeFollowRequest)
	a.route(mux, "POST /api/v1/follow_requests/{account_id}/reject", userToken, "follow write write:follows", a.rejectFollowRequest)

	// Editing one's profile, preferences, registering (account_profile.go,
	// account_register.go).
	a.route(mux, "PATCH /api/v1/accounts/update_credentials", userToken, "write write:accounts", a.updateCredentials)
	a.route(mux, "GET /api/v1/preferences", userToken, "read read:accounts", a.preferences)
	a.route(mux, "POST /api/v1/accounts", appToken, "write write:accounts", a.register)

	// A user's own domain blocks (account_domain_blocks.go).
	a.route(mux, "GET /api/v1/domain_blocks", userToken, "follow read read:blocks", a.domainBlocks)
	a.route(mux, "POST /api/v1/domain_blocks", userToken, "follow write write:blocks", a.blockDomain)
	a.route(mux, "DELETE /api/v1/domain_blocks", userToken, "follow write write:blocks", a.unblockDomain)

	// Hashtags: featured on profiles, followed (account_tags.go).
	a.route(mux, "GET /api/v1/accounts/{id}/featured_tags", anyone, "read read:accounts", a.accountFeaturedTags)
	a.route(mux, "GET /api/v1/featured_tags", userToken, "read read:accounts", a.featuredTags)
	a.route(mux, "POST /api/v1/featured_tags", userToken, "write write:accounts", a.featureTag)
	a.route(mux, "DELETE /api/v1/featured_tags/{id}", userToken, "write write:accounts", a.unfeatureTag)
	a.route(mux, "GET /api/v1/featured_tags/suggestions", userToken, "read read:accounts", a.featuredTagSuggestions)
	a.route(mux, "GET /api/v1/followed_tags", userToken, "read read:follows", a.followedTags)
	a.route(mux, "GET /api/v1/tags/{name}", anyone, "", a.getTag)
	a.route(mux, "POST /api/v1/tags/{name}/follow", userToken, "follow write write:follows", a.followTag)
	a.route(mux, "POST /api/v1/tags/{name}/unfollow", userToken, "follow write write:follows", a.unfollowTag)
	a.route(mux, "POST /api/v1/tags/{name}/feature", userToken, "write write:accounts", a.featureTagByName)
	a.route(mux, "POST /api/v1/tags/{name}/unfeature", userToken, "write write:accounts", a.unfeatureTagByName)

	// Finding accounts to follow (account_discovery.go).
	a.route(mux, "GET /api/v1/suggestions", userToken, "read read:accounts", a.suggestionsV1)
	a.route(mux, "GET /api/v2/suggestions", userToken, "read read:accounts", a.suggestionsV2)
	a.route(mux, "DELETE /api/v1/suggestions/{account_id}", userToken, "read read:accounts", a.dismissSuggestion)
	a.route(mux, "GET /api/v1/directory", anyone, "read read:accounts", a.directory)
}
