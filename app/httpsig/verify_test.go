package httpsig

import (
	"context"
	"crypto"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// newPost returns a client-side POST to https://b.example/inbox with a
// Date and a JSON body, ready to be signed.
func newPost(t testing.TB) (*http.Request, []byte) {
	t.Helper()
	body := []byte(`{"type":"Create"}`)
	r, err := http.NewRequest(http.MethodPost, "https://b.example/inbox", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	r.Host = "b.example"
	r.Header.Set("Date", time.Unix(signTime, 0).UTC().Format(http.TimeFormat))
	r.Header.Set("Content-Type", "application/activity+json")
	r.Header.Set("Digest", digestHeader(body))
	r.Header.Set("Content-Digest", "sha-256=:"+strings.TrimPrefix(digestHeader(body), "SHA-256=")+":")
	return r, body
}

// TestVerifyAccepts covers the signature forms Verify must accept beyond
// the published vectors.
func TestVerifyAccepts(t *testing.T) {
	t.Parallel()
	rsaKey, edKey := testRSAKey(), testEd25519Key()
	keys := staticKeys(map[string]crypto.PublicKey{"rsa": &rsaKey.PublicKey, "ed": edKey.Public()})
	withDigest := []string{"(request-target)", "host", "date", "digest"}
	tests := []struct {
		name    string
		sign    func(t *testing.T, r *http.Request)
		wantAlg string
		wantCov []string
	}{
		{
			name: "hs2019 with an RSA key",
			sign: func(t *testing.T, r *http.Request) {
				signCavage(t, r, "rsa", "hs2019", withDigest, "", rsaKey)
			},
			wantAlg: AlgHS2019RSA, wantCov: withDigest,
		},
		{
			name: "hs2019 with an Ed25519 key and (created)",
			sign: func(t *testing.T, r *http.Request) {
				h := []string{"(request-target)", "(created)", "host", "digest"}
				signCavage(t, r, "ed", "hs2019", h, ",created=1700000000", edKey)
			},
			wantAlg: AlgHS2019Ed25519, wantCov: []string{"(request-target)", "(created)", "host", "digest"},
		},
		{
			name: "no algorithm parameter, RSA key",
			sign: func(t *testing.T, r *http.Request) {
				signCavage(t, r, "rsa", "hs2019", withDigest, "", rsaKey)
				r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `algorithm="hs2019",`, "", 1))
			},
			wantAlg: AlgHS2019RSA, wantCov: withDigest,
		},
		{
			name: "rsa-sha256 in the Authorization header",
			sign: func(t *testing.T, r *http.Request) {
				signCavage(t, r, "rsa", "rsa-sha256", withDigest, "", rsaKey)
				r.Header.Set("Authorization", "Signature "+r.Header.Get("Signature"))
				r.Header.Del("Signature")
			},
			wantAlg: AlgRSASHA256, wantCov: withDigest,
		},
		{
			name: "RFC 9421 ed25519 without alg",
			sign: func(t *testing.T, r *http.Request) {
				signRFC9421(t, r, "sig1", `("@method" "@target-uri" "content-digest");created=1700000000;keyid="ed"`, edKey)
			},
			wantAlg: AlgEd25519, wantCov: []string{"@method", "@target-uri", "content-digest"},
		},
		{
			name: "RFC 9421 rsa-v1_5-sha256, second label",
			sign: func(t *testing.T, r *http.Request) {
				signRFC9421(t, r, "b", `("@method" "@path" "@authority" "content-digest" "date");keyid="rsa";alg="rsa-v1_5-sha256"`, rsaKey)
				r.Header.Set("Signature-Input", `a=("@method");keyid="x";alg="hmac-sha256", `+r.Header.Get("Signature-Input"))
				r.Header.Set("Signature", "a=:AAAA:, "+r.Header.Get("Signature"))
			},
			wantAlg: AlgRSAV15SHA256, wantCov: []string{"@method", "@path", "@authority", "content-digest", "date"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, body := newPost(t)
			tt.sign(t, r)
			v, err := Verify(context.Background(), r, body, keys, Options{Now: at(signTime + 1), RequireDigest: true})
			if err != nil {
				t.Fatal(err)
			}
			if v.Algorithm != tt.wantAlg || !slices.Equal(v.Covered, tt.wantCov) {
				t.Fatalf("got %+v, want algorithm %s covering %v", v, tt.wantAlg, tt.wantCov)
			}
		})
	}
}
