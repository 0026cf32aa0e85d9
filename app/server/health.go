package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
)

// handleHealthz reports that the process is up. It deliberately touches
// nothing else (no database), so a slow dependency never makes the
// orchestrator kill a healthy process.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz runs the readiness probe with a timeout. The error text is
// shown to the client: it comes from our own checks ("database
// unreachable", "2 migrations pending"), not from user input.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := s.checkReady(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{
			"status": "unavailable",
			"error":  err.Error(),
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// checkReady calls s.ready bounded by s.readyTimeout. The probe runs in its
// own goroutine so that one ignoring its context still cannot hang the
// request past the timeout; a panic there is converted to an error, since
// it is outside the recovery middleware and would otherwise crash the
// process.
func (s *Server) checkReady(ctx context.Context) error {
	if s.ready == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.readyTimeout)
	defer cancel()

	done := make(chan error, 1) // buffered: the goroutine may finish after we stop waiting
	go func() {
		defer func() {
			if v := recover(); v != nil {
				s.logger.Error("readiness probe panicked",
					"panic", v, "stack", string(debug.Stack()))
				done <- errors.New("readiness check failed")
			}
		}()
		done <- s.ready(ctx)
	}()

	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	// Report a timeout the same way whichever branch saw it first.
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("readiness check timed out after %s", s.readyTimeout)
	}
	return err
}
