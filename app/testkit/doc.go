// Package testkit gives tests real parts: one PostgreSQL server per test
// binary (a bundled cluster on the machine's PostgreSQL binaries, or the
// server named by PUKEKO_TEST_DATABASE_URL), a fresh migrated database per
// test cloned from a template in milliseconds, and the pukeko binary built
// once for end-to-end tests.
//
// A package using it declares
//
//	func TestMain(m *testing.M) { testkit.Main(m) }
//
// so the server is stopped when its tests end.
package testkit
