package server

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// recoverPanics turns a handler panic into an Error log record (panic value
// and stack) and a generic 500 JSON response; the panic text never reaches
// the client. If the response was already committed it cannot be replaced,
// so the response is aborted by re-panicking http.ErrAbortHandler, which
// net/http handles by closing the connection without logging again.
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recorderFor(w)
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			// net/http's sentinel for deliberate aborts: pass it on untouched.
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			logger.ErrorContext(r.Context(), "panic in http handler",
				slog.Any("panic", v),
				slog.String("stack", string(debug.Stack())),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
			)
			if rec.committed() {
				panic(http.ErrAbortHandler)
			}
			// Drop whatever the handler set (e.g. a Content-Length that no
			// longer matches) before writing our own response.
			clear(rec.Header())
			writeJSON(rec, http.StatusInternalServerError,
				map[string]string{"error": "internal server error"})
		}()
		next.ServeHTTP(rec, r)
	})
}
