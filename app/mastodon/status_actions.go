package mastodon

// registerStatusActions adds the endpoints acting on statuses and the
// lists of them.
func (a *API) registerStatusActions(mux Mux) {}
