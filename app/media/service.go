// Package media is Pukeko's media: uploads turned into attachments
// (processed by app/media/imaging), files kept in storage (local disk or
// S3, app/media/storage) and deleted by Stator once nothing names them,
// and the cache of remote media (attachments, avatars, headers and emoji
// of other servers), fetched through the federation client's address
// checks and served from our own domain so that readers never reveal
// themselves to other servers.
package media

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/federation"
	"pukeko/app/media/storage"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// Limits bound what uploads and the remote cache accept.
type Limits struct {
	MaxImageSize    int64 // bytes of an image upload
	MaxVideoSize    int64 // bytes of a video upload
	MaxAudioSize    int64 // bytes of an audio upload
	MaxEmojiSize    int64 // bytes of a custom emoji image
	MaxImagePixels  int   // larger images are scaled down to this many pixels
	MaxDecodePixels int   // larger images are refused before decoding
	SyncPixels      int   // larger images are processed in the background
	RemoteCacheSize int64 // total bytes of cached remote media
	RemoteMaxSize   int64 // bytes of one remote file
}

// Service stores, processes and serves media. It is safe for concurrent
// use; every process of a server builds its own over the same database
// and storage.
type Service struct {
	DB      *pgxpool.Pool
	Backend storage.Backend
	Client  *federation.Client
	Logger  *slog.Logger
	Scheme  string // scheme of the URLs handed out: "https", or "http" in tests
	Limits  Limits

	proxyKeyOnce sync.Mutex
	proxyKey     []byte
	files        http.Handler // serves /media/<key> (Register)
	graphsOnce   sync.Once
	built        *mediaGraphs
}

// Graphs lists the Stator graphs of media: upload processing, file
// deletion, remote caching and the cache's budget.
func (s *Service) Graphs() []*stator.Graph {
	g := s.graphs()
	return []*stator.Graph{g.attachments, g.files, g.remote, g.budget}
}

// mediaGraphs are the graphs, built once.
type mediaGraphs struct {
	attachments, files, remote, budget *stator.Graph
}

func (s *Service) graphs() *mediaGraphs {
	s.graphsOnce.Do(func() {
		s.built = &mediaGraphs{
			attachments: s.attachmentGraph(),
			files:       s.fileGraph(),
			remote:      s.remoteGraph(),
			budget:      s.budgetGraph(),
		}
	})
	return s.built
}

// store writes data under its content-addressed key and returns the key.
// The file's row is written first: a concurrent deletion of the same key
// either finishes before (and the file is written anew) or sees it live.
func (s *Service) store(ctx context.Context, prefix string, data []byte, contentType string) (string, error) {
	key := storage.KeyOf(prefix, data, storage.Ext(contentType))
	if err := store.RecordMediaFile(ctx, s.DB, key, int64(len(data)), contentType); err != nil {
		return "", err
	}
	if err := s.Backend.Put(ctx, key, bytes.NewReader(data), int64(len(data)), contentType); err != nil {
		return "", err
	}
	return key, nil
}
