package bundled

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// logPipe turns the lines PostgreSQL writes to stderr into slog records, so
// its messages land in Pukeko's log with the right level instead of in loose
// files. It also keeps the last lines, to explain a failed start.
type logPipe struct {
	logger *slog.Logger
	quiet  bool // routine lines are logged at Debug, not Info
	mu     sync.Mutex
	tail   []string
}

const tailLines = 20

func (p *logPipe) consume(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		level, msg := classify(line)
		if p.quiet && level == slog.LevelInfo {
			level = slog.LevelDebug
		}
		p.logger.Log(context.Background(), level, msg)
		p.mu.Lock()
		p.tail = append(p.tail, line)
		if len(p.tail) > tailLines {
			p.tail = p.tail[len(p.tail)-tailLines:]
		}
		p.mu.Unlock()
	}
	// A line too long for the scanner stops it: keep draining, or the
	// server would block writing its log.
	if sc.Err() != nil {
		p.logger.Warn("a PostgreSQL log line was too long to read; dropping the rest of its output", "error", sc.Err())
		io.Copy(io.Discard, r)
	}
}

// lastLines returns the most recent lines, joined, for error messages.
func (p *logPipe) lastLines() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.tail, "\n")
}

// classify maps PostgreSQL's severity prefix ("LOG:  ", "FATAL:  ", ...) to
// a slog level. Routine LOG lines are Info; DETAIL, HINT and the like keep
// the level of ordinary output.
func classify(line string) (slog.Level, string) {
	sev, msg, ok := strings.Cut(line, ":  ")
	if !ok {
		return slog.LevelInfo, line
	}
	switch sev {
	case "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5":
		return slog.LevelDebug, msg
	case "WARNING":
		return slog.LevelWarn, msg
	case "ERROR", "FATAL", "PANIC":
		return slog.LevelError, sev + ": " + msg
	default:
		return slog.LevelInfo, msg
	}
}
