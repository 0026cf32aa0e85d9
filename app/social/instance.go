package social

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/email"
	"pukeko/app/federation"
	"pukeko/app/media"
	"pukeko/app/stator"
	"pukeko/app/translate"
)

// Instance is what the behaviours need to know about this server.
type Instance struct {
	DB              *pgxpool.Pool
	Logger          *slog.Logger
	Scheme          string // "https" (or "http" for local testing): the scheme of every URI we mint
	MainDomain      string
	MaxIdentities   int           // per user
	IdentityRefresh time.Duration // how old a remote profile may get
	Client          *federation.Client
	Media           *media.Service // uploads, stored files and the remote media cache
	Mail            *email.Outbox  // outgoing email; nil or not configured: none
	MaxDateSkew     time.Duration  // allowed clock difference of signed requests
	MaxPostLength   int            // characters of text and content warning; 500 when 0
	MaxPins         int            // pinned posts per identity; 5 when 0
	MaxAttachments  int            // media attachments per post; 4 when 0
	// Polls: options per poll (4 when 0), characters per option (50 when
	// 0), and how soon and how late a poll may end (5 minutes and 30 days
	// when 0).
	// PollUpdateDelay is how long votes gather before the counts of one of
	// our polls are sent to other servers (default a minute).
	PollUpdateDelay     time.Duration
	MaxPollOptions      int
	MaxPollOptionLength int
	MinPollExpiry       time.Duration
	MaxPollExpiry       time.Duration

	// Hosts limits concurrent deliveries per remote host.
	Hosts *stator.KeyLimiter

	// Translator translates posts, nil when translation is off
	// (translate.go); AnnualReports says which years' reports may be
	// generated (annual_reports.go).
	Translator    *translate.Client
	AnnualReports AnnualReportPolicy

	signers      sync.Map // identity id -> *federation.Signer
	keys         sync.Map // key id -> cachedKey
	cachedKeys   atomic.Int64
	keyRefreshes sync.Map // key id -> time of the last forced refetch
}

// BaseURL returns scheme://host.
func (in *Instance) BaseURL(host string) string { return in.Scheme + "://" + host }
