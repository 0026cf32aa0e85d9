package imaging

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// A 4000×3000 (12 MP) photo-like JPEG at quality 90, generated once.
var (
	photo12MPOnce sync.Once
	photo12MP     []byte
)

func jpeg12MP(tb testing.TB) []byte {
	photo12MPOnce.Do(func() {
		photo12MP = mustJPEG(tb, photo(4000, 3000, 42), 90)
		runtime.GC() // drop the source pixels before anything is measured
	})
	return photo12MP
}

// peakHeap runs fn while sampling the bytes of live-or-not-yet-swept heap
// objects (runtime/metrics, no stop-the-world) every millisecond, and
// returns the highest value seen. With GOMAXPROCS=1 the sampler still runs
// whenever the scheduler preempts fn (at least every 10 ms), which is fine
// grained enough for allocations that live tens of milliseconds.
func peakHeap(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	peak := read()
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				peak = max(peak, read())
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	return max(peak, read())
}

// BenchmarkProcess12MP processes a 12 MP JPEG end to end: decode, orient,
// (no resize at the default 16.7 MP limit), re-encode, thumbnail, blurhash.
// Run with: go test -run XXX -bench . -benchmem -cpu 1 ./app/media/imaging/
func BenchmarkProcess12MP(b *testing.B) {
	for _, o := range []struct {
		name string
		data []byte
	}{
		{"upright", jpeg12MP(b)},
		{"orientation=6", withExif(jpeg12MP(b), 6)},
	} {
		b.Run(o.name, func(b *testing.B) {
			// Peak heap is sampled on one extra run, so the sampler does
			// not perturb the timed loop.
			runtime.GC()
			peak := peakHeap(func() {
				if _, err := Process(o.data, Options{}); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportAllocs()
			b.SetBytes(int64(len(o.data)))
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := Process(o.data, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time per op: with -cpu 1 this is the single-core cost even
			// when other processes compete for the machine.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// TestProcess12MPBudget holds the memory target: processing a 12 MP photo
// (the input JPEG included) never has more than 150 MB of heap.
func TestProcess12MPBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: generates and processes a 12 MP photo")
	}
	data := withExif(jpeg12MP(t), 6)
	runtime.GC()
	start := time.Now()
	var res *Result
	peak := peakHeap(func() {
		var err error
		if res, err = Process(data, Options{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("12 MP: %v, peak heap %.1f MB, output %d bytes, thumbnail %d×%d",
		time.Since(start), float64(peak)/(1<<20), len(res.Original), res.ThumbWidth, res.ThumbHeight)
	if res.Width != 3000 || res.Height != 4000 {
		t.Errorf("result %d×%d, want 3000×4000", res.Width, res.Height)
	}
	if peak > 150<<20 {
		t.Errorf("peak heap %.1f MB exceeds 150 MB", float64(peak)/(1<<20))
	}
}
