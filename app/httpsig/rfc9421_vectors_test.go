package httpsig

import (
	"context"
	"crypto"
	"slices"
	"testing"
)

// RFC 9421 example times: created of B.2.x, and of the proxy signature of
// section 4.3 (which expires 60 seconds later).
const (
	rfc9421Created = 1618884473
	proxyCreated   = 1618884480
)

// rfc9421Keys serves the RFC 9421 Appendix B.1 public keys by their names.
func rfc9421Keys(t testing.TB) KeyFunc {
	return staticKeys(map[string]crypto.PublicKey{
		"test-key-rsa":     publicKeyFile(t, "rfc9421/test-key-rsa.pem"),
		"test-key-rsa-pss": publicKeyFile(t, "rfc9421/test-key-rsa-pss.pem"),
		"test-key-ed25519": publicKeyFile(t, "rfc9421/test-key-ed25519.pem"),
	})
}

// TestVerifyRFC9421Examples runs the RFC 9421 examples through Verify.
func TestVerifyRFC9421Examples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		request       string
		headers       []string
		now           int64
		requireDigest bool
		want          Verified
		wantErr       string
	}{
		{
			name:    "B.2.6 ed25519",
			request: "rfc9421/test-request.http", headers: []string{"rfc9421/b2.6-ed25519.headers"},
			now: rfc9421Created + 5,
			want: Verified{KeyID: "test-key-ed25519", Scheme: SchemeRFC9421, Algorithm: AlgEd25519,
				Covered: []string{"date", "@method", "@path", "@authority", "content-type", "content-length"}},
		},
		{
			name:    "B.2.3 rsa-pss-sha512 without alg",
			request: "rfc9421/test-request.http", headers: []string{"rfc9421/b2.3-rsa-pss.headers"},
			now: rfc9421Created + 5, requireDigest: true,
			want: Verified{KeyID: "test-key-rsa-pss", Scheme: SchemeRFC9421, Algorithm: AlgRSAPSSSHA512,
				Covered: []string{"date", "@method", "@path", "@query", "@authority", "content-type", "content-digest", "content-length"}},
		},
		{
			name:    "4.3 rsa-v1_5-sha256 proxy signature next to an ECDSA one",
			request: "rfc9421/s4.3-proxy.http",
			now:     proxyCreated + 20, requireDigest: true,
			want: Verified{KeyID: "test-key-rsa", Scheme: SchemeRFC9421, Algorithm: AlgRSAV15SHA256,
				Covered: []string{"@method", "@authority", "@path", "content-digest", "content-type", "content-length", "forwarded"}},
		},
		{
			name:    "4.3 after expiry",
			request: "rfc9421/s4.3-proxy.http",
			now:     proxyCreated + 61,
			wantErr: "signature expired",
		},
		{
			name:    "B.2.6 without content-digest covered, digest required",
			request: "rfc9421/test-request.http", headers: []string{"rfc9421/b2.6-ed25519.headers"},
			now: rfc9421Created + 5, requireDigest: true,
			wantErr: "content-digest not covered",
		},
		{
			name:    "B.2.1 covers nothing",
			request: "rfc9421/test-request.http", headers: []string{"rfc9421/b2.1-rsa-pss.headers"},
			now:     rfc9421Created + 5,
			wantErr: "@method not covered",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, body := readRequest(t, tt.request, tt.headers...)
			v, err := Verify(context.Background(), r, body, rfc9421Keys(t), Options{Now: at(tt.now), RequireDigest: tt.requireDigest})
			if tt.wantErr != "" {
				wantUnverified(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.KeyID != tt.want.KeyID || v.Scheme != tt.want.Scheme || v.Algorithm != tt.want.Algorithm || !slices.Equal(v.Covered, tt.want.Covered) {
				t.Fatalf("got %+v, want %+v", *v, tt.want)
			}
		})
	}
}

// TestRFC9421SignatureBases rebuilds example signature bases and checks the
// published signatures over them directly, including B.2.1, which Verify
// rightly refuses for covering nothing.
func TestRFC9421SignatureBases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, headers, key, alg string
		wantBase                string // testdata file; "" when the RFC prints none we hold
	}{
		{"B.2.1 rsa-pss-sha512", "rfc9421/b2.1-rsa-pss.headers", "rfc9421/test-key-rsa-pss.pem", AlgRSAPSSSHA512, ""},
		{"B.2.3 rsa-pss-sha512", "rfc9421/b2.3-rsa-pss.headers", "rfc9421/test-key-rsa-pss.pem", AlgRSAPSSSHA512, ""},
		{"B.2.6 ed25519", "rfc9421/b2.6-ed25519.headers", "rfc9421/test-key-ed25519.pem", AlgEd25519, "rfc9421/b2.6-ed25519.base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, _ := readRequest(t, "rfc9421/test-request.http", tt.headers)
			s, err := parseRFC9421(r)
			if err != nil {
				t.Fatal(err)
			}
			base, err := rfc9421Base(r, s, schemeOf(r, ""))
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantBase != "" {
				if want := readTestdata(t, tt.wantBase); base != want {
					t.Fatalf("base\n%s\nwant\n%s", base, want)
				}
			}
			alg, err := verifyRFC9421Signature(publicKeyFile(t, tt.key), s.alg, []byte(base), s.signature)
			if err != nil {
				t.Fatal(err)
			}
			if alg != tt.alg {
				t.Fatalf("algorithm %s, want %s", alg, tt.alg)
			}
		})
	}
}
