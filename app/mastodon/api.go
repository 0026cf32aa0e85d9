// Package mastodon is the Mastodon client API: the REST endpoints under
// /api/v1 and /api/v2 that apps (Ivory, Tusky, Elk, Phanpy, toot and the
// libraries behind many more) speak, the entities they expect, rendered as
// Mastodon renders them, and the streaming API. The reference is Mastodon
// 4.7's OpenAPI description; tests validate every response against it.
//
// Handlers parse, call a behaviour of app/social and render: no SQL here
// beyond the batch loaders of app/store.
package mastodon

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"pukeko/app/model"
	"pukeko/app/oauth"
	"pukeko/app/social"
	"pukeko/app/store"
)

// Options describe the server to the API.
type Options struct {
	Version    string        // Pukeko's version, shown in the instance entity
	RateLimit  int           // requests per RateWindow and caller; 0: no limit
	RateWindow time.Duration // the window of RateLimit
	// StreamTokenCheck is how often the tokens of open streams are checked
	// again (30 s when 0).
	StreamTokenCheck time.Duration
	// Links says what makes a link trend (trends_links.go).
	Links LinkTrends
}

// API serves the client API.
type API struct {
	In      *social.Instance
	OAuth   *oauth.Server
	Logger  *slog.Logger
	Options Options

	routes  []string // registered patterns, for the coverage report
	limiter *rateLimiter
	cache   *renderCache
	pages   *pageCache
}

// Mux is where Register adds routes.
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Who may call an endpoint.
type access int

const (
	anyone    access = iota // logged out too (a token, when sent, must be valid)
	appToken                // any valid token, also an app's own
	userToken               // a token of a user, for one of their identities
)

// call is one API request being served: the token's grant (nil for a
// logged-out caller), the identity it acts as (nil likewise), and the
// request's parameters from query, form, multipart or JSON body.
type call struct {
	api    *API
	w      http.ResponseWriter
	r      *http.Request
	grant  *oauth.Grant
	viewer *model.Identity
	params params
	host   string // the domain the request came to
	// filters are the viewer's filters when known before rendering (from
	// the render cache); else viewerFilterSet loads them.
	filters *filterSet
}

// ctx is the request's context.
func (c *call) ctx() context.Context { return c.r.Context() }

// viewerID is the caller's identity id, 0 when logged out.
func (c *call) viewerID() model.ID {
	if c.viewer == nil {
		return 0
	}
	return c.viewer.ID
}

// handlerFunc serves one endpoint.
type handlerFunc func(c *call)

// route registers pattern (a Go ServeMux pattern such as "GET
// /api/v1/statuses/{id}") for the given access and scope ("" for none;
// several alternatives separated by spaces), with and without a trailing
// slash, behind CORS.
func (a *API) route(mux Mux, pattern string, who access, scope string, h handlerFunc) {
	var inner http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{api: a, w: w, r: r, grant: oauth.GrantFrom(r.Context()), host: requestHost(r)}
		p, err := parseParams(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		c.params = p
		if c.grant != nil && c.grant.IdentityID != 0 {
			i := c.grant.Identity
			if i == nil {
				var err error
				if i, err = store.IdentityByID(r.Context(), a.In.DB, c.grant.IdentityID); err != nil {
					a.fail(c, err)
					return
				}
			}
			if i == nil || i.Deleted != nil {
				writeError(w, http.StatusUnauthorized, "The access token is invalid")
				return
			}
			c.viewer = i
		}
		if who == userToken && unconfirmed(c.grant) {
			writeError(w, http.StatusForbidden, msgUnconfirmed)
			return
		}
		h(c)
		if c.viewer != nil && r.Method != http.MethodGet && r.Method != http.MethodHead && a.pages != nil {
			// Whatever the reader just did shows on their next page, even
			// before its change notices arrive.
			a.pages.forgetReader(c.viewer.ID)
		}
	})
	switch who {
	case anyone:
		inner = a.OAuth.Optional(scope, inner)
	case appToken:
		inner = a.OAuth.Require(scope, inner)
	case userToken:
		inner = a.OAuth.RequireUser(scope, inner)
	}
	if a.limiter == nil && a.Options.RateLimit > 0 {
		a.limiter = newRateLimiter(a.Options.RateLimit, a.Options.RateWindow)
	}
	inner = oauth.CORS(a.limiter.wrap(inner))
	mux.Handle(pattern, inner)
	a.routes = append(a.routes, pattern)
	method, path, _ := strings.Cut(pattern, " ")
	if !strings.HasSuffix(path, "/") && !strings.HasSuffix(path, "...}") {
		// {$}: exactly the path with a slash, not the tree below it.
		mux.Handle(method+" "+path+"/{$}", inner)
	}
}

// Routes lists the registered patterns.
func (a *API) Routes() []string { return a.routes }

// requestHost is the domain a request came to, without port.
func requestHost(r *http.Request) string {
	h := r.Host
	if i := strings.LastIndexByte(h, ':'); i > 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.ToLower(h)
}

// fail answers an unexpected error: logged, and a 500 without details.
func (a *API) fail(c *call, err error) {
	a.Logger.Error("api: request failed", "method", c.r.Method, "path", c.r.URL.Path, "error", err)
	writeError(c.w, http.StatusInternalServerError, "Internal server error")
}
