package mastodon

// registerServer adds the endpoints about the server and the user's
// settings.
func (a *API) registerServer(mux Mux) {}
