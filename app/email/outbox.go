package email

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/stator"
	"pukeko/app/store"
)

// Outbox queues email and sends it (its Stator graph).
type Outbox struct {
	DB      *pgxpool.Pool
	Options Options
	Logger  *slog.Logger
	// ConfirmSignups asks users who sign up to confirm their address
	// (signup.confirm_email), when email is configured.
	ConfirmSignups bool
}

// Enabled reports whether o sends email (a nil Outbox does not).
func (o *Outbox) Enabled() bool { return o != nil && o.Options.Enabled() }

// Queue renders message name with data for to and queues it in db,
// normally the caller's transaction: the message goes out if and only if
// what it tells of is committed.
func (o *Outbox) Queue(ctx context.Context, db store.DB, to, name string, data any) error {
	m, err := Render(name, data)
	if err != nil {
		return err
	}
	return store.QueueEmail(ctx, db, &store.EmailMessage{Recipient: to, Subject: m.Subject, Text: m.Text, HTML: m.HTML})
}

// States of email_messages.
const (
	StateNew    = "new"
	StateSent   = "sent"
	StateFailed = "failed"
)

// Graph sends queued email. A refused message fails at once; any other
// failure (the server down, a timeout, a temporary refusal) is retried
// with backoff up to two hours apart, for three days. Sent messages are
// forgotten after a day, failed ones after a week. While email is not
// configured, messages wait.
func (o *Outbox) Graph() *stator.Graph {
	g := stator.NewGraph("emails", "email_messages").Concurrency(2)
	g.State(StateNew).
		Retry(stator.Backoff{Base: 30 * time.Second, Max: 2 * time.Hour, Jitter: 0.2}).
		TimesOutTo(StateFailed, 3*24*time.Hour).
		Handle(o.send, StateSent, StateFailed)
	g.State(StateSent).DeleteAfter(24 * time.Hour)
	g.State(StateFailed).DeleteAfter(7 * 24 * time.Hour)
	return g
}

func (o *Outbox) send(ctx context.Context, it stator.Item) (string, error) {
	if !o.Options.Enabled() {
		return "", stator.Defer(time.Hour)
	}
	m, err := store.EmailMessageByID(ctx, o.DB, it.ID)
	if err != nil {
		return "", err
	}
	if m == nil || m.State != it.State {
		return StateFailed, nil // gone or moved meanwhile: nothing to send
	}
	raw, err := Compose(o.Options.From, Message{To: m.Recipient, Subject: m.Subject, Text: m.Text, HTML: m.HTML}, time.Now())
	if err != nil {
		o.Logger.Warn("email: a message that cannot be written", "email", it.ID, "error", err)
		o.forget(ctx, it.ID)
		return StateFailed, nil
	}
	err = o.Options.Send(ctx, m.Recipient, raw)
	switch {
	case err == nil:
		o.forget(ctx, it.ID)
		return StateSent, nil
	case errors.Is(err, ErrRejected):
		o.Logger.Info("email: refused by the SMTP server", "email", it.ID, "error", err)
		o.forget(ctx, it.ID)
		return StateFailed, nil
	default:
		return "", err
	}
}

// forget blanks a finished message's bodies. Failing to is only logged:
// retrying would send a sent message again.
func (o *Outbox) forget(ctx context.Context, id int64) {
	if err := store.ForgetEmailBodies(ctx, o.DB, id); err != nil {
		o.Logger.Warn("email: forgetting a message's bodies", "email", id, "error", err)
	}
}
