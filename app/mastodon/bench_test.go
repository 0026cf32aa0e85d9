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
// its figures.
func BenchmarkHomeTimelineAPI(b *testing.B) {
	mastodon.VerifyRendering(false)
	defer mastodon.VerifyRendering(true)
	s := startServer(b, "a.test", nil, "PUKEKO_API_RATE_LIMIT=0")
	alice := seedHome(b, s, 60)
	req := func() (*http.Request, error) {
		r, err := http.NewRequest("GET", "http://"+s.addr+"/api/v1/timelines/home?limit=40", nil)
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
		runWrk(b, s, alice.token)
	}
}

// runWrk loads the home timeline with wrk and reports its throughput and
// 99th percentile.
func runWrk(b *testing.B, s *server, token string) {
	path, err := exec.LookPath("wrk")
	if err != nil {
		b.Log("wrk is not installed; skipping the wrk run")
		return
	}
	out, err := exec.Command(path, "-t2", "-c32", "-d10s", "--latency",
		"-H", "Authorization: Bearer "+token, "-H", "Host: "+s.domain,
		"http://"+s.addr+"/api/v1/timelines/home?limit=40").CombinedOutput()
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
