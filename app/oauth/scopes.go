package oauth

import (
	"fmt"
	"slices"
	"strings"
)

// Scopes is a set of OAuth scopes in the order they were given.
type Scopes []string

// scopeInfo lists every scope Mastodon 4.7 knows, in the order of its
// metadata, with the words the consent page shows for it.
var scopeInfo = []struct{ name, words string }{
	{"read", "Read all your account's data"},
	{"write", "Change all your account's data"},
	{"write:accounts", "Change your profile"},
	{"write:blocks", "Block accounts and domains"},
	{"write:bookmarks", "Bookmark posts"},
	{"write:collections", "Change your collections"},
	{"write:conversations", "Mute and delete conversations"},
	{"write:favourites", "Favourite posts"},
	{"write:filters", "Create filters"},
	{"write:follows", "Follow people"},
	{"write:lists", "Create lists"},
	{"write:media", "Upload media files"},
	{"write:mutes", "Mute people and conversations"},
	{"write:notifications", "Clear your notifications"},
	{"write:reports", "Report other people"},
	{"write:statuses", "Publish posts"},
	{"read:accounts", "See accounts' information"},
	{"read:blocks", "See your blocks"},
	{"read:bookmarks", "See your bookmarks"},
	{"read:collections", "See your collections"},
	{"read:favourites", "See your favourites"},
	{"read:filters", "See your filters"},
	{"read:follows", "See your follows"},
	{"read:lists", "See your lists"},
	{"read:mutes", "See your mutes"},
	{"read:notifications", "See your notifications"},
	{"read:search", "Search on your behalf"},
	{"read:statuses", "See all posts"},
	{"follow", "Change your follows, blocks and mutes"},
	{"push", "Receive your push notifications"},
	{"profile", "Read only your account's profile information"},
	{"admin:read", "Read all data on the server"},
	{"admin:read:accounts", "Read sensitive information of all accounts"},
	{"admin:read:reports", "Read sensitive information of all reports and reported accounts"},
	{"admin:read:domain_allows", "Read sensitive information of all domain allows"},
	{"admin:read:domain_blocks", "Read sensitive information of all domain blocks"},
	{"admin:read:ip_blocks", "Read sensitive information of all IP blocks"},
	{"admin:read:email_domain_blocks", "Read sensitive information of all email domain blocks"},
	{"admin:read:canonical_email_blocks", "Read sensitive information of all canonical email blocks"},
	{"admin:write", "Change all data on the server"},
	{"admin:write:accounts", "Perform moderation actions on accounts"},
	{"admin:write:reports", "Perform moderation actions on reports"},
	{"admin:write:domain_allows", "Perform moderation actions on domain allows"},
	{"admin:write:domain_blocks", "Perform moderation actions on domain blocks"},
	{"admin:write:ip_blocks", "Perform moderation actions on IP blocks"},
	{"admin:write:email_domain_blocks", "Perform moderation actions on email domain blocks"},
	{"admin:write:canonical_email_blocks", "Perform moderation actions on canonical email blocks"},
}

var knownScopes = func() map[string]string {
	m := make(map[string]string, len(scopeInfo))
	for _, s := range scopeInfo {
		m[s.name] = s.words
	}
	return m
}()

// followImplies is what the deprecated follow scope grants, as in Mastodon.
var followImplies = map[string]bool{
	"read:follows": true, "write:follows": true,
	"read:blocks": true, "write:blocks": true,
	"read:mutes": true, "write:mutes": true,
}

// AllScopes returns every scope this server knows, in Mastodon's order
// (for scopes_supported).
func AllScopes() []string {
	out := make([]string, len(scopeInfo))
	for i, s := range scopeInfo {
		out[i] = s.name
	}
	return out
}

// ParseScopes reads a scope parameter: names separated by whitespace (or by
// "+", which some clients leave unescaped). Duplicates are dropped. An
// unknown name is an error; an empty string gives no scopes (callers apply
// the default, "read").
func ParseScopes(s string) (Scopes, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == '+' || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
	})
	var out Scopes
	for _, f := range fields {
		if _, ok := knownScopes[f]; !ok {
			return nil, fmt.Errorf("unknown scope %q", f)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// String joins the scopes with spaces, as OAuth responses carry them.
func (sc Scopes) String() string { return strings.Join(sc, " ") }

// Allows reports whether the scopes grant required: held directly, or
// implied by a broader scope (read grants every read:X, write every
// write:X, admin:read every admin:read:X, admin:write every admin:write:X,
// follow the follows, blocks and mutes scopes).
func (sc Scopes) Allows(required string) bool {
	for _, have := range sc {
		if have == required {
			return true
		}
		if have == "follow" && followImplies[required] {
			return true
		}
		if strings.HasPrefix(required, have+":") && (have == "read" || have == "write" || have == "admin:read" || have == "admin:write") {
			return true
		}
	}
	return false
}

// AllowsAny reports whether the scopes grant any of the space-separated
// names in required (Mastodon guards endpoints by a list of acceptable
// scopes, such as "read read:statuses"). An empty list allows anything.
func (sc Scopes) AllowsAny(required string) bool {
	names := strings.Fields(required)
	if len(names) == 0 {
		return true
	}
	for _, r := range names {
		if sc.Allows(r) {
			return true
		}
	}
	return false
}

// Within reports whether every scope of sc is granted by outer: the
// requested scopes of an authorization must lie within the app's.
func (sc Scopes) Within(outer Scopes) bool {
	for _, s := range sc {
		if !outer.Allows(s) {
			return false
		}
	}
	return true
}

// describe returns the consent page's words for each scope.
func (sc Scopes) describe() []scopeWords {
	out := make([]scopeWords, len(sc))
	for i, s := range sc {
		out[i] = scopeWords{Name: s, Words: knownScopes[s]}
	}
	return out
}

type scopeWords struct{ Name, Words string }
