package httpsig

import (
	"context"
	"crypto"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fixture is a signed request with what Verify needs to accept it.
type fixture struct {
	r    *http.Request
	body []byte
	keys KeyFunc
	opts Options
}

// cavageFixture is a POST signed by SignRequest, accepted as is.
func cavageFixture(t *testing.T) *fixture {
	t.Helper()
	r, body := newPost(t)
	r.Header.Del("Content-Digest")
	if err := SignRequest(r, "rsa", testRSAKey(), body, time.Unix(signTime, 0)); err != nil {
		t.Fatal(err)
	}
	keys := staticKeys(map[string]crypto.PublicKey{"rsa": &testRSAKey().PublicKey})
	return &fixture{r: r, body: body, keys: keys, opts: Options{Now: at(signTime + 1), RequireDigest: true}}
}

// rfc9421Fixture is a POST with an RFC 9421 Ed25519 signature, accepted as is.
func rfc9421Fixture(t *testing.T) *fixture {
	t.Helper()
	r, body := newPost(t)
	r.Header.Del("Digest")
	signRFC9421(t, r, "sig1", `("@method" "@target-uri" "content-digest" "content-type");created=1700000000;expires=1700000300;keyid="ed";alg="ed25519"`, testEd25519Key())
	keys := staticKeys(map[string]crypto.PublicKey{"ed": testEd25519Key().Public()})
	return &fixture{r: r, body: body, keys: keys, opts: Options{Now: at(signTime + 1), RequireDigest: true}}
}

// TestFixturesVerify makes sure the failure cases below fail because of
// their mutation and not because the fixtures were broken to begin with.
func TestFixturesVerify(t *testing.T) {
	t.Parallel()
	for name, build := range map[string]func(*testing.T) *fixture{"cavage": cavageFixture, "rfc9421": rfc9421Fixture} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := build(t)
			if _, err := Verify(context.Background(), f.r, f.body, f.keys, f.opts); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// resign replaces the fixture's cavage signature by one over headers.
func resign(t *testing.T, f *fixture, algorithm string, headers ...string) {
	signCavage(t, f.r, "rsa", algorithm, headers, "", testRSAKey())
}

// TestVerifyFailures checks that each kind of bad request is refused with
// an error wrapping ErrUnverified that says what was wrong.
func TestVerifyFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fixture func(*testing.T) *fixture
		mutate  func(t *testing.T, f *fixture)
		want    string
	}{
		{"tampered body", cavageFixture, func(t *testing.T, f *fixture) {
			f.body = []byte(`{"type":"Delete"}`)
		}, "digest mismatch"},
		{"digest header changed", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Digest", digestHeader([]byte("other")))
		}, "digest mismatch"},
		{"body and digest changed together", cavageFixture, func(t *testing.T, f *fixture) {
			f.body = []byte(`{"type":"Delete"}`)
			f.r.Header.Set("Digest", digestHeader(f.body))
		}, "signature does not match"},
		{"digest mismatch even when not required", cavageFixture, func(t *testing.T, f *fixture) {
			f.opts.RequireDigest = false
			f.body = []byte("x")
		}, "digest mismatch"},
		{"digest with only unknown algorithms", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Digest", "MD5=rL0Y20zC+Fzt72VPzMSk2A==")
		}, "no supported algorithm"},
		{"stale date", cavageFixture, func(t *testing.T, f *fixture) {
			f.opts.Now = at(signTime + int64(DefaultMaxSkew/time.Second) + 1)
		}, "date outside allowed skew"},
		{"future date", cavageFixture, func(t *testing.T, f *fixture) {
			f.opts.Now, f.opts.MaxSkew = at(signTime-3601), time.Hour
		}, "date outside allowed skew"},
		{"malformed date", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Date", "yesterday")
		}, "malformed date"},
		{"host altered after signing", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Host = "c.example"
		}, "signature does not match"},
		{"path altered after signing", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.URL.Path = "/users/admin/inbox"
		}, "signature does not match"},
		{"date altered after signing", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Date", time.Unix(signTime+1, 0).UTC().Format(http.TimeFormat))
		}, "signature does not match"},
		{"method altered after signing", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Method = http.MethodPut
		}, "signature does not match"},
		{"wrong key", cavageFixture, func(t *testing.T, f *fixture) {
			f.keys = staticKeys(map[string]crypto.PublicKey{"rsa": &testOtherRSAKey().PublicKey})
		}, "signature does not match"},
		{"Ed25519 key for rsa-sha256", cavageFixture, func(t *testing.T, f *fixture) {
			f.keys = staticKeys(map[string]crypto.PublicKey{"rsa": testEd25519Key().Public()})
		}, "cannot verify rsa-sha256"},
		{"unknown keyId", cavageFixture, func(t *testing.T, f *fixture) {
			f.keys = staticKeys(nil)
		}, `resolve key "rsa": unknown key`},
		{"unsupported algorithm", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature", strings.Replace(f.r.Header.Get("Signature"), "rsa-sha256", "hmac-sha256", 1))
		}, "unsupported algorithm hmac-sha256"},
		{"missing signature", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Del("Signature")
		}, "no signature"},
		{"missing keyId", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature", strings.Replace(f.r.Header.Get("Signature"), `keyId="rsa",`, "", 1))
		}, "missing keyId"},
		{"duplicate parameter", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature", f.r.Header.Get("Signature")+`,headers="date"`)
		}, `duplicate signature parameter "headers"`},
		{"POST without (request-target) covered", cavageFixture, func(t *testing.T, f *fixture) {
			resign(t, f, "rsa-sha256", "host", "date", "digest")
		}, "(request-target) not covered"},
		{"host not covered", cavageFixture, func(t *testing.T, f *fixture) {
			resign(t, f, "rsa-sha256", "(request-target)", "date", "digest")
		}, "host not covered"},
		{"neither date nor (created) covered", cavageFixture, func(t *testing.T, f *fixture) {
			resign(t, f, "rsa-sha256", "(request-target)", "host", "digest")
		}, "neither date nor (created) covered"},
		{"RequireDigest with body, digest not covered", cavageFixture, func(t *testing.T, f *fixture) {
			resign(t, f, "rsa-sha256", "(request-target)", "host", "date")
		}, "digest not covered"},
		{"RequireDigest with body, digest missing", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Del("Digest")
			resign(t, f, "rsa-sha256", "(request-target)", "host", "date")
		}, "missing digest"},
		{"covered header missing", cavageFixture, func(t *testing.T, f *fixture) {
			resign(t, f, "rsa-sha256", "(request-target)", "host", "date", "digest", "content-type")
			f.r.Header.Del("Content-Type")
		}, "covered header content-type missing"},
		{"(created) with rsa-sha256", cavageFixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature", strings.Replace(f.r.Header.Get("Signature"), "date digest", "date digest (created)", 1)+",created=1700000000")
		}, "(created) not allowed with algorithm rsa-sha256"},
		{"created in the future", cavageFixture, func(t *testing.T, f *fixture) {
			signCavage(t, f.r, "rsa", "hs2019", []string{"(request-target)", "(created)", "host", "digest"}, ",created=1700090000", testRSAKey())
		}, "created outside allowed skew"},
		{"expired", cavageFixture, func(t *testing.T, f *fixture) {
			signCavage(t, f.r, "rsa", "hs2019", []string{"(request-target)", "host", "date", "digest", "(expires)"}, ",expires=1699999999.5", testRSAKey())
		}, "signature expired"},

		{"RFC 9421 tampered body", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.body = []byte(`{"type":"Delete"}`)
		}, "content-digest: digest mismatch"},
		{"RFC 9421 covered header altered", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Content-Type", "text/html")
		}, "signature does not match"},
		{"RFC 9421 target altered", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.r.URL.RawQuery = "admin=1"
		}, "signature does not match"},
		{"RFC 9421 scheme differs", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.opts.Scheme = "http"
		}, "signature does not match"},
		{"RFC 9421 expired", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.opts.Now = at(signTime + 301)
		}, "signature expired"},
		{"RFC 9421 created in the future", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.opts.Now, f.opts.MaxSkew = at(signTime-61), time.Minute
		}, "created outside allowed skew"},
		{"RFC 9421 unsupported algorithm", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature-Input", strings.Replace(f.r.Header.Get("Signature-Input"), `"ed25519"`, `"hmac-sha256"`, 1))
		}, "unsupported algorithm hmac-sha256"},
		{"RFC 9421 wrong key type for alg", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.keys = staticKeys(map[string]crypto.PublicKey{"ed": &testRSAKey().PublicKey})
		}, "cannot verify ed25519"},
		{"RFC 9421 method not covered", rfc9421Fixture, func(t *testing.T, f *fixture) {
			signRFC9421(t, f.r, "sig1", `("@target-uri" "content-digest");created=1700000000;keyid="ed"`, testEd25519Key())
		}, "@method not covered"},
		{"RFC 9421 target not covered", rfc9421Fixture, func(t *testing.T, f *fixture) {
			signRFC9421(t, f.r, "sig1", `("@method" "@path" "content-digest");created=1700000000;keyid="ed"`, testEd25519Key())
		}, "request target not covered"},
		{"RFC 9421 no created and no date", rfc9421Fixture, func(t *testing.T, f *fixture) {
			signRFC9421(t, f.r, "sig1", `("@method" "@target-uri" "content-digest");keyid="ed"`, testEd25519Key())
		}, "no created parameter"},
		{"RFC 9421 RequireDigest, content-digest not covered", rfc9421Fixture, func(t *testing.T, f *fixture) {
			signRFC9421(t, f.r, "sig1", `("@method" "@target-uri");created=1700000000;keyid="ed"`, testEd25519Key())
		}, "content-digest not covered"},
		{"RFC 9421 Signature-Input without Signature", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.r.Header.Del("Signature")
		}, "Signature-Input without Signature"},
		{"RFC 9421 label without signature", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature", strings.Replace(f.r.Header.Get("Signature"), "sig1=", "sig2=", 1))
		}, `no signature for label "sig1"`},
		{"RFC 9421 duplicate component", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature-Input", `sig1=("@method" "@method");created=1700000000;keyid="ed"`)
		}, `component "@method" covered twice`},
		{"RFC 9421 unsupported component", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature-Input", `sig1=("@method" "@query-param";name="a");created=1700000000;keyid="ed"`)
		}, "unsupported component parameters"},
		{"RFC 9421 malformed Signature-Input", rfc9421Fixture, func(t *testing.T, f *fixture) {
			f.r.Header.Set("Signature-Input", `sig1=("@method"`)
		}, "malformed Signature-Input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := tt.fixture(t)
			tt.mutate(t, f)
			v, err := Verify(context.Background(), f.r, f.body, f.keys, f.opts)
			if v != nil {
				t.Errorf("returned %+v alongside the error", v)
			}
			wantUnverified(t, err, tt.want)
		})
	}
}

// TestVerifyKeyFuncErrorStaysReachable lets callers tell a failed key fetch
// (network, context) from a bad signature.
func TestVerifyKeyFuncErrorStaysReachable(t *testing.T) {
	t.Parallel()
	f := cavageFixture(t)
	f.keys = func(ctx context.Context, _ string, _ bool) (crypto.PublicKey, error) { return nil, ctx.Err() }
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Verify(ctx, f.r, f.body, f.keys, f.opts)
	if !errors.Is(err, ErrUnverified) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v should wrap both ErrUnverified and context.Canceled", err)
	}
}
