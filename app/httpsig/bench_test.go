package httpsig

import (
	"context"
	"crypto"
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkSignRequest measures signing a delivery with a 2048-bit key.
func BenchmarkSignRequest(b *testing.B) {
	key := testRSAKey()
	body := []byte(`{"type":"Create","object":{"type":"Note","content":"hello"}}`)
	now := time.Unix(signTime, 0)
	for b.Loop() {
		r, err := http.NewRequest(http.MethodPost, "https://b.example/inbox", nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := SignRequest(r, "https://a.example/actor#main-key", key, body, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyDraftCavage measures verifying a signed delivery with a
// 2048-bit key, key lookup excluded (a map hit).
func BenchmarkVerifyDraftCavage(b *testing.B) {
	key := testRSAKey()
	keys := staticKeys(map[string]crypto.PublicKey{"k": &key.PublicKey})
	body := []byte(`{"type":"Create","object":{"type":"Note","content":"hello"}}`)
	r, err := http.NewRequest(http.MethodPost, "https://b.example/inbox", strings.NewReader(string(body)))
	if err != nil {
		b.Fatal(err)
	}
	if err := SignRequest(r, "k", key, body, time.Unix(signTime, 0)); err != nil {
		b.Fatal(err)
	}
	opts := Options{Now: at(signTime), RequireDigest: true}
	ctx := context.Background()
	for b.Loop() {
		if _, err := Verify(ctx, r, body, keys, opts); err != nil {
			b.Fatal(err)
		}
	}
}
