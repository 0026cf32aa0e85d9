package cards

import (
	"net/url"
	"path"
	"strings"
)

// maxURLLength bounds the URLs kept: longer ones are junk or tracking, and
// the card's URL is a unique key.
const maxURLLength = 2048

// NormalizeURL makes the key a card is kept under: an absolute http or
// https URL without credentials, its scheme and host lower-cased, the
// default port and the fragment dropped, "/" for an empty path. It
// reports false for anything else.
func NormalizeURL(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", false
	}
	return normalized(u)
}

func normalized(u *url.URL) (string, bool) {
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Opaque != "" || u.Hostname() == "" {
		return "", false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	u.Host = host
	if port != "" {
		u.Host += ":" + port
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	s := u.String()
	if len(s) > maxURLLength {
		return "", false
	}
	return s, true
}

// resolveURL resolves ref (from a page at base) to an absolute http or
// https URL without credentials, or "".
func resolveURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || ref == "null" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		r = base.ResolveReference(r)
	}
	s, ok := normalized(r)
	if !ok {
		return ""
	}
	return s
}

// mediaExtensions are the file types of attachments: a link to one on the
// post's own server is the post's media, not a page to preview.
var mediaExtensions = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".avif": true, ".heic": true,
	".mp4": true, ".webm": true, ".mov": true, ".m4v": true, ".mp3": true, ".ogg": true, ".oga": true,
	".opus": true, ".m4a": true, ".wav": true, ".flac": true,
}

// mediaPath reports whether a URL path names a media file.
func mediaPath(p string) bool {
	return mediaExtensions[strings.ToLower(path.Ext(p))]
}
