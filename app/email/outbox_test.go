package email

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/email/emailtest"
	"pukeko/app/stator"
	"pukeko/app/store"
	"pukeko/app/testkit"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// queueOne queues a confirmation email to to and returns its row.
func queueOne(t *testing.T, o *Outbox, to string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := pgx.BeginFunc(ctx, o.DB, func(tx pgx.Tx) error {
		if err := o.Queue(ctx, tx, to, "confirmation", map[string]any{"SiteName": "Birds", "Domain": "a.test",
			"Username": "kiwi", "Email": to, "Link": "http://a.test/auth/confirmation?confirmation_token=t", "Hours": 48}); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT max(id) FROM email_messages").Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A message queued in a transaction that rolls back is never sent; one
// committed waits in its row until the server takes it: a temporary
// refusal or an unreachable server leaves it to be retried, bodies and
// all; once sent its bodies are forgotten. A permanent refusal fails it.
func TestOutboxSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.DB(t)
	var busy atomic.Bool
	busy.Store(true)
	sink := emailtest.Start(t, emailtest.Options{Refuse: func(rcpt string) (int, string) {
		switch {
		case rcpt == "nobody@example.com":
			return 550, "no such user"
		case busy.Load():
			return 451, "try again later"
		}
		return 0, ""
	}})
	o := &Outbox{DB: db, Options: sinkOptions(sink, TLSNone), Logger: quietLogger()}

	rolledBack := errors.New("rolled back")
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if err := o.Queue(ctx, tx, "kiwi@example.com", "confirmation", map[string]any{}); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}
	var n int
	db.QueryRow(ctx, "SELECT count(*) FROM email_messages").Scan(&n)
	if n != 0 {
		t.Fatalf("%d messages after a rollback", n)
	}

	id := queueOne(t, o, "kiwi@example.com")
	it := stator.Item{ID: id, State: StateNew}
	if next, err := o.send(ctx, it); next != "" || err == nil {
		t.Fatalf("a temporary refusal: %q, %v", next, err)
	}
	down := &Outbox{DB: db, Options: Options{Host: "127.0.0.1", Port: 1, From: "from@pukeko.test", TLS: TLSNone, Timeout: time.Second},
		Logger: quietLogger()}
	if next, err := down.send(ctx, it); next != "" || err == nil {
		t.Fatalf("a server that is down: %q, %v", next, err)
	}
	off := &Outbox{DB: db, Logger: quietLogger()}
	if next, err := off.send(ctx, it); next != "" || err == nil {
		t.Fatalf("email not configured: %q, %v", next, err)
	}
	m, _ := store.EmailMessageByID(ctx, db, id)
	if m.Text == "" || m.HTML == "" {
		t.Fatalf("bodies lost before sending: %+v", m)
	}
	busy.Store(false)
	if next, err := o.send(ctx, it); next != StateSent || err != nil {
		t.Fatalf("sending: %q, %v", next, err)
	}
	got := sink.Next()
	if got.Header("Subject") != "Confirm your email address for Birds" || got.Link("confirmation_token=t") == "" {
		t.Fatalf("the message: %s", got.Raw)
	}
	m, _ = store.EmailMessageByID(ctx, db, id)
	if m.Text != "" || m.HTML != "" {
		t.Fatalf("bodies kept after sending: %+v", m)
	}

	refused := queueOne(t, o, "nobody@example.com")
	if next, err := o.send(ctx, stator.Item{ID: refused, State: StateNew}); next != StateFailed || err != nil {
		t.Fatalf("a permanent refusal: %q, %v", next, err)
	}
}

// Messages queued while no runner runs (or after one crashed) go out
// when a runner comes.
func TestOutboxGraph(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.DB(t)
	sink := emailtest.Start(t, emailtest.Options{})
	o := &Outbox{DB: db, Options: sinkOptions(sink, TLSNone), Logger: quietLogger()}
	queueOne(t, o, "one@example.com")
	queueOne(t, o, "two@example.com")
	r, err := stator.New(stator.Options{Pool: db, Graphs: []*stator.Graph{o.Graph()}, PollInterval: 100 * time.Millisecond,
		StatsInterval: -1, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
	seen := map[string]bool{}
	for range 2 {
		seen[sink.Next().To[0]] = true
	}
	if !seen["one@example.com"] || !seen["two@example.com"] {
		t.Fatalf("sent to %v", seen)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		db.QueryRow(ctx, "SELECT count(*) FROM email_messages WHERE state = 'sent'").Scan(&n)
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages marked sent", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	sink.None(200 * time.Millisecond)
}
