package node

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/config"
	"pukeko/app/federation"
	"pukeko/app/media"
	"pukeko/app/media/storage"
)

// newMedia builds the media service of the media.* keys.
func newMedia(cfg *config.Config, db *pgxpool.Pool, client *federation.Client, logger *slog.Logger) (*media.Service, error) {
	var backend storage.Backend
	switch cfg.Media.Backend {
	case "s3":
		s3, err := storage.NewS3(storage.S3Config{
			Endpoint:      cfg.Media.S3.Endpoint,
			Bucket:        cfg.Media.S3.Bucket,
			Region:        cfg.Media.S3.Region,
			AccessKey:     cfg.Media.S3.AccessKey,
			SecretKey:     cfg.Media.S3.SecretKey,
			PathStyle:     cfg.Media.S3.PathStyle,
			Insecure:      cfg.Media.S3.Insecure,
			PublicBaseURL: cfg.Media.S3.PublicURL,
		})
		if err != nil {
			return nil, err
		}
		backend = s3
	default:
		backend = &storage.Local{Root: cfg.Media.Path}
	}
	return &media.Service{
		DB:      db,
		Backend: backend,
		Client:  client,
		Logger:  logger.With("component", "media"),
		Scheme:  cfg.Server.PublicScheme,
		Limits: media.Limits{
			MaxImageSize:    cfg.Media.MaxImageSize,
			MaxVideoSize:    cfg.Media.MaxVideoSize,
			MaxAudioSize:    cfg.Media.MaxAudioSize,
			MaxEmojiSize:    cfg.Media.MaxEmojiSize,
			MaxImagePixels:  cfg.Media.MaxImagePixels,
			MaxDecodePixels: cfg.Media.MaxDecodePixels,
			SyncPixels:      cfg.Media.SyncPixels,
			RemoteCacheSize: cfg.Media.RemoteCacheSize,
			RemoteMaxSize:   cfg.Media.RemoteMaxSize,
		},
	}, nil
}

// prepareMedia makes sure the storage is usable before serving: an S3
// bucket is created when missing.
func prepareMedia(ctx context.Context, m *media.Service) error {
	if s3, ok := m.Backend.(*storage.S3); ok {
		return s3.EnsureBucket(ctx)
	}
	return nil
}
