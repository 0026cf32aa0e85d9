package oauth

import (
	"html/template"
	"net/http"
	"net/url"
	"sort"
)

// redirectBack sends the outcome of an authorization (a code, or an error)
// to the client in the response mode it asked for. Out-of-band clients get
// a page showing the code instead.
func (s *Server) redirectBack(w http.ResponseWriter, r *http.Request, req *authRequest, params url.Values) {
	if req.state != "" {
		params.Set("state", req.state)
	}
	if req.redirectURI == oob {
		if code := params.Get("code"); code != "" {
			s.render(w, r, http.StatusOK, "code.html", "Authorization code", page{"AppName": req.app.Name, "Code": code})
			return
		}
		s.errorPage(w, r, http.StatusBadRequest, "Authorization failed", params.Get("error_description"))
		return
	}
	switch req.responseMode {
	case "fragment":
		// Registered URIs carry no fragment (checked at registration).
		http.Redirect(w, r, req.redirectURI+"#"+params.Encode(), http.StatusFound)
	case "form_post":
		type field struct{ Name, Value string }
		var fields []field
		for k := range params {
			fields = append(fields, field{k, params.Get(k)})
		}
		sort.Slice(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
		// The URI is a registered one: html/template may trust it even
		// when its scheme is an app's own.
		s.render(w, r, http.StatusOK, "form_post.html", "Returning to the application",
			page{"AppName": req.app.Name, "Action": template.URL(req.redirectURI), "Fields": fields})
	default:
		u, err := url.Parse(req.redirectURI)
		if err != nil { // registered URIs parse; this cannot happen
			s.errorPage(w, r, http.StatusBadRequest, "Authorization failed", "The redirect URI is malformed.")
			return
		}
		q := u.Query()
		for k, v := range params {
			q[k] = v
		}
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
}

// redirectError sends an RFC 6749 4.1.2.1 error to the client.
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, req *authRequest, e *oauthError) {
	s.redirectBack(w, r, req, url.Values{"error": {e.Code}, "error_description": {e.Description}})
}
