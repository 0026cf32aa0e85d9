package config

import (
	"net/url"
	"regexp"
	"strings"
)

// secretMask replaces a masked secret.
const secretMask = "********"

// passwordMask replaces the password part of a database URL or DSN.
const passwordMask = "****"

var (
	// urlPasswordParam matches password query parameters of a URL.
	urlPasswordParam = regexp.MustCompile(`(?i)([?&](?:ssl)?password=)([^&#]*)`)
	// dsnPasswordParam matches password settings of a key=value DSN, quoted
	// (possibly unterminated) or not.
	dsnPasswordParam = regexp.MustCompile(`(?i)((?:^|\s)(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*(?:'|$)|\S*)`)
)

// maskDatabaseURL replaces the password of a PostgreSQL URL
// (postgres://user:****@host/db) or DSN (password=****) by a mask.
func maskDatabaseURL(s string) string {
	masked, _ := maskConnString(s)
	return masked
}

// maskConnString masks the passwords of a PostgreSQL URL or DSN and returns
// the masked string and the passwords it removed. It errs on the side of
// masking too much when the string is malformed.
func maskConnString(s string) (string, []string) {
	var secrets []string
	scheme, rest, isURL := strings.Cut(s, "://")
	if !isURL {
		return replaceSecrets(dsnPasswordParam, s, &secrets), secrets
	}
	authority := rest
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		at = strings.LastIndex(rest, "@")
	}
	if at >= 0 {
		if user, pass, ok := strings.Cut(rest[:at], ":"); ok {
			secrets = append(secrets, pass)
			if dec, err := url.PathUnescape(pass); err == nil {
				secrets = append(secrets, dec)
			}
			rest = user + ":" + passwordMask + rest[at:]
		}
	}
	rest = replaceSecrets(urlPasswordParam, rest, &secrets)
	return scheme + "://" + rest, nonEmpty(secrets)
}

// replaceSecrets replaces group 2 of every match of re in s by the mask and
// collects the replaced values.
func replaceSecrets(re *regexp.Regexp, s string, secrets *[]string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		value := s[m[4]:m[5]]
		*secrets = append(*secrets, value, strings.Trim(value, "'"))
		if dec, err := url.QueryUnescape(value); err == nil {
			*secrets = append(*secrets, dec)
		}
		b.WriteString(s[last:m[4]])
		b.WriteString(passwordMask)
		last = m[5]
	}
	b.WriteString(s[last:])
	*secrets = nonEmpty(*secrets)
	return b.String()
}

// nonEmpty drops empty strings.
func nonEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
