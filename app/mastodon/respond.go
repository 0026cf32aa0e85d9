package mastodon

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"Internal server error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// ok answers v with 200.
func (c *call) ok(v any) { writeJSON(c.w, http.StatusOK, v) }

// writeError answers Mastodon's error entity; a 422 is a ValidationError,
// which carries details (by field; empty when the message says it all).
func writeError(w http.ResponseWriter, status int, msg string) {
	if status == http.StatusUnprocessableEntity {
		writeJSON(w, status, map[string]any{"error": msg, "details": map[string]any{}})
		return
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

// errorf answers an error entity with a formatted message.
func (c *call) errorf(status int, format string, args ...any) {
	writeError(c.w, status, fmt.Sprintf(format, args...))
}

// notFound answers Mastodon's 404.
func (c *call) notFound() { writeError(c.w, http.StatusNotFound, "Record not found") }

// invalid answers Mastodon's 422 for a failed validation.
func (c *call) invalid(format string, args ...any) {
	writeError(c.w, http.StatusUnprocessableEntity, "Validation failed: "+fmt.Sprintf(format, args...))
}

// timeFormat is Mastodon's: ISO 8601 in UTC with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z"

// ts renders a time as Mastodon does.
func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

// tsPtr renders an optional time, null when nil.
func tsPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := ts(*t)
	return &s
}

// idStr renders an id as a string, as Mastodon's JSON always does.
func idStr(id model.ID) string { return strconv.FormatInt(int64(id), 10) }

// page reads max_id, since_id, min_id and limit.
func (c *call) page(def, max int) store.Page {
	limit := c.params.integer("limit", def)
	if limit <= 0 {
		limit = def
	}
	if limit > max {
		limit = max
	}
	return store.Page{
		MaxID:   c.params.id("max_id"),
		SinceID: c.params.id("since_id"),
		MinID:   c.params.id("min_id"),
		Limit:   limit,
	}
}

// link sets the Link header of a page whose entries run from newest
// (first) to oldest (last): next pages older (max_id), prev newer
// (min_id), keeping the request's other parameters.
func (c *call) link(newest, oldest string) {
	if v := c.linkValue(newest, oldest); v != "" {
		c.w.Header().Set("Link", v)
	}
}

// linkValue is the Link header link sets, "" for none.
func (c *call) linkValue(newest, oldest string) string {
	if newest == "" || oldest == "" {
		return ""
	}
	base := c.baseURL() + c.r.URL.Path
	q := url.Values{}
	for k, v := range c.r.URL.Query() {
		switch k {
		case "max_id", "min_id", "since_id":
		default:
			q[k] = v
		}
	}
	next, prev := cloneValues(q), cloneValues(q)
	next.Set("max_id", oldest)
	prev.Set("min_id", newest)
	return fmt.Sprintf(`<%s?%s>; rel="next", <%s?%s>; rel="prev"`, base, next.Encode(), base, prev.Encode())
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// baseURL is scheme://host of the request's domain.
func (c *call) baseURL() string { return c.scheme() + "://" + c.host }

// scheme is the public scheme of URLs handed out.
func (c *call) scheme() string {
	if c.r.TLS != nil {
		return "https"
	}
	return c.api.In.Scheme
}

// midnight is the start of t's day in UTC: Mastodon shows when accounts
// were created to the day only.
func midnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
