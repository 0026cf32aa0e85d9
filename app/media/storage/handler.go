package storage

import (
	"errors"
	"log/slog"
	"net/http"
	"path"
	"strings"
)

// Handler serves GET and HEAD of <prefix><key> (prefix such as "/media/")
// from b, for either backend, with conditional and Range requests handled
// by http.ServeContent. Responses carry a strong ETag derived from the key
// (keys are content hashes, so equal names mean equal bytes), the immutable
// CacheControl, nosniff, and a Content-Security-Policy that forbids
// everything and sandboxes the document, so a stored file opened directly
// can never run script on Pukeko's origin. Only image, video and audio
// types are shown inline; anything else is a download.
//
// Invalid and missing keys are 404, other methods 405, and a backend
// failure a terse 502 (logged to logger, or slog.Default() if nil).
func Handler(b Backend, prefix string, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		key, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok || !ValidKey(key) {
			http.NotFound(w, r)
			return
		}
		obj, err := b.Open(r.Context(), key)
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvalidKey) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			logger.ErrorContext(r.Context(), "media storage open failed",
				slog.String("key", key), slog.Any("error", err))
			http.Error(w, "media storage unavailable", http.StatusBadGateway)
			return
		}
		defer obj.Close()

		typ := obj.ContentType()
		if typ == "" {
			typ = ContentType(key)
		}
		h := w.Header()
		h.Set("Content-Type", typ)
		h.Set("ETag", `"`+path.Base(key)+`"`)
		h.Set("Cache-Control", CacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		if inline(typ) {
			h.Set("Content-Disposition", "inline")
		} else {
			h.Set("Content-Disposition", "attachment")
		}
		http.ServeContent(w, r, "", obj.ModTime(), obj)
	})
}

// inline reports whether a type may be displayed in the browser rather
// than downloaded. SVG is an image that can hold script, so it is not.
func inline(contentType string) bool {
	t := baseType(contentType)
	if t == "image/svg+xml" {
		return false
	}
	major, _, _ := strings.Cut(t, "/")
	return major == "image" || major == "video" || major == "audio"
}
