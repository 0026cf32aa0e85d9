package node_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pukeko/app/media"
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// testJPEG makes a w×h JPEG with a pattern seeded by seed (different
// seeds, different bytes).
func testJPEG(t testing.TB, w, h, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x*seed + y), uint8(y * 3), uint8((x + y + seed) * 7), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fetch fetches path from node n (Host header: its domain) and returns the
// answer with its body read.
func (f *fedNode) fetch(t testing.TB, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+f.addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = f.domain
	for k := 0; k+1 < len(header); k += 2 {
		req.Header.Set(header[k], header[k+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// pathOf is the path of a URL on a test node.
func pathOf(t testing.TB, u string) string {
	t.Helper()
	_, rest, ok := strings.Cut(strings.TrimPrefix(u, "http://"), "/")
	if !ok {
		t.Fatalf("no path in %q", u)
	}
	return "/" + rest
}

// remoteMediaState is the cache state of url on n ("" when unknown).
func (f *fedNode) remoteMediaState(t testing.TB, url string) string {
	t.Helper()
	m, err := store.RemoteMediaByURL(context.Background(), f.DB, url)
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		return ""
	}
	return m.State
}

// An image posted on a reaches b as a remote attachment that b caches and
// serves from its own domain; a's files go when the post is deleted.
func TestMediaAcrossServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, alice, bob, _ := aliceBobCarol(t)
	follow(t, b, a, bob, alice)

	att, err := a.Instance.Media.Upload(ctx, alice.ID, testJPEG(t, 800, 600, 1), media.UploadOptions{Description: "a kea", FocusX: 0.5, FocusY: -0.25})
	if err != nil {
		t.Fatal(err)
	}
	if att.State != media.AttachmentReady || att.FileKey == "" || att.ThumbnailKey == "" || att.Blurhash == "" ||
		att.Width != 800 || att.Height != 600 || att.ContentType != "image/jpeg" {
		t.Fatalf("processed upload: %+v", att)
	}
	files := []string{att.FileKey, att.ThumbnailKey}
	for _, k := range files {
		if _, err := os.Stat(filepath.Join(a.Config.Media.Path, filepath.FromSlash(k))); err != nil {
			t.Fatalf("stored file %s: %v", k, err)
		}
	}
	p := mustPost(t, a, alice, social.PostOptions{Text: "look", MediaIDs: []model.ID{att.ID}})

	// The Note carries the attachment.
	resp, body := a.fetch(t, pathOf(t, p.URI), "Accept", "application/activity+json")
	fileURL := "http://a.test/media/" + att.FileKey
	for _, want := range []string{`"mediaType":"image/jpeg"`, `"name":"a kea"`, `"url":"` + fileURL + `"`, `"blurhash":"`, `"focalPoint":[0.5,-0.25]`, `"width":800`} {
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte(want)) {
			t.Fatalf("note of a post with media (%d) lacks %s: %s", resp.StatusCode, want, body)
		}
	}
	original, err := os.ReadFile(filepath.Join(a.Config.Media.Path, filepath.FromSlash(att.FileKey)))
	if err != nil {
		t.Fatal(err)
	}
	// a serves the file, with ranges.
	resp, body = a.fetch(t, "/media/"+att.FileKey, "Range", "bytes=10-19")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, original[10:20]) ||
		resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 10-19/%d", len(original)) {
		t.Fatalf("range of a file: %d %q", resp.StatusCode, resp.Header.Get("Content-Range"))
	}

	// b stores the attachment, caches the file and serves it itself.
	var remote *model.Attachment
	waitUntil(t, "the attachment on b", func() bool {
		q, _ := store.PostByURI(ctx, b.DB, p.URI)
		if q == nil {
			return false
		}
		all, err := store.PostAttachments(ctx, b.DB, []model.ID{q.ID})
		if err != nil || len(all[q.ID]) != 1 {
			return false
		}
		remote = all[q.ID][0]
		return true
	})
	if remote.Local || remote.RemoteURL != fileURL || remote.Description != "a kea" || remote.Blurhash != att.Blurhash ||
		remote.Width != 800 || remote.Kind != model.MediaImage || remote.FocusX != 0.5 {
		t.Fatalf("remote attachment on b: %+v", remote)
	}
	waitUntil(t, "b to cache the file", func() bool { return b.remoteMediaState(t, fileURL) == media.RemoteCached })
	proxied, _, _, err := b.Instance.Media.AttachmentURLs(ctx, "b.test", remote)
	if err != nil || !strings.HasPrefix(proxied, "http://b.test/proxy/") {
		t.Fatalf("b's address of the attachment: %q (%v)", proxied, err)
	}
	resp, body = b.fetch(t, pathOf(t, proxied))
	if resp.StatusCode != 200 || !bytes.Equal(body, original) || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("b serving the cached file: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	// A forged proxy address is no open proxy.
	forged := strings.Replace(pathOf(t, proxied), "/proxy/", "/proxy/AAAA", 1)
	if resp, _ := b.fetch(t, forged); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("forged proxy address: %d", resp.StatusCode)
	}

	// Deleting the post deletes its files on a (nothing else names them).
	if err := a.Instance.DeletePost(ctx, alice, p.ID); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a's files to be deleted", func() bool {
		for _, k := range files {
			if _, err := os.Stat(filepath.Join(a.Config.Media.Path, filepath.FromSlash(k))); !errors.Is(err, os.ErrNotExist) {
				return false
			}
		}
		return true
	})
	if resp, _ := a.fetch(t, "/media/"+att.FileKey); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a deleted file is still served: %d", resp.StatusCode)
	}
}

// Uploads are refused for what they are, not what they are called, and
// posts take only their author's processed uploads.
func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test")
	a := nodes[0]
	alice, dave := a.identity(t, "alice", false), a.identity(t, "dave", false)

	if _, err := a.Instance.Media.Upload(ctx, alice.ID, []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), media.UploadOptions{}); !errors.Is(err, media.ErrUnsupported) {
		t.Fatalf("HTML upload: %v, want ErrUnsupported", err)
	}
	// A PNG header claiming 100,000 × 100,000 pixels.
	var bomb bytes.Buffer
	png.Encode(&bomb, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := bomb.Bytes()
	copy(b[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	start := time.Now()
	if _, err := a.Instance.Media.Upload(ctx, alice.ID, b, media.UploadOptions{}); !errors.Is(err, media.ErrTooLarge) {
		t.Fatalf("pixel bomb: %v, want ErrTooLarge", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("refusing a pixel bomb took %s", d)
	}

	var ids []model.ID
	for k := range 5 {
		att, err := a.Instance.Media.Upload(ctx, alice.ID, testJPEG(t, 64, 48, k+2), media.UploadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, att.ID)
	}
	if _, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "five", MediaIDs: ids}); !errors.Is(err, social.ErrTooManyAttachments) {
		t.Fatalf("five attachments: %v", err)
	}
	if _, err := a.Instance.CreatePost(ctx, dave, social.PostOptions{Text: "not mine", MediaIDs: ids[:1]}); !errors.Is(err, social.ErrMediaNotFound) {
		t.Fatalf("someone else's upload: %v", err)
	}
	p, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{MediaIDs: ids[:2]})
	if err != nil {
		t.Fatalf("a post of media only: %v", err)
	}
	if _, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "again", MediaIDs: ids[1:2]}); !errors.Is(err, social.ErrMediaNotFound) {
		t.Fatalf("an upload already on another post: %v", err)
	}
	all, err := store.PostAttachments(ctx, a.DB, []model.ID{p.ID})
	if err != nil || len(all[p.ID]) != 2 || all[p.ID][0].ID != ids[0] || all[p.ID][1].ID != ids[1] {
		t.Fatalf("attachments of the post: %v (%v)", all[p.ID], err)
	}
	// Edits change the attachments; a removed one is deleted.
	if _, err := a.Instance.EditPost(ctx, alice, p.ID, social.PostEdit{MediaIDs: &[]model.ID{ids[2], ids[0]}}); err != nil {
		t.Fatal(err)
	}
	all, _ = store.PostAttachments(ctx, a.DB, []model.ID{p.ID})
	if len(all[p.ID]) != 2 || all[p.ID][0].ID != ids[2] || all[p.ID][1].ID != ids[0] {
		t.Fatalf("attachments after the edit: %v", all[p.ID])
	}
	if gone, _ := store.AttachmentByID(ctx, a.DB, ids[1]); gone != nil {
		t.Fatal("the attachment removed by the edit is still there")
	}
}

// Large images are processed by Stator: the upload answers 'processing'
// and becomes 'ready', and the file as uploaded is deleted.
func TestUploadProcessedInBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederationWith(t, fedOptions{env: map[string][]string{"a.test": {"PUKEKO_MEDIA_SYNC_PIXELS=1000"}}}, "a.test")
	a := nodes[0]
	alice := a.identity(t, "alice", false)
	att, err := a.Instance.Media.Upload(ctx, alice.ID, testJPEG(t, 320, 200, 9), media.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if att.State != media.AttachmentProcessing || att.UploadKey == "" || att.FileKey != "" {
		t.Fatalf("a large upload: %+v", att)
	}
	if _, err := a.Instance.CreatePost(ctx, alice, social.PostOptions{Text: "too soon", MediaIDs: []model.ID{att.ID}}); !errors.Is(err, social.ErrMediaProcessing) {
		t.Fatalf("posting a processing upload: %v", err)
	}
	var done *model.Attachment
	waitUntil(t, "the upload to be processed", func() bool {
		done, _ = store.AttachmentByID(ctx, a.DB, att.ID)
		return done != nil && done.State == media.AttachmentReady
	})
	if done.FileKey == "" || done.ThumbnailKey == "" || done.UploadKey != "" || done.Width != 320 || done.Blurhash == "" {
		t.Fatalf("processed in the background: %+v", done)
	}
	waitUntil(t, "the upload as received to be deleted", func() bool {
		_, err := os.Stat(filepath.Join(a.Config.Media.Path, filepath.FromSlash(att.UploadKey)))
		return errors.Is(err, os.ErrNotExist)
	})
}

// The remote media cache keeps to its budget by evicting the least
// recently used files; an evicted file is still served (proxied) and
// cached again.
func TestRemoteMediaCacheEviction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var sizes []int
	var datas [][]byte
	for k := range 3 {
		d := testJPEG(t, 96, 96, k+3)
		datas = append(datas, d)
		sizes = append(sizes, len(d))
	}
	// Room for two of the three files.
	budget := sizes[0] + sizes[1] + sizes[2] - min(sizes[0], sizes[1], sizes[2]) + 10
	nodes := startFederationWith(t, fedOptions{env: map[string][]string{
		"b.test": {fmt.Sprintf("PUKEKO_MEDIA_REMOTE_CACHE_SIZE=%d", budget)},
	}}, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	var urls []string
	for _, d := range datas {
		att, err := a.Instance.Media.Upload(ctx, alice.ID, d, media.UploadOptions{Sync: true})
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, "http://a.test/media/"+att.FileKey)
	}
	for k, u := range urls {
		if err := store.QueueRemoteMedia(ctx, b.DB, []string{u}); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, "b to cache file "+fmt.Sprint(k), func() bool { return b.remoteMediaState(t, u) != media.RemoteNew })
		// Distinct access times: the first file is the least recently used.
		time.Sleep(20 * time.Millisecond)
	}
	waitUntil(t, "the cache to keep its budget", func() bool {
		size, err := store.RemoteCacheSize(ctx, b.DB)
		return err == nil && size <= int64(budget) && b.remoteMediaState(t, urls[0]) == media.RemoteEvicted
	})
	if b.remoteMediaState(t, urls[1]) != media.RemoteCached && b.remoteMediaState(t, urls[2]) != media.RemoteCached {
		t.Fatal("the recently used files were evicted")
	}
	proxied, err := b.Instance.Media.ProxyURL(ctx, "b.test", urls[0])
	if err != nil {
		t.Fatal(err)
	}
	resp, body := b.fetch(t, pathOf(t, proxied))
	if resp.StatusCode != 200 || len(body) == 0 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("an evicted file through the proxy: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	waitUntil(t, "the evicted file to be cached again", func() bool { return b.remoteMediaState(t, urls[0]) != media.RemoteEvicted })
}

// A new avatar and header are cropped to Mastodon's sizes, sent to the
// followers' servers in an Update and cached there; the replaced avatar's
// file is deleted.
func TestProfileImagesAcrossServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, alice, bob, _ := aliceBobCarol(t)
	follow(t, b, a, bob, alice)

	avatar := testJPEG(t, 1000, 800, 5)
	name, bio := "Alice K", "I like #kea"
	edited, err := a.Instance.UpdateProfile(ctx, alice, social.ProfileEdit{Name: &name, Bio: &bio, Avatar: &avatar, Header: ptr(testJPEG(t, 2000, 1000, 6))})
	if err != nil {
		t.Fatal(err)
	}
	if edited.IconKey == "" || edited.ImageKey == "" || !strings.HasPrefix(edited.IconURI, "http://a.test/media/") ||
		!strings.Contains(edited.Summary, "/tags/kea") {
		t.Fatalf("edited profile: %+v", edited)
	}
	for _, c := range []struct {
		key  string
		w, h int
	}{{edited.IconKey, 400, 400}, {edited.ImageKey, 1500, 500}} {
		f, err := os.Open(filepath.Join(a.Config.Media.Path, filepath.FromSlash(c.key)))
		if err != nil {
			t.Fatal(err)
		}
		cfg, _, err := image.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != c.w || cfg.Height != c.h {
			t.Fatalf("stored %s: %dx%d (%v), want %dx%d", c.key, cfg.Width, cfg.Height, err, c.w, c.h)
		}
	}
	waitUntil(t, "b to see alice's new profile", func() bool {
		i, _ := store.IdentityByURI(ctx, b.DB, alice.URI)
		return i != nil && i.Name == name && i.IconURI == edited.IconURI && i.ImageURI == edited.ImageURI
	})
	waitUntil(t, "b to cache alice's avatar", func() bool { return b.remoteMediaState(t, edited.IconURI) == media.RemoteCached })

	// A new avatar replaces the old one, whose file goes.
	again, err := a.Instance.UpdateProfile(ctx, edited, social.ProfileEdit{Avatar: ptr(testJPEG(t, 300, 300, 7))})
	if err != nil {
		t.Fatal(err)
	}
	if again.IconKey == edited.IconKey || again.ImageKey != edited.ImageKey {
		t.Fatalf("keys after a new avatar: %s %s", again.IconKey, again.ImageKey)
	}
	waitUntil(t, "the old avatar's file to be deleted", func() bool {
		_, err := os.Stat(filepath.Join(a.Config.Media.Path, filepath.FromSlash(edited.IconKey)))
		return errors.Is(err, os.ErrNotExist)
	})
	if _, err := os.Stat(filepath.Join(a.Config.Media.Path, filepath.FromSlash(edited.ImageKey))); err != nil {
		t.Fatalf("the header, still in use, was deleted: %v", err)
	}
}
