package mastodon_test

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"pukeko/app/social"
)

// BenchmarkStreamingFanout connects 1,000 WebSockets to the public stream
// and measures, per post, the time from posting (through the API's
// behaviour, fan-out in Stator, NOTIFY, one rendering) until the last
// client has read it. It also reports when the first client had it and
// the spread between first and last, the hub's own share.
func BenchmarkStreamingFanout(b *testing.B) {
	const clients = 1000
	s := startServer(b, "a.test", nil)
	closeStreamsFirst(b, s)
	alice := s.user("alice", "")
	reader := s.user("reader", "read")

	var want atomic.Pointer[[]byte]
	var got atomic.Int64
	var first atomic.Int64
	done := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	for range clients {
		conn, _, err := dialStream(s, reader.token, "stream=public")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { conn.CloseNow() })
		go func() {
			for {
				_, msg, err := conn.Read(ctx)
				if err != nil {
					return
				}
				if w := want.Load(); w != nil && bytes.Contains(msg, *w) {
					n := got.Add(1)
					if n == 1 {
						first.Store(time.Now().UnixNano())
					}
					if n == clients {
						done <- struct{}{}
					}
				}
			}
		}()
	}

	var firstTotal, spreadTotal time.Duration
	b.ResetTimer()
	for i := range b.N {
		marker := []byte(fmt.Sprintf("fanout-%d-%d", i, time.Now().UnixNano()))
		got.Store(0)
		want.Store(&marker)
		start := time.Now()
		if _, err := s.Instance.CreatePost(context.Background(), alice.identity, social.PostOptions{Text: string(marker)}); err != nil {
			b.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			b.Fatalf("after 30 s, %d of %d clients had the post", got.Load(), clients)
		}
		end := time.Now()
		f := time.Unix(0, first.Load())
		firstTotal += f.Sub(start)
		spreadTotal += end.Sub(f)
	}
	b.StopTimer()
	b.ReportMetric(float64(firstTotal.Microseconds())/1000/float64(b.N), "first-ms")
	b.ReportMetric(float64(spreadTotal.Microseconds())/1000/float64(b.N), "spread-ms")
}
