package mastodon

import (
	"net/http"

	"pukeko/app/social"
	"pukeko/app/store"
)

// registerExtras adds the smaller endpoints: the health check, removing a
// profile image, the direct timeline and notification requests
// (notification_requests.go).
func (a *API) registerExtras(mux Mux) {
	mux.Handle("GET /health", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("OK"))
	}))
	a.route(mux, "DELETE /api/v1/profile/avatar", userToken, "write write:accounts", a.removeProfileImage(true))
	a.route(mux, "DELETE /api/v1/profile/header", userToken, "write write:accounts", a.removeProfileImage(false))
	a.registerProfile(mux)
	a.registerOEmbed(mux)
	a.route(mux, "GET /api/v1/timelines/direct", userToken, "read read:statuses", a.directTimeline)
	a.registerNotificationRequests(mux)
}

// removeProfileImage removes the caller's avatar (or header) and answers
// the CredentialAccount.
func (a *API) removeProfileImage(avatar bool) handlerFunc {
	return func(c *call) {
		none := []byte{}
		e := social.ProfileEdit{Header: &none}
		if avatar {
			e = social.ProfileEdit{Avatar: &none}
		}
		i, err := a.In.UpdateProfile(c.ctx(), c.viewer, e)
		if err != nil {
			c.socialError(err)
			return
		}
		acc, err := c.fullCredentialAccount(i)
		if err != nil {
			a.fail(c, err)
			return
		}
		c.ok(acc)
	}
}

func (a *API) directTimeline(c *call) {
	posts, err := store.DirectTimeline(c.ctx(), a.In.DB, c.viewer.ID, c.page(20, 40))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.postPage(posts)
}
