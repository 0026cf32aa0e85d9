// Package spec checks Pukeko's Mastodon client API against the reference
// OpenAPI description of Mastodon (shared/mastodon-openapi.json, Mastodon
// 4.7, OpenAPI 3.1), for tests and for coverage reports.
//
// It loads the spec once per process (Load, ForTest), validates a response
// body against the schema documented for its operation and status
// (ValidateResponse), wraps a handler or a client transport so that every
// JSON response under /api/ in a test is validated (Middleware,
// RoundTripper), and reports which operations Pukeko serves (Coverage,
// ServedByMux, WriteCoverage).
//
// The spec is loaded and validated by kin-openapi (openapi3.Loader,
// T.Validate), and bodies are checked by its built-in schema validator
// (Schema.VisitJSON); problems.go turns its errors into one Problem per
// violation, with the JSON pointer of the offending value. keywords.go says
// why the built-in validator rather than kin-openapi's JSON Schema 2020-12
// one, and how the two 2020-12 keywords the spec may use are adapted;
// any other keyword the validator would skip makes Load fail. Operations are
// found by path template with a small matcher of its own (route.go).
//
// Nulls: the spec spells nullability out (OpenAPI 3.1 "type": ["string",
// "null"], or "oneOf": [X, {"type": "null"}]), which kin-openapi honours,
// and null is accepted exactly where it says so; there is no blanket rule.
// Known defects of the spec are listed, each with its reason, in
// allowlist.txt; the one correction that an allowlist entry cannot express
// is made in memory, on the loaded document, by workaround.go.
package spec
