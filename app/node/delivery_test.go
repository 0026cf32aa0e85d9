package node_test

import (
	"bufio"
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pukeko/app/ap"
	"pukeko/app/httpsig"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// fastDeliveryRetries makes failed deliveries come back within a fraction
// of a second instead of after 30 seconds, reconfiguring the graph's state
// (Graph.State returns the declared state for further configuration).
func fastDeliveryRetries(all []*stator.Graph) ([]*stator.Graph, error) {
	for _, g := range all {
		if g.Name() == "deliveries" {
			g.State("new").Retry(stator.Backoff{Base: 100 * time.Millisecond, Max: 400 * time.Millisecond})
			return all, nil
		}
	}
	return nil, errors.New("no deliveries graph")
}

// queueDelivery queues an activity by sender for inbox and returns its id.
func queueDelivery(t *testing.T, n *fedNode, sender *model.Identity, inbox string) int64 {
	t.Helper()
	body := activity(t, "Wave", sender.URI, inbox)
	d := &store.Delivery{SenderID: sender.ID, InboxURI: inbox, Host: ap.Host(inbox), ActivityID: activityID(t, body), Body: body}
	if err := store.QueueDelivery(context.Background(), n.DB, d); err != nil {
		t.Fatal(err)
	}
	return int64(d.ID)
}

type deliveryRow struct {
	state      string
	attempts   int
	lastStatus int
}

func (f *fedNode) delivery(t *testing.T, id int64) deliveryRow {
	t.Helper()
	var d deliveryRow
	err := f.DB.QueryRow(context.Background(), "SELECT state, state_attempts, last_status FROM deliveries WHERE id = $1", id).
		Scan(&d.state, &d.attempts, &d.lastStatus)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// hostFailures reads a host's delivery failures and whether it is backed
// off now (no row: none).
func (f *fedNode) hostFailures(t *testing.T, host string) (failures int, backedOff bool) {
	t.Helper()
	err := f.DB.QueryRow(context.Background(), `SELECT delivery_failures, coalesce(delivery_backoff > now(), false)
		FROM domains WHERE domain = $1`, host).Scan(&failures, &backedOff)
	if err != nil && !strings.Contains(err.Error(), "no rows") {
		t.Fatal(err)
	}
	return failures, backedOff
}

// inboxServer is a remote inbox answering POST /inbox with answer(n) for
// the n-th POST (from 1), after checking the signature against key.
type inboxServer struct {
	*httptest.Server
	posts  atomic.Int32
	mu     sync.Mutex
	errors []string
}

func newInboxServer(t *testing.T, host string, key func() (string, crypto.PublicKey), answer func(n int32) int) *inboxServer {
	s := &inboxServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/inbox" {
			http.NotFound(w, r) // nodeinfo fetches and the like
			return
		}
		n := s.posts.Add(1)
		body, err := io.ReadAll(r.Body)
		if err == nil && r.Host != host {
			err = fmt.Errorf("Host %q, want %q", r.Host, host)
		}
		if err == nil {
			keyID, pub := key()
			_, err = httpsig.Verify(r.Context(), r, body, func(_ context.Context, id string, _ bool) (crypto.PublicKey, error) {
				if id != keyID {
					return nil, fmt.Errorf("unknown key %s", id)
				}
				return pub, nil
			}, httpsig.Options{RequireDigest: true})
		}
		if err != nil {
			s.mu.Lock()
			s.errors = append(s.errors, fmt.Sprintf("POST %d: %v", n, err))
			s.mu.Unlock()
		}
		w.WriteHeader(answer(n))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *inboxServer) check(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.errors {
		t.Error(e)
	}
}

// identityKey makes the key of an identity known to an inbox server once
// it exists.
type identityKey struct {
	p atomic.Pointer[model.Identity]
}

func (k *identityKey) get() (string, crypto.PublicKey) {
	i := k.p.Load()
	if i == nil {
		return "", nil
	}
	pub, err := httpsig.ParsePublicKeyPEM(i.PublicKey)
	if err != nil {
		return "", nil
	}
	return i.PublicKeyID, pub
}

// A delivery answered 500 is retried and sent on the second POST; one
// answered 404 fails at once, without counting against the host.
func TestDeliveryRetriesAndGivesUp(t *testing.T) {
	t.Parallel()
	var key identityKey
	flaky := newInboxServer(t, "flaky.test", key.get, func(n int32) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusAccepted
	})
	gone := newInboxServer(t, "gone.test", key.get, func(int32) int { return http.StatusNotFound })
	nodes := startFederationWith(t, fedOptions{
		resolve: map[string]string{"flaky.test": flaky.Listener.Addr().String(), "gone.test": gone.Listener.Addr().String()},
		graphs:  fastDeliveryRetries,
	}, "a.test")
	a := nodes[0]
	alice := a.identity(t, "alice", false)
	key.p.Store(alice)

	toFlaky := queueDelivery(t, a, alice, "http://flaky.test/inbox")
	toGone := queueDelivery(t, a, alice, "http://gone.test/inbox")
	waitUntil(t, "the delivery to flaky.test to be sent", func() bool { return a.delivery(t, toFlaky).state != "new" })
	if d := a.delivery(t, toFlaky); d.state != "sent" {
		t.Fatalf("delivery to flaky.test: %+v, want sent", d)
	}
	if n := flaky.posts.Load(); n != 2 {
		t.Fatalf("flaky.test got %d POSTs, want 2", n)
	}
	if failures, backedOff := a.hostFailures(t, "flaky.test"); failures != 0 || backedOff {
		t.Fatalf("flaky.test after a success: %d failures, backed off %v", failures, backedOff)
	}

	waitUntil(t, "the delivery to gone.test to end", func() bool { return a.delivery(t, toGone).state != "new" })
	if d := a.delivery(t, toGone); d.state != "failed" || d.lastStatus != 404 {
		t.Fatalf("delivery to gone.test: %+v, want failed with status 404", d)
	}
	if n := gone.posts.Load(); n != 1 {
		t.Fatalf("gone.test got %d POSTs, want 1", n)
	}
	if failures, backedOff := a.hostFailures(t, "gone.test"); failures != 0 || backedOff {
		t.Fatalf("a 404 counted against gone.test: %d failures, backed off %v", failures, backedOff)
	}
	flaky.check(t)
	gone.check(t)
}

// downPeer accepts connections and drops each one once it has read the
// request line, as a server that is going down would; it counts the POSTs
// that reached it.
type downPeer struct {
	ln    net.Listener
	posts atomic.Int32
}

func newDownPeer(t *testing.T) *downPeer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &downPeer{ln: ln}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				line, _ := bufio.NewReader(c).ReadString('\n')
				if strings.HasPrefix(line, "POST ") {
					p.posts.Add(1)
				}
			})
		}
	})
	return p
}

// Deliveries to a server that is down fail and count against it; from the
// third failure the host is backed off and its deliveries wait, without
// being attempted, until the backoff ends.
func TestDeliveryBacksOffDownHost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	down := newDownPeer(t)
	// A port where nothing listens any more.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()
	nodes := startFederationWith(t, fedOptions{
		resolve: map[string]string{"down.test": down.ln.Addr().String(), "closed.test": closedAddr},
		graphs:  fastDeliveryRetries,
	}, "a.test")
	a := nodes[0]
	alice := a.identity(t, "alice", false)

	for _, host := range []string{"down.test", "closed.test"} {
		var ids []int64
		for i := range 5 {
			ids = append(ids, queueDelivery(t, a, alice, fmt.Sprintf("http://%s/@user%d/inbox", host, i)))
		}
		waitUntil(t, host+" to be backed off", func() bool {
			failures, backedOff := a.hostFailures(t, host)
			return failures >= 3 && backedOff
		})
		// Once every delivery has come back from its attempt, each waits for
		// the host's backoff (a minute), not for its own retry (< 1s).
		waitUntil(t, "every delivery to "+host+" to wait for the backoff", func() bool {
			var waiting int
			err := a.DB.QueryRow(ctx, `SELECT count(*) FROM deliveries WHERE id = ANY($1) AND state = 'new'
				AND state_locked_until IS NULL AND state_next_attempt > now() + interval '30 seconds'`, ids).Scan(&waiting)
			if err != nil {
				t.Fatal(err)
			}
			return waiting == len(ids)
		})
		attempts := func() int {
			var n int
			if err := a.DB.QueryRow(ctx, "SELECT sum(state_attempts) FROM deliveries WHERE id = ANY($1)", ids).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before, posts := attempts(), down.posts.Load()
		if before < 3 {
			t.Fatalf("%s: %d failed attempts recorded before the backoff, want at least 3", host, before)
		}
		// Without the backoff, five deliveries retried every 400ms at most
		// would make about twenty attempts in two seconds.
		time.Sleep(2 * time.Second)
		if after := attempts(); after != before {
			t.Fatalf("%s: attempts grew from %d to %d while the host was backed off", host, before, after)
		}
		if host == "down.test" {
			if n := down.posts.Load(); n != posts {
				t.Fatalf("down.test got %d more POSTs while backed off", n-posts)
			}
			if posts < 3 {
				t.Fatalf("down.test got %d POSTs before the backoff, want at least 3", posts)
			}
		}
		if failures, backedOff := a.hostFailures(t, host); failures < 3 || !backedOff {
			t.Fatalf("%s: %d failures, backed off %v", host, failures, backedOff)
		}
		for _, id := range ids {
			if d := a.delivery(t, id); d.state != "new" {
				t.Fatalf("%s: delivery %d is %s, want new (waiting)", host, id, d.state)
			}
		}
	}
}
