package mastodon

import (
	"html"

	"pukeko/app/model"
)

func (a *API) registerCredentials(mux Mux) {
	a.route(mux, "GET /api/v1/accounts/verify_credentials", userToken, "read read:accounts profile", a.verifyCredentials)
}

// credentialAccount renders the caller's own account, with its source.
func (c *call) credentialAccount(i *model.Identity) (*Account, error) {
	rd := c.renderer()
	list, err := rd.accounts([]*model.Identity{i})
	if err != nil {
		return nil, err
	}
	acc := list[0]
	acc.Source = &AccountSource{
		Privacy:            model.VisibilityPublic,
		Note:               i.SummarySource,
		Fields:             renderFields(i.Fields),
		HideCollections:    i.HideCollections,
		Discoverable:       i.Discoverable,
		Indexable:          i.Indexable,
		AttributionDomains: []string{},
	}
	for k := range acc.Source.Fields {
		acc.Source.Fields[k].Value = unescapeField(acc.Source.Fields[k].Value)
	}
	acc.Role = &Role{ID: "-99", Name: "", Color: "", Permissions: "0"}
	return acc, nil
}

func (a *API) verifyCredentials(c *call) {
	acc, err := c.fullCredentialAccount(c.viewer)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(acc)
}

// unescapeField gives a field's value back as typed (values are stored
// HTML-escaped).
func unescapeField(v string) string { return html.UnescapeString(v) }
