package social

import (
	"context"
	"errors"

	"pukeko/app/federation"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

func (in *Instance) refreshIdentity(ctx context.Context, it stator.Item) (string, error) {
	i, err := store.IdentityByID(ctx, in.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if i == nil || i.Local {
		return IdentityGone, nil
	}
	if _, err := in.FetchIdentity(ctx, i.URI); err != nil {
		var status *federation.StatusError
		if errors.As(err, &status) && (status.Code == 404 || status.Code == 410) {
			return IdentityGone, nil
		}
		if errors.Is(err, ErrBlockedDomain) {
			return IdentityGone, nil
		}
		return "", err
	}
	// FetchIdentity already moved the row to updated; this outcome only
	// confirms it (and is dropped if the row moved meanwhile).
	return IdentityUpdated, nil
}

func (in *Instance) refreshDomain(ctx context.Context, it stator.Item) (string, error) {
	var domain string
	var blocked bool
	if err := in.DB.QueryRow(ctx, "SELECT domain, blocked FROM domains WHERE id = $1", it.ID).Scan(&domain, &blocked); err != nil {
		return "", err
	}
	if blocked {
		return DomainUpdated, nil // nothing to fetch from a blocked server
	}
	software, version, raw, err := in.Client.NodeInfo(ctx, domain)
	if err != nil {
		return "", err
	}
	_, err = in.DB.Exec(ctx, "UPDATE domains SET software = $2, version = $3, nodeinfo = $4, updated = now() WHERE id = $1",
		it.ID, software, version, raw)
	if err != nil {
		return "", err
	}
	return DomainUpdated, nil
}
