package server

import (
	"log/slog"
	"net/http"
	"time"
)

// logRequests logs one line per request: at Info, or at Debug for the
// /healthz and /readyz probes and /metrics scrapes so they do not flood the
// logs. Only the path is logged, never the query string, which may carry
// tokens.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := recorderFor(w)
		// Deferred so that a line is written even when the handler aborts
		// with a panic (http.ErrAbortHandler) that propagates past us.
		defer func() {
			level := slog.LevelInfo
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				level = slog.LevelDebug
			}
			status := rec.status
			if status == 0 && !rec.hijacked {
				status = http.StatusOK // handler wrote nothing: net/http sends 200
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", time.Since(start)),
				slog.String("remote_addr", r.RemoteAddr),
				slog.String("user_agent", r.UserAgent()),
			}
			if rec.hijacked {
				attrs = append(attrs, slog.Bool("hijacked", true))
			}
			logger.LogAttrs(r.Context(), level, "http request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}
