package mastodon_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"pukeko/app/mastodon"
	"pukeko/app/media"
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// seedHome gives alice a home timeline of n posts by ten followed
// authors, each post with an image, every third with a poll instead and
// every other mentioning alice, and returns alice's client.
func seedHome(b *testing.B, s *server, n int) *client {
	b.Helper()
	ctx := context.Background()
	alice := s.user("alice", "")
	var authors []*model.Identity
	for k := range 10 {
		i, err := s.Instance.CreateIdentity(ctx, 0, fmt.Sprintf("author%d", k), s.domain, fmt.Sprintf("Author %d", k))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.DB.Exec(ctx, `INSERT INTO follows (id, source_id, target_id, uri, state, state_next_attempt)
			VALUES ($1, $2, $3, $4, 'accepted', NULL)`, model.NewID(), alice.identity.ID, i.ID, fmt.Sprintf("%s/follow/%d", alice.identity.URI, k)); err != nil {
			b.Fatal(err)
		}
		authors = append(authors, i)
	}
	img := testJPEG(b, 64, 48)
	for k := range n {
		author := authors[k%len(authors)]
		opts := social.PostOptions{Text: fmt.Sprintf("post %d #bench", k)}
		if k%2 == 0 {
			opts.Text += " @alice"
		}
		if k%3 == 0 {
			opts.Poll = &social.PollOptions{Options: []string{"yes", "no"}, ExpiresIn: time.Hour}
		} else {
			att, err := s.Instance.Media.Upload(ctx, author.ID, img, media.UploadOptions{Description: "picture"})
			if err != nil {
				b.Fatal(err)
			}
			opts.MediaIDs = []model.ID{att.ID}
		}
		if _, err := s.Instance.CreatePost(ctx, author, opts); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for {
		posts, err := store.HomeTimeline(ctx, s.DB, alice.identity.ID, store.Page{Limit: 40})
		if err != nil {
			b.Fatal(err)
		}
		if len(posts) >= min(n, 40) {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("home timeline has %d posts after a minute", len(posts))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return alice
}

// BenchmarkHomeTimelineAPI measures GET /api/v1/timelines/home?limit=40
// (posts with media, polls and mentions) from parallel loopback clients,
// reporting requests/s and the 99th percentile latency. With wrk on the
// PATH and PUKEKO_BENCH_WRK set, it also runs wrk for 10 s and reports
// its figures. The variants:
//
//   - cached: the same page asked again and again, answered from the
//     page cache while nothing changes;
//   - writes: the same, while another user favourites and unfavourites
//     posts of the page ten times a second (each drops the kept answer);
//   - uncached: the same posts with max_id set, which the page cache does
//     not keep: one query and the render cache per request.
func BenchmarkHomeTimelineAPI(b *testing.B) {
	mastodon.VerifyRendering(false)
	defer mastodon.VerifyRendering(true)
	s := startServer(b, "a.test", nil, "PUKEKO_API_RATE_LIMIT=0")
	alice := seedHome(b, s, 60)
	page := "/api/v1/timelines/home?limit=40"
	b.Run("cached", func(b *testing.B) { loadHome(b, s, alice, page) })
	carol := s.user("carol", "")
	b.Run("writes", func(b *testing.B) {
		stop := favouriteChurn(b, s, alice, carol, 10)
		defer stop()
		loadHome(b, s, alice, page)
		b.Logf("page cache so far: %s", mastodon.PageCacheCounts(s.API))
	})
	b.Run("uncached", func(b *testing.B) { loadHome(b, s, alice, page+"&max_id=9223372036854775807") })
}

// loadHome asks for path as alice from parallel clients, and with wrk
// when asked to.
func loadHome(b *testing.B, s *server, alice *client, path string) {
	req := func() (*http.Request, error) {
		r, err := http.NewRequest("GET", "http://"+s.addr+path, nil)
		if err != nil {
			return nil, err
		}
		r.Host = s.domain
		r.Header.Set("Authorization", "Bearer "+alice.token)
		return r, nil
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var mu sync.Mutex
	var latencies []time.Duration
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			r, _ := req()
			t0 := time.Now()
			resp, err := client.Do(r)
			if err != nil {
				b.Error(err)
				return
			}
			buf := make([]byte, 32<<10)
			for {
				if _, err := resp.Body.Read(buf); err != nil {
					break
				}
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(latencies)
	if n := len(latencies); n > 0 {
		b.ReportMetric(float64(n)/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(latencies[n*99/100].Microseconds())/1000, "p99-ms")
	}
	if os.Getenv("PUKEKO_BENCH_WRK") != "" {
		runWrk(b, s, alice.token, path)
	}
}

// favouriteChurn has carol favourite and unfavourite the posts of
// alice's home, perSecond times a second, until stop is called.
func favouriteChurn(b *testing.B, s *server, alice, carol *client, perSecond int) (stop func()) {
	ctx := context.Background()
	posts, err := store.HomeTimeline(ctx, s.DB, alice.identity.ID, store.Page{Limit: 40})
	if err != nil || len(posts) == 0 {
		b.Fatalf("alice's home: %d posts, %v", len(posts), err)
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second / time.Duration(perSecond))
		defer tick.Stop()
		for k := 0; ; k++ {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			action := "favourite"
			if (k/len(posts))%2 == 1 {
				action = "unfavourite"
			}
			if status, body := carol.do("POST", fmt.Sprintf("/api/v1/statuses/%d/%s", posts[k%len(posts)].ID, action), nil); status != http.StatusOK {
				b.Errorf("%s: %d %s", action, status, body)
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

// runWrk loads path with wrk and reports its throughput and
// 99th percentile.
func runWrk(b *testing.B, s *server, token, target string) {
	path, err := exec.LookPath("wrk")
	if err != nil {
		b.Log("wrk is not installed; skipping the wrk run")
		return
	}
	out, err := exec.Command(path, "-t2", "-c32", "-d10s", "--latency",
		"-H", "Authorization: Bearer "+token, "-H", "Host: "+s.domain,
		"http://"+s.addr+target).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk: %v\n%s", err, out)
	}
	b.Logf("wrk:\n%s", out)
	if m := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`).FindSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		b.ReportMetric(v, "wrk-req/s")
	}
	if m := regexp.MustCompile(`99%\s+([0-9.]+)(us|ms|s)`).FindSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		switch string(m[2]) {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		b.ReportMetric(v, "wrk-p99-ms")
	}
}
