// Package server is Pukeko's HTTP skeleton: a standard-library ServeMux
// wrapped in request logging, panic recovery and a request body limit, plus
// health and readiness probes, optional Prometheus request metrics with a
// guarded /metrics endpoint, and graceful shutdown. Later features register
// their routes with [Server.Handle] and [Server.HandleFunc].
package server
