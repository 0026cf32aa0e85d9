package mastodon

// registerAccounts adds the account endpoints.
func (a *API) registerAccounts(mux Mux) {}
