package node_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"pukeko/app/media"
	"pukeko/app/model"
	"pukeko/app/social"
)

// With media.backend s3 a server keeps its files in an S3 bucket (here
// gofakes3, an S3-protocol server on loopback): the bucket is created at
// start, uploads land in it, /media/ serves them from it, and a deleted
// post's files leave it.
func TestMediaOnS3(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backend := s3mem.New()
	s3 := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(s3.Close)
	nodes := startFederationWith(t, fedOptions{env: map[string][]string{"a.test": {
		"PUKEKO_MEDIA_BACKEND=s3",
		"PUKEKO_MEDIA_S3_ENDPOINT=" + s3.Listener.Addr().String(),
		"PUKEKO_MEDIA_S3_BUCKET=pukeko-media",
		"PUKEKO_MEDIA_S3_REGION=us-east-1",
		"PUKEKO_MEDIA_S3_ACCESS_KEY=test",
		"PUKEKO_MEDIA_S3_SECRET_KEY=test-secret",
		"PUKEKO_MEDIA_S3_PATH_STYLE=true",
		"PUKEKO_MEDIA_S3_INSECURE=true",
	}}}, "a.test")
	a := nodes[0]
	alice := a.identity(t, "alice", false)
	if ok, err := backend.BucketExists("pukeko-media"); err != nil || !ok {
		t.Fatalf("the bucket was not created at start (%v)", err)
	}
	att, err := a.Instance.Media.Upload(ctx, alice.ID, testJPEG(t, 200, 150, 4), media.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	obj, err := backend.GetObject("pukeko-media", att.FileKey, nil)
	if err != nil {
		t.Fatalf("the upload is not in the bucket: %v", err)
	}
	var stored bytes.Buffer
	stored.ReadFrom(obj.Contents)
	obj.Contents.Close()
	resp, body := a.fetch(t, "/media/"+att.FileKey, "Range", "bytes=0-99")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, stored.Bytes()[:100]) {
		t.Fatalf("serving from S3: %d, %d bytes", resp.StatusCode, len(body))
	}
	p := mustPost(t, a, alice, social.PostOptions{Text: "on s3", MediaIDs: []model.ID{att.ID}})
	if err := a.Instance.DeletePost(ctx, alice, p.ID); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the post's files to leave the bucket", func() bool {
		_, err1 := backend.HeadObject("pukeko-media", att.FileKey)
		_, err2 := backend.HeadObject("pukeko-media", att.ThumbnailKey)
		return err1 != nil && err2 != nil
	})
}
