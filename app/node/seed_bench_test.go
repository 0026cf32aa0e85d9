package node_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pukeko/app/cli"
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
	"pukeko/app/testkit"
)

// dev seed writes the identities, follows, posts and home timelines asked
// for, and refuses a second run (it made a user) unless forced.
func TestDevSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testkit.DB(t)
	if err := store.CreateLocalDomain(ctx, pool, &model.Domain{Domain: "s.test", Local: true, Public: true, Default: true,
		SiteName: "s", SignupPolicy: model.SignupClosed}); err != nil {
		t.Fatal(err)
	}
	in := &social.Instance{DB: pool, Scheme: "http", MainDomain: "s.test"}
	res, err := cli.DevSeed(ctx, in, cli.SeedOptions{Identities: 50, Posts: 500, Follows: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	// Events: every post for its author and its 5 followers.
	if res.Identities != 50 || res.Follows != 250 || res.Posts != 500 || res.Events != 500*6 {
		t.Fatalf("seeded %+v", res)
	}
	count := func(q string) int {
		var n int
		if err := pool.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := count("SELECT count(DISTINCT public_key) FROM identities WHERE username LIKE 'seed%'"); got != 1 {
		t.Fatalf("%d distinct keys, want one shared", got)
	}
	if got := count("SELECT count(*) FROM users"); got != 1 {
		t.Fatalf("%d users", got)
	}
	seed1, err := store.IdentityByURI(ctx, pool, "http://s.test/@seed1@s.test")
	if err != nil || seed1 == nil || seed1.InboxURI != seed1.URI+"/inbox" || seed1.PublicKeyID != seed1.URI+"#main-key" {
		t.Fatalf("seed1: %+v (%v)", seed1, err)
	}
	// seed1 follows seed2..seed6: its home holds their posts and its own,
	// newest first.
	home, err := store.HomeTimeline(ctx, pool, seed1.ID, store.Page{Limit: 40})
	if err != nil || len(home) != 40 {
		t.Fatalf("home of seed1: %d posts (%v)", len(home), err)
	}
	for k := 1; k < len(home); k++ {
		if home[k].ID >= home[k-1].ID {
			t.Fatal("home not newest first")
		}
	}
	if _, err := cli.DevSeed(ctx, in, cli.SeedOptions{Identities: 5, Posts: 5, Follows: 1}); !errors.Is(err, cli.ErrNotEmpty) {
		t.Fatalf("second run without force: %v", err)
	}
	res, err = cli.DevSeed(ctx, in, cli.SeedOptions{Identities: 5, Posts: 5, Follows: 1, Force: true})
	if err != nil || res.Identities != 5 {
		t.Fatalf("forced second run: %+v (%v)", res, err)
	}
	if got := count("SELECT count(*) FROM identities WHERE username LIKE 'seed%'"); got != 55 {
		t.Fatalf("%d seeded identities after two runs", got)
	}
}

// BenchmarkRemoteFanOut measures one local post going out to 2,000 remote
// followers on 200 hosts (shared inboxes: one delivery per host), from
// CreatePost until every host received the Create. The receivers are
// loopback httptest servers answering 202, named r0.test ... r199.test
// through federation.resolve; the remote identities and follows are
// written in SQL. Target: under 5 s per post.
func BenchmarkRemoteFanOut(b *testing.B) {
	const hosts, perHost = 200, 10
	var mu sync.Mutex
	got := map[string]map[string]bool{} // activity id -> hosts that received it
	var resolve []string
	for k := range hosts {
		host := fmt.Sprintf("r%d.test", k)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var a struct {
				ID string `json:"id"`
			}
			json.Unmarshal(body, &a)
			mu.Lock()
			if got[a.ID] == nil {
				got[a.ID] = map[string]bool{}
			}
			got[a.ID][host] = true
			mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
		}))
		b.Cleanup(srv.Close)
		resolve = append(resolve, host+"="+strings.TrimPrefix(srv.URL, "http://"))
	}
	n, _ := benchNode(b, "a.test", "PUKEKO_FEDERATION_RESOLVE="+strings.Join(resolve, ","), "PUKEKO_STATOR_CONCURRENCY=64")
	ctx := context.Background()
	author, err := n.Instance.CreateIdentity(ctx, 0, "author", "a.test", "")
	if err != nil {
		b.Fatal(err)
	}
	base := int64(model.NewID())
	for _, q := range []string{
		`INSERT INTO domains (domain, local, state, state_next_attempt)
			SELECT 'r' || h || '.test', false, 'updated', NULL FROM generate_series(0, $2::int - 1) h
			WHERE $1::bigint <> $4::bigint AND $3::int > 0`,
		`INSERT INTO identities (id, uri, local, username, domain, inbox_uri, shared_inbox_uri, state, state_next_attempt, fetched)
			SELECT $1::bigint + g, 'http://r' || (g % $2) || '.test/users/u' || g, false, 'u' || g, 'r' || (g % $2) || '.test',
				'http://r' || (g % $2) || '.test/users/u' || g || '/inbox', 'http://r' || (g % $2) || '.test/inbox', 'updated', NULL, now()
			FROM generate_series(0, $2::int * $3::int - 1) g WHERE $4::bigint <> 0`,
		`INSERT INTO follows (id, source_id, target_id, uri, state, state_next_attempt)
			SELECT $1::bigint + $2::int * $3::int + g, $1::bigint + g, $4, 'http://r' || (g % $2) || '.test/users/u' || g || '#follow', 'accepted', NULL
			FROM generate_series(0, $2::int * $3::int - 1) g`,
	} {
		if _, err := n.DB.Exec(ctx, q, base, hosts, perHost, int64(author.ID)); err != nil {
			b.Fatalf("%v\n%s", err, q)
		}
	}
	received := func(id string) int {
		mu.Lock()
		defer mu.Unlock()
		return len(got[id])
	}
	var took []time.Duration
	b.ResetTimer()
	for k := range b.N {
		start := time.Now()
		p, err := n.Instance.CreatePost(ctx, author, social.PostOptions{Text: fmt.Sprintf("to everyone %d", k)})
		if err != nil {
			b.Fatal(err)
		}
		for received(p.URI+"/activity") < hosts {
			if time.Since(start) > 2*time.Minute {
				b.Fatalf("only %d of %d hosts received the post", received(p.URI+"/activity"), hosts)
			}
			time.Sleep(5 * time.Millisecond)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	var total time.Duration
	for _, d := range took {
		total += d
	}
	b.ReportMetric((total / time.Duration(len(took))).Seconds(), "s-to-all-hosts")
}
