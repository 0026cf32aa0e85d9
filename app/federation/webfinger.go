package federation

import (
	"context"
	"fmt"
	"mime"
	"net/url"
	"strings"
)

// jrdAccept asks for a JSON Resource Descriptor.
const jrdAccept = "application/jrd+json, application/json"

// jrd is the part of a WebFinger answer (RFC 7033) Pukeko reads.
type jrd struct {
	Subject string `json:"subject"`
	Links   []struct {
		Rel  string `json:"rel"`
		Type string `json:"type"`
		Href string `json:"href"`
	} `json:"links"`
}

// Webfinger resolves user@domain (also @user@domain or acct:user@domain) to
// the actor URI (the rel=self link with an ActivityPub type) and the
// canonical handle "user@domain" as the server states it in its subject,
// which may name another domain than the one asked (Mastodon's WEB_DOMAIN
// setups); the caller decides whether to trust that. It asks
// /.well-known/webfinger on domain; when that fails it reads
// /.well-known/host-meta for an LRDD template and tries that.
func (c *Client) Webfinger(ctx context.Context, handle string) (actorURI, subject string, err error) {
	user, domain, err := parseHandle(handle)
	if err != nil {
		return "", "", err
	}
	resource := "acct:" + user + "@" + domain
	direct := c.hostURL(domain, "/.well-known/webfinger?resource="+url.QueryEscape(resource))
	actorURI, subject, err = c.webfingerAt(ctx, direct, resource)
	if err == nil || ctx.Err() != nil {
		return actorURI, subject, err
	}
	tmpl, herr := c.lrddTemplate(ctx, domain)
	if herr != nil {
		return "", "", fmt.Errorf("%w (host-meta fallback: %w)", err, herr)
	}
	fallback := strings.ReplaceAll(tmpl, "{uri}", url.QueryEscape(resource))
	if fallback == direct {
		return "", "", err // the template points where we already failed
	}
	actorURI, subject, ferr := c.webfingerAt(ctx, fallback, resource)
	if ferr != nil {
		return "", "", fmt.Errorf("%w (host-meta fallback: %w)", err, ferr)
	}
	return actorURI, subject, nil
}

// webfingerAt fetches one WebFinger URL and picks the actor link.
func (c *Client) webfingerAt(ctx context.Context, raw, resource string) (actorURI, subject string, err error) {
	var doc jrd
	if _, err := c.getJSON(ctx, raw, jrdAccept, &doc); err != nil {
		return "", "", fmt.Errorf("federation: webfinger %s: %w", resource, err)
	}
	for _, l := range doc.Links {
		if l.Rel != "self" || !isActivityType(l.Type) {
			continue
		}
		if _, err := parseURL(l.Href); err != nil {
			return "", "", fmt.Errorf("federation: webfinger %s: self link: %w", resource, err)
		}
		return l.Href, subjectHandle(doc.Subject, resource), nil
	}
	return "", "", fmt.Errorf("federation: webfinger %s: no ActivityPub self link", resource)
}

// isActivityType reports whether a link type announces an ActivityPub
// document: application/activity+json, or application/ld+json with the
// ActivityStreams profile.
func isActivityType(t string) bool {
	mt, params, err := mime.ParseMediaType(t)
	if err != nil {
		return false
	}
	switch mt {
	case "application/activity+json":
		return true
	case "application/ld+json":
		// profile may list several URIs separated by spaces.
		for p := range strings.FieldsSeq(params["profile"]) {
			if p == "https://www.w3.org/ns/activitystreams" {
				return true
			}
		}
	}
	return false
}

// subjectHandle turns a JRD subject into "user@domain", falling back to
// the queried resource when the subject is absent or not an acct: URI.
func subjectHandle(subject, resource string) string {
	for _, s := range []string{subject, resource} {
		if len(s) > 5 && strings.EqualFold(s[:5], "acct:") {
			s = s[5:]
		}
		if user, domain, ok := strings.Cut(s, "@"); ok && user != "" && domain != "" && !strings.Contains(domain, "@") {
			return s
		}
	}
	return strings.TrimPrefix(resource, "acct:")
}

// parseHandle splits user@domain, @user@domain or acct:user@domain. The
// domain is lower-cased (host names are case-insensitive); the user part is
// kept as written.
func parseHandle(handle string) (user, domain string, err error) {
	h := strings.TrimSpace(handle)
	if len(h) > 5 && strings.EqualFold(h[:5], "acct:") {
		h = h[5:]
	}
	h = strings.TrimPrefix(h, "@")
	user, domain, ok := strings.Cut(h, "@")
	if !ok || user == "" || strings.ContainsAny(user, "/?#: \t\r\n") {
		return "", "", fmt.Errorf("federation: %q is not a user@domain handle", handle)
	}
	if err := checkHost(domain); err != nil {
		return "", "", fmt.Errorf("federation: handle %q: %w", handle, err)
	}
	return user, strings.ToLower(domain), nil
}
