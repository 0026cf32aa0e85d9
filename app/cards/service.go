package cards

import (
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/federation"
	"pukeko/app/media"
	"pukeko/app/stator"
)

// Defaults for the zero values of Options.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultMaxPageSize  = 1 << 20
	DefaultRefreshAfter = 14 * 24 * time.Hour
)

// Options are the cards.* keys.
type Options struct {
	Enabled      bool          // make cards for new and edited posts
	Timeout      time.Duration // one card's fetch, oEmbed included
	MaxPageSize  int64         // bytes of a page (and of its oEmbed description)
	RefreshAfter time.Duration // how old a card gets before a new link to it fetches it again
	MainDomain   string        // this server's main domain: links to it get no card
}

// Service makes preview cards. It is safe for concurrent use.
type Service struct {
	DB      *pgxpool.Pool
	Client  *federation.Client
	Media   *media.Service // the remote media cache, for card images; may be nil
	Logger  *slog.Logger
	Options Options

	graphsOnce  sync.Once
	posts, urls *stator.Graph
}

// Graphs lists the Stator graphs of cards: picking posts' links and
// fetching URLs' cards.
func (s *Service) Graphs() []*stator.Graph {
	s.graphsOnce.Do(func() {
		s.posts = s.postGraph()
		s.urls = s.cardGraph()
	})
	return []*stator.Graph{s.posts, s.urls}
}

func (s *Service) timeout() time.Duration {
	if s.Options.Timeout > 0 {
		return s.Options.Timeout
	}
	return DefaultTimeout
}

func (s *Service) maxPageSize() int64 {
	if s.Options.MaxPageSize > 0 {
		return s.Options.MaxPageSize
	}
	return DefaultMaxPageSize
}

func (s *Service) refreshAfter() time.Duration {
	if s.Options.RefreshAfter > 0 {
		return s.Options.RefreshAfter
	}
	return DefaultRefreshAfter
}
