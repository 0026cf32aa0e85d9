package oauth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
	"pukeko/app/store"
)

// codeVerifier is RFC 7636's verifier: 43 to 128 unreserved characters.
var codeVerifier = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// errCodeReplayed aborts the exchange transaction of a code used before.
var errCodeReplayed = errors.New("authorization code replayed")

// grantCode exchanges an authorization code (RFC 6749 4.1.3, RFC 7636 4.6).
// A code works once: a second exchange fails and revokes what the first
// one issued, since one of the two holders is not the app.
func (s *Server) grantCode(ctx context.Context, r *http.Request, p url.Values, app *model.OAuthApp) (*model.OAuthToken, string, *oauthError) {
	raw := p.Get("code")
	if raw == "" {
		return nil, "", errInvalidRequest.withDescription("The code parameter is missing.")
	}
	c, err := store.AuthorizationCodeByHash(ctx, s.db, hashSecret(raw))
	if err != nil {
		s.log.Error("oauth: looking up a code", "err", err)
		return nil, "", errServer
	}
	if c == nil || c.AppID != app.ID {
		return nil, "", errInvalidGrant
	}
	if c.Used != nil {
		s.revokeReplayed(ctx, c)
		return nil, "", errInvalidGrant
	}
	if time.Now().After(c.Expires) {
		return nil, "", errInvalidGrant
	}
	redirect := p.Get("redirect_uri")
	if redirect == "" && len(app.RedirectURIs) == 1 {
		redirect = app.RedirectURIs[0] // as authorize defaulted it
	}
	if redirect != c.RedirectURI {
		return nil, "", errInvalidGrant
	}
	if oe := checkVerifier(c, p.Get("code_verifier")); oe != nil {
		return nil, "", oe
	}

	t := &model.OAuthToken{AppID: app.ID, UserID: c.UserID, IdentityID: c.IdentityID, AuthorizationCodeID: c.ID, Scopes: c.Scopes}
	var token string
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		won, err := store.UseAuthorizationCode(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if !won {
			return errCodeReplayed
		}
		var oe *oauthError
		if token, oe = s.issueToken(ctx, tx, t); oe != nil {
			return oe
		}
		return nil
	})
	if errors.Is(err, errCodeReplayed) {
		s.revokeReplayed(ctx, c)
		return nil, "", errInvalidGrant
	}
	if err != nil {
		s.log.Error("oauth: exchanging a code", "err", err)
		return nil, "", errServer
	}
	return t, token, nil
}

// checkVerifier applies PKCE: when the authorization carried a challenge
// the verifier must hash to it; when it did not, a verifier is refused (a
// client that sends one expected the protection).
func checkVerifier(c *model.AuthorizationCode, verifier string) *oauthError {
	if c.CodeChallenge == "" {
		if verifier != "" {
			return errInvalidGrant.withDescription("A code_verifier was sent but the authorization had no code_challenge.")
		}
		return nil
	}
	if !codeVerifier.MatchString(verifier) {
		return errInvalidGrant.withDescription("The code_verifier is missing or malformed.")
	}
	sum := sha256.Sum256([]byte(verifier))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.CodeChallenge)) != 1 {
		return errInvalidGrant.withDescription("The code_verifier does not match the code_challenge.")
	}
	return nil
}

func (s *Server) revokeReplayed(ctx context.Context, c *model.AuthorizationCode) {
	n, err := store.RevokeTokensOfCode(ctx, s.db, c.ID)
	if err != nil {
		s.log.Error("oauth: revoking the tokens of a replayed code", "err", err)
		return
	}
	s.grants.clear()
	s.log.Warn("oauth: authorization code replayed; its tokens are revoked", "app", c.AppID, "user", c.UserID, "revoked", n)
}

// grantClient issues an app-only token (client_credentials): it acts for
// no user, so it opens public data and app endpoints only.
func (s *Server) grantClient(ctx context.Context, r *http.Request, p url.Values, app *model.OAuthApp) (*model.OAuthToken, string, *oauthError) {
	sc, oe := requestedScopes(p, app)
	if oe != nil {
		return nil, "", oe
	}
	t := &model.OAuthToken{AppID: app.ID, Scopes: sc}
	token, oe := s.issueToken(ctx, s.db, t)
	return t, token, oe
}

// grantPassword logs in with the user's email (as username) and password,
// under the same rate limits as the login form. The token acts for the
// first identity the consent page would offer.
func (s *Server) grantPassword(ctx context.Context, r *http.Request, p url.Values, app *model.OAuthApp) (*model.OAuthToken, string, *oauthError) {
	sc, oe := requestedScopes(p, app)
	if oe != nil {
		return nil, "", oe
	}
	u, err := s.CheckLogin(ctx, s.opts.ClientIP(r), p.Get("username"), p.Get("password"))
	switch {
	case errors.Is(err, ErrTooManyAttempts):
		return nil, "", errTooManyAttempts
	case errors.Is(err, ErrBadCredentials):
		return nil, "", errInvalidGrant.withDescription("Invalid email or password.")
	case errors.Is(err, ErrBanned):
		return nil, "", errInvalidGrant.withDescription("This account has been suspended.")
	case err != nil:
		s.log.Error("oauth: password grant", "err", err)
		return nil, "", errServer
	}
	ids, err := s.offeredIdentities(ctx, u.ID)
	if err != nil {
		s.log.Error("oauth: password grant", "err", err)
		return nil, "", errServer
	}
	if len(ids) == 0 {
		return nil, "", errInvalidGrant.withDescription("This account has no identity on this server.")
	}
	t := &model.OAuthToken{AppID: app.ID, UserID: u.ID, IdentityID: ids[0].ID, Scopes: sc}
	token, oe := s.issueToken(ctx, s.db, t)
	return t, token, oe
}
