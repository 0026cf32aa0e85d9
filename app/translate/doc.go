// Package translate speaks to a machine translation server with
// LibreTranslate's API (POST /translate, GET /languages), the service
// Mastodon's translation feature uses. The server is the administrator's
// choice (translation.url), often on the same machine, so requests go to
// it directly rather than through the federation client and its guard
// against private addresses.
package translate
