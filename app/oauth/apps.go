package oauth

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"pukeko/app/model"
	"pukeko/app/store"
)

// oob is the redirect URI of apps that show the code to the user instead
// of receiving it (RFC 6749's out-of-band, used by command line clients).
const oob = "urn:ietf:wg:oauth:2.0:oob"

// Limits of Mastodon's app validation.
const (
	maxAppName      = 60
	maxAppURILength = 2000
)

// application is Mastodon's Application entity, and with the client
// credentials its CredentialApplication.
type application struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	Website               *string  `json:"website"`
	Scopes                []string `json:"scopes"`
	RedirectURI           string   `json:"redirect_uri"`
	RedirectURIs          []string `json:"redirect_uris"`
	VAPIDKey              string   `json:"vapid_key"`
	ClientID              string   `json:"client_id,omitempty"`
	ClientSecret          string   `json:"client_secret,omitempty"`
	ClientSecretExpiresAt *int     `json:"client_secret_expires_at,omitempty"`
}

func (s *Server) renderApp(a *model.OAuthApp) application {
	out := application{
		ID:           strconv.FormatInt(int64(a.ID), 10),
		Name:         a.Name,
		Scopes:       nonNil(a.Scopes),
		RedirectURI:  strings.Join(a.RedirectURIs, "\n"),
		RedirectURIs: nonNil(a.RedirectURIs),
		VAPIDKey:     s.opts.VAPIDKey,
	}
	if a.Website != "" {
		out.Website = &a.Website
	}
	return out
}

// createApp registers a client application: POST /api/v1/apps.
func (s *Server) createApp(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(w, r)
	if err != nil {
		apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	a, problems := newApp(p)
	if len(problems) > 0 {
		apiError(w, http.StatusUnprocessableEntity, "Validation failed: "+strings.Join(problems, ", "))
		return
	}
	secret := newSecret()
	a.ClientID = newSecret()
	a.ClientSecretHash = hashSecret(secret)
	if err := store.CreateOAuthApp(r.Context(), s.db, a); err != nil {
		s.log.Error("oauth: creating an app", "err", err)
		apiError(w, http.StatusInternalServerError, "Internal error")
		return
	}
	out := s.renderApp(a)
	out.ClientID = a.ClientID
	out.ClientSecret = secret
	never := 0 // secrets do not expire
	out.ClientSecretExpiresAt = &never
	writeJSON(w, http.StatusOK, out)
}

// newApp validates the registration parameters, returning the app or the
// problems in Mastodon's words.
func newApp(p url.Values) (*model.OAuthApp, []string) {
	var problems []string
	a := &model.OAuthApp{Name: strings.TrimSpace(p.Get("client_name")), Website: strings.TrimSpace(p.Get("website"))}
	switch n := utf8.RuneCountInString(a.Name); {
	case n == 0:
		problems = append(problems, "Application name can't be blank")
	case n > maxAppName:
		problems = append(problems, "Application name is too long (maximum is 60 characters)")
	}
	if a.Website != "" {
		if len(a.Website) > maxAppURILength {
			problems = append(problems, "Application website is too long (maximum is 2000 characters)")
		} else if u, err := url.Parse(a.Website); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, "Application website is not a valid URL")
		}
	}

	for _, v := range p["redirect_uris"] {
		for _, u := range strings.Fields(v) {
			if !slices.Contains(a.RedirectURIs, u) {
				a.RedirectURIs = append(a.RedirectURIs, u)
			}
		}
	}
	if len(a.RedirectURIs) == 0 {
		problems = append(problems, "Redirect URI can't be blank")
	} else if len(strings.Join(a.RedirectURIs, "\n")) > maxAppURILength {
		problems = append(problems, "Redirect URI is too long (maximum is 2000 characters)")
	}
	for _, u := range a.RedirectURIs {
		if msg := checkRedirectURI(u); msg != "" {
			problems = append(problems, msg)
			break
		}
	}

	scopes, err := ParseScopes(strings.Join(p["scopes"], " "))
	if err != nil {
		problems = append(problems, "Scopes doesn't match configured on the server.")
	}
	if len(scopes) == 0 {
		scopes = Scopes{"read"}
	}
	a.Scopes = scopes
	return a, problems
}

// checkRedirectURI accepts absolute URIs without a fragment, with any
// scheme (native apps register their own, such as ivory:// or tusky://)
// except those that would run code or read files.
func checkRedirectURI(raw string) string {
	if raw == oob {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || (u.Opaque == "" && u.Host == "" && u.Path == "") {
		return "Redirect URI must be an absolute URI."
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return "Redirect URI cannot contain a fragment."
	}
	switch strings.ToLower(u.Scheme) {
	case "javascript", "data", "vbscript", "file", "blob":
		return "Redirect URI is not a permitted URI."
	}
	return ""
}

// verifyApp answers GET /api/v1/apps/verify_credentials with the token's
// app.
func (s *Server) verifyApp(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.renderApp(GrantFrom(r.Context()).App))
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
