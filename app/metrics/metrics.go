// Package metrics builds the Prometheus registry a Pukeko process exposes on
// GET /metrics. The HTTP server and the Stator register their own collectors
// on the registry returned by New.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// New returns a fresh registry holding the Go runtime (go_*) and process
// (process_*) collectors. A private registry rather than
// prometheus.DefaultRegisterer keeps tests and multiple servers in one
// process independent, and exposes only what Pukeko chose to register.
func New() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}
