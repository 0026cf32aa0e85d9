package social

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// The ActivityPub side of quote posts, as Mastodon sends it (FEP-044f,
// with GoToSocial's interaction policy vocabulary).

// fep044f is the namespace of FEP-044f's terms.
const fep044f = "https://w3id.org/fep/044f#"

// quoteContext is the JSON-LD context of the quote activities and of the
// QuoteAuthorization object.
var quoteContext = []any{
	"https://www.w3.org/ns/activitystreams",
	map[string]any{
		"gts":                "https://gotosocial.org/ns#",
		"QuoteRequest":       fep044f + "QuoteRequest",
		"QuoteAuthorization": fep044f + "QuoteAuthorization",
		"quote":              map[string]any{"@id": fep044f + "quote", "@type": "@id"},
		"interactingObject":  map[string]any{"@id": "gts:interactingObject", "@type": "@id"},
		"interactionTarget":  map[string]any{"@id": "gts:interactionTarget", "@type": "@id"},
	},
}

// quoteAuthorizationURI is where the QuoteAuthorization of quote id of a
// post of ours is served: under its author, as Mastodon names them.
func quoteAuthorizationURI(quotedAuthor *model.Identity, id model.ID) string {
	return quotedAuthor.URI + "/quote_authorizations/" + idString(id)
}

// idString renders an id in a URI.
func idString(id model.ID) string { return strconv.FormatInt(int64(id), 10) }

// addQuoteFields adds to the rendered Note of a post of ours its quote
// policy (interactionPolicy.canQuote: automatically approved are Public,
// the followers, or only the author) and what it quotes: quote, with the
// older quoteUri and _misskey_quote and the quoteAuthorization once the
// quote is accepted.
func (in *Instance) addQuoteFields(ctx context.Context, note map[string]any, p *model.Post, author *model.Identity) error {
	policy, err := store.QuotePolicyOf(ctx, in.DB, p.ID)
	if err != nil {
		return err
	}
	canQuote := map[string]any{"automaticApproval": policyURIs(policy.Automatic, author)}
	if len(policy.Manual) > 0 {
		canQuote["manualApproval"] = policyURIs(policy.Manual, author)
	}
	note["interactionPolicy"] = map[string]any{"canQuote": canQuote}
	q, err := store.QuoteOfPost(ctx, in.DB, p.ID)
	if err != nil || q == nil {
		return err
	}
	note["quote"] = q.QuotedURI
	if q.State == QuoteAccepted {
		note["quoteUri"], note["_misskey_quote"] = q.QuotedURI, q.QuotedURI
		if q.ApprovalURI != "" {
			note["quoteAuthorization"] = q.ApprovalURI
		}
	}
	return nil
}

// policyURIs renders a list of a quote policy as the actors it names; an
// empty list names the author alone (nobody else may quote).
func policyURIs(list []string, author *model.Identity) []string {
	var out []string
	for _, s := range list {
		switch s {
		case "public":
			out = append(out, ap.Public)
		case "followers":
			out = append(out, author.FollowersURI)
		case "following":
			out = append(out, author.FollowingURI)
		}
	}
	if len(out) == 0 {
		out = []string{author.URI}
	}
	return out
}

// sendPostUpdate sends a post of ours again to its audience on other
// servers, as an Update, when something beyond its text changed (its quote
// policy, its quote's authorization). A post not fanned out yet goes out
// as it is now anyway.
func (in *Instance) sendPostUpdate(ctx context.Context, p *model.Post, author *model.Identity) error {
	if !federated(p) || p.Deleted != nil || p.State == PostNew {
		return nil
	}
	mentions, err := in.mentionedIdentities(ctx, p)
	if err != nil {
		return err
	}
	note, err := in.RenderPost(ctx, p, author, mentions)
	if err != nil {
		return err
	}
	id := fmt.Sprintf("%s#updates/%d", p.URI, time.Now().UnixMilli())
	return in.sendPost(ctx, p, author, ap.PostActivity("Update", id, author.URI, note))
}

// requestQuoteApproval asks the server of the post a new post of ours
// quotes for its authorization (a QuoteRequest, the quoting note embedded
// as its instrument), unless the quote needs none.
func (in *Instance) requestQuoteApproval(ctx context.Context, p *model.Post, author *model.Identity, note map[string]any) error {
	q, err := store.QuoteOfPost(ctx, in.DB, p.ID)
	if err != nil || q == nil || q.State != QuotePending || q.QuotedAuthorID == 0 {
		return err
	}
	quotedAuthor, err := store.IdentityByID(ctx, in.DB, q.QuotedAuthorID)
	if err != nil || quotedAuthor == nil || quotedAuthor.Local {
		return err
	}
	if q.RequestURI == "" {
		q.RequestURI = author.URI + "/quote_requests/" + idString(q.ID)
		if err := store.UpdateQuote(ctx, in.DB, q); err != nil {
			return err
		}
	}
	instrument := make(map[string]any, len(note))
	for k, v := range note {
		instrument[k] = v
	}
	delete(instrument, "@context")
	a := quoteRequest(q.RequestURI, author.URI, q.QuotedURI, instrument)
	a["to"] = []string{quotedAuthor.URI}
	return in.deliver(ctx, in.DB, author, quotedAuthor, a)
}

// quoteRequest renders a QuoteRequest by actor for the post quoted, with
// instrument (the quoting post: its URI, or the note embedded).
func quoteRequest(id, actor, quoted string, instrument any) map[string]any {
	return map[string]any{
		"@context":   quoteContext,
		"id":         id,
		"type":       "QuoteRequest",
		"actor":      actor,
		"object":     quoted,
		"instrument": instrument,
	}
}

// quoteAnswer renders the Accept (with the authorization as its result)
// or Reject (typ) by the quoted author of a QuoteRequest.
func quoteAnswer(typ, id string, quotedAuthor *model.Identity, request map[string]any, result string) map[string]any {
	delete(request, "@context")
	a := map[string]any{
		"@context": quoteContext,
		"id":       id,
		"type":     typ,
		"actor":    quotedAuthor.URI,
		"object":   request,
	}
	if requester, ok := request["actor"].(string); ok {
		a["to"] = []string{requester}
	}
	if result != "" {
		a["result"] = result
	}
	return a
}

// QuoteAuthorization renders the authorization of quote id of a post of
// author's, as served at its URI: nil unless that quote is accepted and
// both posts are still there.
func (in *Instance) QuoteAuthorization(ctx context.Context, author *model.Identity, id model.ID) (map[string]any, error) {
	q, err := store.QuoteByID(ctx, in.DB, id)
	if err != nil || q == nil || q.State != QuoteAccepted || q.QuotedAuthorID != author.ID {
		return nil, err
	}
	quoted, err := store.PostByID(ctx, in.DB, q.QuotedPostID)
	if err != nil || quoted == nil || !quoted.Local || quoted.Deleted != nil {
		return nil, err
	}
	post, err := store.PostByID(ctx, in.DB, q.PostID)
	if err != nil || post == nil || post.Deleted != nil {
		return nil, err
	}
	return map[string]any{
		"@context":          quoteContext,
		"id":                quoteAuthorizationURI(author, q.ID),
		"type":              "QuoteAuthorization",
		"attributedTo":      author.URI,
		"interactingObject": post.URI,
		"interactionTarget": quoted.URI,
	}, nil
}
