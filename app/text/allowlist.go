package text

import (
	"slices"
	"strings"
)

// allowedClasses are the classes Mastodon's own markup uses, which clients
// style: h-card/u-url for mentions, mention/hashtag for links to accounts
// and tags, invisible/ellipsis for shortened URLs. Any other class could
// borrow the look of the client's own interface, so it goes.
var allowedClasses = map[string]bool{
	"h-card": true, "u-url": true, "mention": true, "hashtag": true,
	"invisible": true, "ellipsis": true,
}

// allowedRels are the link relations remote servers legitimately send.
// Others, such as "opener", would undo protections Sanitize adds.
var allowedRels = map[string]bool{
	"tag": true, "me": true, "nofollow": true, "noopener": true,
	"noreferrer": true, "ugc": true, "external": true,
}

// linkSchemes are the href schemes kept. mailto is not in Mastodon's list but
// Pleroma and Misskey posts carry such links and they run nothing.
var linkSchemes = []string{"http", "https", "mailto"}

// filterTokens keeps the space-separated tokens of an attribute value that
// allowed accepts, once each. Matching is exact: classes are case-sensitive,
// and callers lower-case rel values, which are not.
func filterTokens(value string, allowed map[string]bool) string {
	var kept []string
	for tok := range strings.FieldsSeq(value) {
		if allowed[tok] && !slices.Contains(kept, tok) {
			kept = append(kept, tok)
		}
	}
	return strings.Join(kept, " ")
}
