package certs

import (
	"context"
	"log/slog"
	"sort"
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newZapLogger returns a zap logger writing to l, because certmagic logs
// through zap and the rest of Pukeko through slog: one stream, one format.
func newZapLogger(l *slog.Logger) *zap.Logger {
	return zap.New(&slogCore{h: l.Handler()})
}

// slogCore is a zapcore.Core forwarding entries to a slog.Handler.
type slogCore struct {
	h     slog.Handler
	attrs []slog.Attr // fields added by With, already converted
}

func (c *slogCore) Enabled(level zapcore.Level) bool {
	return c.h.Enabled(context.Background(), slogLevel(level))
}

func (c *slogCore) With(fields []zapcore.Field) zapcore.Core {
	attrs := append(append([]slog.Attr(nil), c.attrs...), convertFields(fields)...)
	return &slogCore{h: c.h, attrs: attrs}
}

func (c *slogCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c *slogCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	rec := slog.NewRecord(e.Time, slogLevel(e.Level), e.Message, 0)
	// certmagic names some loggers from an empty parent (".acme_client").
	name := "certmagic"
	if n := strings.Trim(e.LoggerName, "."); n != "" {
		name += "." + n
	}
	rec.AddAttrs(slog.String("logger", name))
	rec.AddAttrs(c.attrs...)
	rec.AddAttrs(convertFields(fields)...)
	return c.h.Handle(context.Background(), rec)
}

func (c *slogCore) Sync() error { return nil }

// slogLevel maps zap's levels onto slog's four; DPanic, Panic and Fatal are
// errors too (zap itself still panics or exits after writing them).
func slogLevel(l zapcore.Level) slog.Level {
	switch {
	case l <= zapcore.DebugLevel:
		return slog.LevelDebug
	case l == zapcore.InfoLevel:
		return slog.LevelInfo
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	default:
		return slog.LevelError
	}
}

// convertFields turns zap fields into slog attributes, in key order so that
// log lines are stable.
func convertFields(fields []zapcore.Field) []slog.Attr {
	if len(fields) == 0 {
		return nil
	}
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range fields {
		f.AddTo(enc)
	}
	keys := make([]string, 0, len(enc.Fields))
	for k := range enc.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	attrs := make([]slog.Attr, 0, len(keys))
	for _, k := range keys {
		attrs = append(attrs, slog.Any(k, enc.Fields[k]))
	}
	return attrs
}
