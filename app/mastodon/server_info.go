package mastodon

import "pukeko/app/store"

// registerServer adds the endpoints about the server and the user's
// settings: instance, custom emoji, announcements, reports, Web Push
// subscriptions, lists and filters.
func (a *API) registerServer(mux Mux) {
	a.route(mux, "GET /api/v1/instance", anyone, "", a.instanceV1)
	a.route(mux, "GET /api/v2/instance", anyone, "", a.instanceV2)
	a.route(mux, "GET /api/v1/instance/peers", anyone, "", a.instancePeers)
	a.route(mux, "GET /api/v1/instance/activity", anyone, "", a.instanceActivity)
	a.route(mux, "GET /api/v1/instance/rules", anyone, "", a.instanceRulesList)
	a.route(mux, "GET /api/v1/instance/extended_description", anyone, "", a.sitePage(store.SettingExtendedDescription, ""))
	a.route(mux, "GET /api/v1/instance/privacy_policy", anyone, "", a.sitePage(store.SettingPrivacyPolicy, defaultPrivacyPolicy))
	a.route(mux, "GET /api/v1/instance/terms_of_service", anyone, "", a.termsOfService)
	a.route(mux, "GET /api/v1/instance/terms_of_service/{date}", anyone, "", a.termsOfService)
	a.route(mux, "GET /api/v1/instance/translation_languages", anyone, "", a.translationLanguages)
	a.route(mux, "GET /api/v1/instance/languages", anyone, "", a.instanceLanguages)
	a.route(mux, "GET /api/v1/instance/domain_blocks", anyone, "", a.instanceDomainBlocks)
	a.route(mux, "GET /api/v1/custom_emojis", anyone, "", a.customEmojis)

	a.route(mux, "GET /api/v1/announcements", userToken, "", a.announcementsIndex)
	a.route(mux, "POST /api/v1/announcements/{id}/dismiss", userToken, "write write:accounts", a.announcementDismiss)
	a.route(mux, "PUT /api/v1/announcements/{id}/reactions/{name}", userToken, "write write:favourites", a.announcementReact)
	a.route(mux, "DELETE /api/v1/announcements/{id}/reactions/{name}", userToken, "write write:favourites", a.announcementUnreact)

	a.route(mux, "POST /api/v1/reports", userToken, "write write:reports", a.createReport)

	a.route(mux, "GET /api/v1/push/subscription", userToken, "push", a.pushShow)
	a.route(mux, "POST /api/v1/push/subscription", userToken, "push", a.pushCreate)
	a.route(mux, "PUT /api/v1/push/subscription", userToken, "push", a.pushUpdate)
	a.route(mux, "DELETE /api/v1/push/subscription", userToken, "push", a.pushDelete)

	a.registerLists(mux)
	a.registerFilters(mux)
}
