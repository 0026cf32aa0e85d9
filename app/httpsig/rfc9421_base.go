package httpsig

import (
	"fmt"
	"net/http"
	"strings"
)

// rfc9421Base builds the signature base of RFC 9421 section 2.5: one
// `"component": value` line per covered component, then the
// "@signature-params" line, joined with "\n" and with no final newline.
func rfc9421Base(r *http.Request, s *rfc9421Sig, scheme string) (string, error) {
	var b strings.Builder
	for _, c := range s.components {
		v, err := componentValue(r, c, scheme)
		if err != nil {
			return "", err
		}
		if strings.ContainsAny(v, "\r\n") {
			// A newline would let a value forge further base lines.
			return "", fmt.Errorf("component %s contains a newline", c)
		}
		writeBareItem(&b, c)
		b.WriteString(": " + v + "\n")
	}
	writeBareItem(&b, "@signature-params")
	b.WriteString(": " + serializeInnerList(s.items, s.params))
	return b.String(), nil
}

// componentValue returns the value of one covered component (section 2.1
// for fields, 2.2 for derived components). scheme is the request's
// lower-case scheme as schemeOf determines it.
func componentValue(r *http.Request, name, scheme string) (string, error) {
	path, query := splitTarget(requestTarget(r))
	switch name {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		uri := scheme + "://" + authorityOf(r, scheme) + path
		if query != "" {
			uri += "?" + query
		}
		return uri, nil
	case "@authority":
		return authorityOf(r, scheme), nil
	case "@scheme":
		return scheme, nil
	case "@request-target":
		return requestTarget(r), nil
	case "@path":
		return path, nil
	case "@query":
		return "?" + query, nil
	}
	v, ok := fieldValue(r, name)
	if !ok {
		return "", fmt.Errorf("covered header %s missing", name)
	}
	return v, nil
}
