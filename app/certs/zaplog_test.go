package certs

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"go.uber.org/zap"
)

func TestZapToSlog(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	zl := newZapLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
	zl.Debug("hidden")
	zl.Named("obtain").With(zap.String("identifier", "a.test")).Error("failed", zap.Error(errors.New("boom")), zap.Int("attempt", 2))
	out := buf.String()
	if strings.Contains(out, "hidden") {
		t.Errorf("a Debug entry passed an Info handler: %s", out)
	}
	for _, want := range []string{"level=ERROR", `msg=failed`, "logger=certmagic.obtain", "identifier=a.test", "error=boom", "attempt=2"} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %q", out, want)
		}
	}
}
