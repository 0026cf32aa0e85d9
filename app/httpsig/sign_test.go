package httpsig

import (
	"bytes"
	"context"
	"crypto"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const signTime = 1700000000 // Tue, 14 Nov 2023 22:13:20 GMT

// TestSignRequest checks the headers SignRequest sets and that Verify
// accepts the result.
func TestSignRequest(t *testing.T) {
	t.Parallel()
	key := testRSAKey()
	keys := staticKeys(map[string]crypto.PublicKey{"https://a.example/actor#main-key": &key.PublicKey})
	body := []byte(`{"hello": "world"}`)
	tests := []struct {
		name        string
		method, url string
		host        string // preset r.Host
		date        string // preset Date
		body        []byte
		wantHost    string
		wantDate    string
		wantDigest  string
		wantHeaders string
	}{
		{
			name: "POST with body", method: http.MethodPost, url: "https://b.example/inbox?x=1", body: body,
			wantHost: "b.example", wantDate: "Tue, 14 Nov 2023 22:13:20 GMT",
			wantDigest:  "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
			wantHeaders: `headers="(request-target) host date digest"`,
		},
		{
			name: "GET without body", method: http.MethodGet, url: "https://b.example/users/c",
			wantHost: "b.example", wantDate: "Tue, 14 Nov 2023 22:13:20 GMT",
			wantHeaders: `headers="(request-target) host date"`,
		},
		{
			name: "preset Host and Date kept", method: http.MethodPost, url: "https://10.0.0.1:8443/inbox",
			host: "b.example", date: "Tue, 14 Nov 2023 22:00:00 GMT", body: []byte{},
			wantHost: "b.example", wantDate: "Tue, 14 Nov 2023 22:00:00 GMT",
			wantDigest:  "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
			wantHeaders: `headers="(request-target) host date digest"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(tt.method, tt.url, bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			r.Host = tt.host
			if tt.date != "" {
				r.Header.Set("Date", tt.date)
			}
			if err := SignRequest(r, "https://a.example/actor#main-key", key, tt.body, time.Unix(signTime, 0)); err != nil {
				t.Fatal(err)
			}
			if r.Host != tt.wantHost || r.Header.Get("Date") != tt.wantDate || r.Header.Get("Digest") != tt.wantDigest {
				t.Fatalf("Host %q, Date %q, Digest %q", r.Host, r.Header.Get("Date"), r.Header.Get("Digest"))
			}
			sig := r.Header.Get("Signature")
			for _, want := range []string{`keyId="https://a.example/actor#main-key"`, `algorithm="rsa-sha256"`, tt.wantHeaders, `signature="`} {
				if !strings.Contains(sig, want) {
					t.Fatalf("Signature %q lacks %q", sig, want)
				}
			}
			v, err := Verify(context.Background(), r, tt.body, keys, Options{Now: at(signTime + 30), RequireDigest: true})
			if err != nil {
				t.Fatal(err)
			}
			if v.Algorithm != AlgRSASHA256 || v.Scheme != SchemeDraftCavage {
				t.Fatalf("got %+v", v)
			}
		})
	}
}

// TestSignRequestErrors checks the inputs SignRequest refuses.
func TestSignRequestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, keyID, url string
		nilKey           bool
		want             string
	}{
		{name: "nil key", keyID: "k", url: "https://b.example/", nilKey: true, want: "nil private key"},
		{name: "empty keyId", keyID: "", url: "https://b.example/", want: "invalid keyId"},
		{name: "quote in keyId", keyID: `a"b`, url: "https://b.example/", want: "invalid keyId"},
		{name: "no host", keyID: "k", url: "/inbox", want: "no host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(http.MethodPost, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			key := testRSAKey()
			if tt.nilKey {
				key = nil
			}
			err = SignRequest(r, tt.keyID, key, nil, time.Unix(signTime, 0))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			if r.Header.Get("Signature") != "" {
				t.Fatal("Signature set despite the error")
			}
		})
	}
}

// TestSignRequestOverHTTP sends signed requests through a real (loopback)
// server, so that what net/http does to them on the way (Host, request
// target, header canonicalisation) is covered.
func TestSignRequestOverHTTP(t *testing.T) {
	t.Parallel()
	key := testRSAKey()
	keys := staticKeys(map[string]crypto.PublicKey{"k": &key.PublicKey})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if _, err := Verify(r.Context(), r, body, keys, Options{RequireDigest: true}); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
		}
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name, method, path string
		body               []byte
	}{
		{"POST", http.MethodPost, "/users/a/inbox", []byte(`{"type":"Follow"}`)},
		{"GET with escaped path and query", http.MethodGet, "/users/a%20b/outbox?page=true&min_id=1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(tt.method, srv.URL+tt.path, bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if err := SignRequest(r, "k", key, tt.body, time.Now()); err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			msg, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %s", resp.Status, msg)
			}
		})
	}
}
