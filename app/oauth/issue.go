package oauth

import (
	"context"
	"errors"

	"pukeko/app/model"
)

// IssueUserToken mints an access token of an app for a user acting as one
// of their identities, with scopes: what POST /api/v1/accounts hands the
// app that registered the user (Mastodon gives it the app token's scopes).
// It returns the token's raw value, shown once, and its row.
func (s *Server) IssueUserToken(ctx context.Context, appID, userID, identityID model.ID, scopes Scopes) (string, *model.OAuthToken, error) {
	t := &model.OAuthToken{AppID: appID, UserID: userID, IdentityID: identityID, Scopes: scopes}
	raw, oe := s.issueToken(ctx, s.db, t)
	if oe != nil {
		return "", nil, errors.New("oauth: the token could not be stored")
	}
	return raw, t, nil
}
