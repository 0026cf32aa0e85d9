package stator

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// metrics counts this process's work for /metrics and the per-minute
// throughput table, and exposes the shared stats table as gauges.
type metrics struct {
	handled   *prometheus.CounterVec
	failed    *prometheus.CounterVec
	durations *prometheus.HistogramVec

	mu     sync.Mutex
	minute map[[2]string][2]int64 // (graph, state) -> handled, failed since the last flush
}

func newMetrics(reg prometheus.Registerer, pool *pgxpool.Pool) (*metrics, error) {
	m := &metrics{
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pukeko_stator_handled_total",
			Help: "Rows this process handled, by graph and the state they were in.",
		}, []string{"graph", "state"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pukeko_stator_failed_total",
			Help: "Handler attempts that failed (error, panic or undeclared transition), by graph and state.",
		}, []string{"graph", "state"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pukeko_stator_handler_duration_seconds",
			Help:    "How long handlers ran, by graph and state.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}, []string{"graph", "state"}),
		minute: map[[2]string][2]int64{},
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.handled, m.failed, m.durations, &statsCollector{pool: pool}} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

func (m *metrics) observe(graph, state string, failed, ran bool) {
	m.handled.WithLabelValues(graph, state).Inc()
	if failed {
		m.failed.WithLabelValues(graph, state).Inc()
	}
	m.mu.Lock()
	c := m.minute[[2]string{graph, state}]
	c[0]++
	if failed {
		c[1]++
	}
	m.minute[[2]string{graph, state}] = c
	m.mu.Unlock()
}

func (m *metrics) duration(graph, state string, d time.Duration) {
	m.durations.WithLabelValues(graph, state).Observe(d.Seconds())
}

// takeMinute returns and resets the counts since the last call.
func (m *metrics) takeMinute() map[[2]string][2]int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.minute
	m.minute = map[[2]string][2]int64{}
	return out
}

// statsCollector reports the stats table (written by whichever runner
// collected last) as gauges, read at most every few seconds.
type statsCollector struct {
	pool   *pgxpool.Pool
	mu     sync.Mutex
	read   time.Time
	cached []prometheus.Metric
}

var (
	rowsDesc      = prometheus.NewDesc("pukeko_stator_rows", "Rows by graph and state, as last collected.", []string{"graph", "state"}, nil)
	dueDesc       = prometheus.NewDesc("pukeko_stator_due_rows", "Rows due for handling, by graph and state.", []string{"graph", "state"}, nil)
	oldestDueDesc = prometheus.NewDesc("pukeko_stator_oldest_due_seconds", "Age of the oldest due row, by graph and state.", []string{"graph", "state"}, nil)
)

func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- rowsDesc
	ch <- dueDesc
	ch <- oldestDueDesc
}

func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.read) > 5*time.Second {
		c.cached = c.load()
		c.read = time.Now()
	}
	for _, m := range c.cached {
		ch <- m
	}
}

func (c *statsCollector) load() []prometheus.Metric {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := c.pool.Query(ctx, "SELECT graph, state, rows, due, oldest_due_seconds FROM stator_stats")
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []prometheus.Metric
	for rows.Next() {
		var graph, state string
		var n, due int64
		var oldest float64
		if rows.Scan(&graph, &state, &n, &due, &oldest) != nil {
			return nil
		}
		out = append(out,
			prometheus.MustNewConstMetric(rowsDesc, prometheus.GaugeValue, float64(n), graph, state),
			prometheus.MustNewConstMetric(dueDesc, prometheus.GaugeValue, float64(due), graph, state),
			prometheus.MustNewConstMetric(oldestDueDesc, prometheus.GaugeValue, oldest, graph, state))
	}
	return out
}
