package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"pukeko/app/federation"
	"pukeko/app/media/imaging"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// States of a remote media cache entry (remote_media).
const (
	RemoteNew     = "new"     // known, not stored yet: Stator fetches it
	RemoteCached  = "cached"  // stored under file_key
	RemoteEvicted = "evicted" // dropped by the budget; fetched again when asked for
	RemoteFailed  = "failed"  // could not be fetched or is not media
)

func (s *Service) remoteGraph() *stator.Graph {
	g := stator.NewGraph("remote_media", "remote_media").Concurrency(8)
	g.State(RemoteNew).Retry(stator.Backoff{Base: time.Minute, Max: 2 * time.Hour, Jitter: 0.2}).
		TimesOutTo(RemoteFailed, 24*time.Hour).
		Handle(s.cacheRemote, RemoteCached, RemoteFailed)
	g.State(RemoteCached)
	g.State(RemoteEvicted)
	g.State(RemoteFailed).DeleteAfter(7 * 24 * time.Hour)
	return g
}

// errNotMedia marks a remote file that is no image, video or audio: never
// cached, never served from our domain.
var errNotMedia = errors.New("media: not an image, video or audio file")

// fetchRemote reads a remote media file (at most Limits.RemoteMaxSize)
// and returns it with the type sniffed from its bytes.
func (s *Service) fetchRemote(ctx context.Context, url string) ([]byte, string, error) {
	m, err := s.Client.GetMedia(ctx, url, s.Limits.RemoteMaxSize)
	if err != nil {
		return nil, "", err
	}
	defer m.Body.Close()
	data, err := io.ReadAll(m.Body)
	if err != nil {
		return nil, "", err
	}
	_, mime, err := imaging.Sniff(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w (%v)", url, errNotMedia, err)
	}
	return data, mime, nil
}

func (s *Service) cacheRemote(ctx context.Context, it stator.Item) (string, error) {
	m, err := store.RemoteMediaByID(ctx, s.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if m == nil || m.State != it.State {
		return "", nil
	}
	data, mime, err := s.fetchRemote(ctx, m.URL)
	if err != nil {
		if permanentFetchError(err) {
			s.Logger.Debug("remote media not cached", "url", m.URL, "error", err)
			return RemoteFailed, nil
		}
		return "", err
	}
	key, err := s.store(ctx, "remote", data, mime)
	if err != nil {
		return "", err
	}
	if err := store.SaveRemoteMediaFile(ctx, s.DB, m.ID, key, mime, int64(len(data))); err != nil {
		return "", err
	}
	// The file counts only once cached; keeping the budget here, not by
	// waking the keeper, leaves no window in which a wake is lost.
	if err := s.evictOverBudget(ctx); err != nil {
		return "", err
	}
	return RemoteCached, nil
}

// permanentFetchError tells failures that retrying will not mend: a file
// that is not media or too large, a 4xx answer (but 429), an address we
// may not fetch.
func permanentFetchError(err error) bool {
	if errors.Is(err, errNotMedia) || errors.Is(err, federation.ErrResponseTooLarge) ||
		errors.Is(err, federation.ErrUnsupportedURL) || errors.Is(err, federation.ErrForbiddenAddress) {
		return true
	}
	var se *federation.StatusError
	return errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != 429
}

// The budget is kept after every file cached and, as a backstop, by the
// keeper (remote_media_budget, one row) every budgetInterval.
const (
	BudgetWatching = "watching"
	budgetInterval = 15 * time.Minute
)

func (s *Service) budgetGraph() *stator.Graph {
	g := stator.NewGraph("remote_media_budget", "remote_media_budget")
	g.State(BudgetWatching).Handle(s.keepBudget, BudgetWatching)
	return g
}

// keepBudget is the keeper's handler: the budget, then the next look.
func (s *Service) keepBudget(ctx context.Context, it stator.Item) (string, error) {
	if err := s.evictOverBudget(ctx); err != nil {
		return "", err
	}
	return "", stator.Defer(budgetInterval)
}

// evictOverBudget evicts the least recently used cached files while the
// cache is over Limits.RemoteCacheSize.
func (s *Service) evictOverBudget(ctx context.Context) error {
	size, err := store.RemoteCacheSize(ctx, s.DB)
	if err != nil {
		return err
	}
	if over := size - s.Limits.RemoteCacheSize; over > 0 {
		freed, err := store.EvictLeastRecentlyUsed(ctx, s.DB, over)
		if err != nil {
			return err
		}
		s.Logger.Debug("remote media evicted", "bytes", freed, "cache", size, "budget", s.Limits.RemoteCacheSize)
	}
	return nil
}
