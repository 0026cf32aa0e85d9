package certs

import (
	"context"
	"testing"

	"pukeko/app/testkit"
)

// Two nodes on one database: the first obtains the certificate, the second
// serves it from certmagic_data without asking the CA again.
func TestAutoPostgresStorage(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	const name = "pg.test"
	httpLn, httpsLn := listen(t, "127.0.0.2"), listen(t, "127.0.0.2")
	pebble := testkit.StartPebble(t, map[string]string{name: "127.0.0.2"}, port(httpLn), port(httpsLn))
	opts := Options{
		Email: "admin@example.com", CA: pebble.DirectoryURL, CARoot: pebble.CARootFile,
		Storage: "postgres", DB: db,
		Allowed: allowOnly(name),
	}
	first := startAutoNodeOn(t, httpLn, httpsLn, opts)
	cert1, err := handshake(first.httpsAddr, name, pebble.IssuerRoots)
	if err != nil {
		t.Fatalf("first node: %v", err)
	}
	var stored int
	err = db.QueryRow(context.Background(),
		"SELECT count(*) FROM certmagic_data WHERE key LIKE 'certificates/%/' || $1 || '/' || $1 || '.crt'", name).Scan(&stored)
	if err != nil {
		t.Fatal(err)
	}
	if stored != 1 {
		t.Fatalf("%d certificates for %s in certmagic_data, want 1", stored, name)
	}

	second := startAutoNode(t, "127.0.0.3", opts)
	cert2, err := handshake(second.httpsAddr, name, pebble.IssuerRoots)
	if err != nil {
		t.Fatalf("second node: %v", err)
	}
	if cert1.SerialNumber.Cmp(cert2.SerialNumber) != 0 {
		t.Errorf("second node serves serial %s, first %s", cert2.SerialNumber, cert1.SerialNumber)
	}
	if n := pebble.Orders(); n != 1 {
		t.Errorf("Pebble received %d orders, want 1", n)
	}
}
