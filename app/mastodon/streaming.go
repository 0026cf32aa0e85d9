package mastodon

// registerStreaming adds the streaming API.
func (a *API) registerStreaming(mux Mux) {}
