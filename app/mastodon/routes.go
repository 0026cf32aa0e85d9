package mastodon

import (
	"net/http"

	"pukeko/app/oauth"
)

// NotFoundMux is a mux that can answer unmatched paths itself.
type NotFoundMux interface {
	NotFound(prefix string, h http.Handler)
}

// Register adds every endpoint of the client API, and the CORS preflight
// of every path under /api/; unknown API paths get Mastodon's JSON 404
// when the mux can say so.
func (a *API) Register(mux Mux) {
	if a.cache == nil {
		a.cache = newRenderCache()
	}
	if a.pages == nil {
		a.pages = newPageCache()
	}
	if nf, ok := mux.(NotFoundMux); ok {
		nf.NotFound("/api/", oauth.CORS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusNotFound, "Record not found")
		})))
	}
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
	a.registerExtras(mux)
	// Featured collections of accounts (collections*.go).
	a.registerCollections(mux)
	// Quote posts (quotes*.go).
	a.registerQuotes(mux)
	// Annual reports, async refreshes, translation (annual_reports.go,
	// async_refresh.go, translate.go).
	a.registerAnnualReports(mux)
	a.registerAsyncRefreshes(mux)
	a.registerTranslation(mux)
	// Email confirmation (emails.go).
	a.registerEmails(mux)
}
