package node_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pukeko/app/httpsig"
	"pukeko/app/model"
	"pukeko/app/node"
	"pukeko/app/node/nodetest"
	"pukeko/app/store"
)

// benchNode starts one node for a benchmark, serving domain on loopback
// (Stator runs unless extraEnv turns it off).
func benchNode(b *testing.B, domain string, extraEnv ...string) (*node.Node, string) {
	b.Helper()
	ln := nodetest.Listen(b)
	env := nodetest.Env(b, domain, nil, append([]string{"PUKEKO_DATABASE_MAX_CONNECTIONS=40"}, extraEnv...)...)
	stator := !slices.Contains(extraEnv, "PUKEKO_STATOR_ENABLED=false")
	n := nodetest.Boot(b, domain, env, node.Options{Stator: stator}, node.Listeners{Plain: ln})
	return n, ln.Addr().String()
}

// BenchmarkInboxVerifyAndStore measures signed inbox POSTs verified and
// stored per second, from 16 concurrent senders over loopback. Requests
// are signed before the clock starts: signing is the sender's cost.
func BenchmarkInboxVerifyAndStore(b *testing.B) {
	n, addr := benchNode(b, "a.test", "PUKEKO_STATOR_ENABLED=false")
	ctx := context.Background()
	target, err := n.Instance.CreateIdentity(ctx, 0, "target", "a.test", "")
	if err != nil {
		b.Fatal(err)
	}
	key, _ := httpsig.GenerateKey()
	sender := &model.Identity{URI: "https://b.test/@sender@b.test", Username: "sender", Domain: "b.test", ActorType: "Person",
		InboxURI: "https://b.test/@sender@b.test/inbox", PublicKeyID: "https://b.test/@sender@b.test#main-key",
		PublicKey: httpsig.EncodePublicKeyPEM(&key.PublicKey)}
	store.EnsureRemoteDomain(ctx, n.DB, "b.test")
	if err := store.SaveRemoteIdentity(ctx, n.DB, sender, time.Hour); err != nil {
		b.Fatal(err)
	}
	total := max(b.N, 200)
	reqs := make([]*http.Request, total)
	bodies := make([][]byte, total)
	for k := range reqs {
		bodies[k] = []byte(fmt.Sprintf(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://b.test/act/%d","type":"Like","actor":%q,"object":%q}`,
			k, sender.URI, target.URI+"/posts/1"))
		r, _ := http.NewRequest("POST", "http://"+addr+"/inbox", nil)
		r.Host = "a.test"
		r.URL.Host = "a.test"
		r.Header.Set("Content-Type", "application/activity+json")
		if err := httpsig.SignRequest(r, sender.PublicKeyID, key, bodies[k], time.Now()); err != nil {
			b.Fatal(err)
		}
		r.URL.Host = addr
		reqs[k] = r
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next, failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= total {
					return
				}
				r := reqs[k]
				r.Body = io.NopCloser(bytes.NewReader(bodies[k]))
				r.ContentLength = int64(len(bodies[k]))
				resp, err := client.Do(r)
				if err != nil || resp.StatusCode != http.StatusAccepted {
					failed.Add(1)
				}
				if resp != nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d inbox POSTs failed", f, total)
	}
	var stored int
	n.DB.QueryRow(ctx, "SELECT count(*) FROM inbox_messages").Scan(&stored)
	if stored != total {
		b.Fatalf("%d of %d activities stored", stored, total)
	}
	b.ReportMetric(float64(total)/elapsed.Seconds(), "posts/s")
}

// BenchmarkSignedDeliveries measures queued deliveries signed and POSTed per
// second by the Stator delivery graph to loopback receivers (which answer
// 202 without checking, so the sender's cost is measured).
func BenchmarkSignedDeliveries(b *testing.B) {
	var received atomic.Int64
	var receivers []string
	for k := range 4 {
		srv := http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			received.Add(1)
			w.WriteHeader(http.StatusAccepted)
		})}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go srv.Serve(ln)
		b.Cleanup(func() { srv.Close() })
		receivers = append(receivers, fmt.Sprintf("r%d.test=%s", k, ln.Addr()))
	}
	n, _ := benchNode(b, "a.test", "PUKEKO_FEDERATION_RESOLVE="+strings.Join(receivers, ","), "PUKEKO_STATOR_CONCURRENCY=32")
	ctx := context.Background()
	sender, err := n.Instance.CreateIdentity(ctx, 0, "sender", "a.test", "")
	if err != nil {
		b.Fatal(err)
	}
	total := max(b.N, 200)
	b.ResetTimer()
	start := time.Now()
	_, err = n.DB.Exec(ctx, `INSERT INTO deliveries (id, sender_id, inbox_uri, host, activity_id, body)
		SELECT $1::bigint + g, $2, 'http://r' || (g % 4) || '.test/inbox', 'r' || (g % 4) || '.test',
		       'https://a.test/act/' || g, '{"type":"Like"}'::jsonb
		FROM generate_series(0, $3::int - 1) g`, int64(model.NewID()), sender.ID, total)
	if err != nil {
		b.Fatal(err)
	}
	for received.Load() < int64(total) {
		time.Sleep(10 * time.Millisecond)
		if time.Since(start) > 5*time.Minute {
			b.Fatalf("only %d of %d delivered", received.Load(), total)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(total)/elapsed.Seconds(), "deliveries/s")
}
