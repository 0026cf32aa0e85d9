package mastodon

import "pukeko/app/oauth"

// Register adds every endpoint of the client API, and the CORS preflight
// of every path under /api/.
func (a *API) Register(mux Mux) {
	mux.Handle("OPTIONS /api/", oauth.CORS(nil))
	a.registerCredentials(mux)
	a.registerStatuses(mux)
	a.registerTimelines(mux)
	a.registerMedia(mux)
	// Accounts, relationships and the lists about them (accounts.go and
	// the account_*.go files).
	a.registerAccounts(mux)
	// Status actions, polls, bookmarks and favourites, notifications,
	// markers, search, trends, conversations (status_*.go and others).
	a.registerStatusActions(mux)
	// Instance, emoji, preferences, announcements, reports, scheduled
	// statuses, push, lists, filters (instance*.go and others).
	a.registerServer(mux)
	// The streaming API (streaming*.go).
	a.registerStreaming(mux)
}
