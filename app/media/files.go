package media

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/stator"
	"pukeko/app/store"
)

// States of a stored file (media_files): 'live' while rows may name it;
// 'check' after a row that named it changed or went away (a trigger puts
// it there), when the handler deletes it unless something still names it.
const (
	FileLive    = "live"
	FileCheck   = "check"
	FileDeleted = "deleted"
)

func (s *Service) fileGraph() *stator.Graph {
	g := stator.NewGraph("media_files", "media_files")
	g.State(FileLive)
	g.State(FileCheck).Retry(stator.Backoff{Base: 30 * time.Second, Max: time.Hour, Jitter: 0.2}).
		Handle(s.checkFile, FileLive, FileDeleted)
	g.State(FileDeleted).Terminal()
	return g
}

// checkFile deletes a file nothing names any more. The row stays locked
// while the file is deleted from storage: an upload of the same bytes
// records the row (and waits for this lock) before writing the file, so
// it never loses its file to this deletion.
func (s *Service) checkFile(ctx context.Context, it stator.Item) (string, error) {
	var next string
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		key, err := store.MediaFileKeyForUpdate(ctx, tx, it.ID, FileCheck)
		if err != nil || key == "" {
			next = ""
			return err
		}
		used, err := store.MediaFileReferenced(ctx, tx, key)
		if err != nil {
			return err
		}
		if used {
			next = FileLive
			return nil
		}
		if err := s.Backend.Delete(ctx, key); err != nil {
			return fmt.Errorf("deleting media file %s: %w", key, err)
		}
		next = FileDeleted
		return store.DeleteMediaFileRow(ctx, tx, it.ID)
	})
	if err != nil {
		return "", err
	}
	// "" (moved to live by an upload since claimed): the engine drops
	// the outcome of a claim whose lease was cleared.
	return next, nil
}
