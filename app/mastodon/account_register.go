package mastodon

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"
	"unicode/utf8"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// Token is Mastodon's Token entity, as POST /api/v1/accounts answers it.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	CreatedAt   int64  `json:"created_at"`
}

// fieldError is one problem with one field of a ValidationError.
type fieldError struct {
	Error       string `json:"error"`
	Description string `json:"description"`
}

// validationErrors collects Mastodon's ValidationError: a message and,
// per field, its problems with their codes (ERR_BLANK, ERR_TAKEN...).
type validationErrors struct {
	order   []string
	details map[string][]fieldError
}

func (v *validationErrors) add(field, code, description string) {
	if v.details == nil {
		v.details = map[string][]fieldError{}
	}
	if _, ok := v.details[field]; !ok {
		v.order = append(v.order, field)
	}
	v.details[field] = append(v.details[field], fieldError{Error: code, Description: description})
}

// answer writes the 422, with Rails' message ("Validation failed: Email
// is already taken, ...").
func (v *validationErrors) answer(c *call) {
	var msgs []string
	for _, f := range v.order {
		for _, e := range v.details[f] {
			name := strings.ToUpper(f[:1]) + strings.ReplaceAll(f[1:], "_", " ")
			msgs = append(msgs, name+" "+e.Description)
		}
	}
	writeJSON(c.w, http.StatusUnprocessableEntity, map[string]any{
		"error":   "Validation failed: " + strings.Join(msgs, ", "),
		"details": v.details,
	})
}

// Password length limits, as Mastodon's.
const (
	minPasswordLength = 8
	maxPasswordLength = 72
)

// register signs a user up through an app (POST /api/v1/accounts), on the
// domain the request came to, when that domain's sign-ups are open. The
// app gets a token for the new user with its own token's scopes.
func (a *API) register(c *call) {
	d, err := store.LocalDomainByHost(c.ctx(), a.In.DB, c.host)
	if err != nil {
		a.fail(c, err)
		return
	}
	if d == nil || d.SignupPolicy != model.SignupOpen {
		c.errorf(http.StatusForbidden, "This action is not allowed")
		return
	}
	username := strings.TrimSpace(c.params.str("username"))
	email := strings.TrimSpace(c.params.str("email"))
	pw := c.params.str("password")
	var v validationErrors
	switch err := a.In.CheckUsername(c.ctx(), username, d.Domain); {
	case username == "":
		v.add("username", "ERR_BLANK", "can't be blank")
	case utf8.RuneCountInString(username) > 30:
		v.add("username", "ERR_TOO_LONG", "is too long (maximum is 30 characters)")
	case errors.Is(err, social.ErrUsernameInvalid):
		v.add("username", "ERR_INVALID", "must contain only letters, numbers and underscores")
	case errors.Is(err, social.ErrUsernameReserved):
		v.add("username", "ERR_RESERVED", "is reserved")
	case errors.Is(err, social.ErrUsernameTaken):
		v.add("username", "ERR_TAKEN", "is already taken")
	case err != nil:
		a.fail(c, err)
		return
	}
	if email == "" {
		v.add("email", "ERR_BLANK", "can't be blank")
	} else if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		v.add("email", "ERR_INVALID", "is invalid")
	} else if u, err := store.UserByEmail(c.ctx(), a.In.DB, email); err != nil {
		a.fail(c, err)
		return
	} else if u != nil {
		v.add("email", "ERR_TAKEN", "is already taken")
	}
	switch n := utf8.RuneCountInString(pw); {
	case n == 0:
		v.add("password", "ERR_BLANK", "can't be blank")
	case n < minPasswordLength:
		v.add("password", "ERR_TOO_SHORT", "is too short (minimum is 8 characters)")
	case len(pw) > maxPasswordLength:
		v.add("password", "ERR_TOO_LONG", "is too long (maximum is 72 characters)")
	}
	if !c.params.boolean("agreement", false) {
		v.add("agreement", "ERR_ACCEPTED", "must be accepted")
	}
	if len(v.order) > 0 {
		v.answer(c)
		return
	}
	u, i, err := a.In.SignUp(c.ctx(), social.SignUp{Email: email, Password: pw, Username: username, Domain: d.Domain,
		AppID: c.grant.App.ID})
	switch {
	case errors.Is(err, social.ErrUsernameTaken):
		v.add("username", "ERR_TAKEN", "is already taken")
	case errors.Is(err, store.ErrEmailTaken):
		v.add("email", "ERR_TAKEN", "is already taken")
	case err != nil:
		a.fail(c, err)
		return
	}
	if len(v.order) > 0 {
		v.answer(c)
		return
	}
	raw, t, err := a.OAuth.IssueUserToken(c.ctx(), c.grant.App.ID, u.ID, i.ID, c.grant.Scopes)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.w.Header().Set("Cache-Control", "no-store")
	c.ok(Token{AccessToken: raw, TokenType: "Bearer", Scope: strings.Join(c.grant.Scopes, " "), CreatedAt: t.Created.Unix()})
}
