package node_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"pukeko/app/ap"
	"pukeko/app/federation"
	"pukeko/app/httpsig"
	"pukeko/app/model"
	"pukeko/app/store"
)

// testHTTP talks to the nodes directly, by address, naming the site in the
// Host header.
var testHTTP = &http.Client{Timeout: 30 * time.Second}

// newRequest builds a request for path on the node, for host.
func (f *fedNode) newRequest(t *testing.T, method, host, path string, body []byte) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://"+f.addr+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	if body != nil {
		req.Header.Set("Content-Type", ap.ContentType)
	}
	return req
}

// send does req and returns the status and (the start of) the body.
func send(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := testHTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s (Host %s): %v", req.Method, req.URL.Path, req.Host, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, body
}

// get fetches path from the node for host, asking for accept.
func (f *fedNode) get(t *testing.T, host, path, accept string) (int, []byte) {
	t.Helper()
	req := f.newRequest(t, http.MethodGet, host, path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return send(t, req)
}

// signRequest signs req as identity i (a local identity of another node,
// whose private key we hold) over body. A non-zero date replaces now.
func signRequest(t *testing.T, req *http.Request, i *model.Identity, body []byte, date time.Time) {
	t.Helper()
	key, err := httpsig.ParsePrivateKeyPEM(i.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	if !date.IsZero() {
		req.Header.Set("Date", date.UTC().Format(http.TimeFormat))
	}
	if err := httpsig.SignRequest(req, i.PublicKeyID, key, body, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// signerOf is the federation signer of a local identity.
func signerOf(t *testing.T, i *model.Identity) *federation.Signer {
	t.Helper()
	key, err := httpsig.ParsePrivateKeyPEM(i.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	return &federation.Signer{KeyID: i.PublicKeyID, Key: key}
}

var activitySeq atomic.Int64

// activity renders an activity of typ by actor about object (a URI or an
// embedded object), with a fresh id on the actor's server.
func activity(t *testing.T, typ, actor string, object any) []byte {
	t.Helper()
	a := ap.NewActivity(typ, fmt.Sprintf("%s#test/%d", actor, activitySeq.Add(1)), actor, object)
	body, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// inboxCount counts the messages the node stored.
func (f *fedNode) inboxCount(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRow(context.Background(), "SELECT count(*) FROM inbox_messages").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// assertServing checks that the node still answers.
func (f *fedNode) assertServing(t *testing.T) {
	t.Helper()
	if status, body := f.get(t, f.domain, "/.well-known/nodeinfo", ""); status != http.StatusOK {
		t.Fatalf("%s no longer serving: %d %s", f.domain, status, body)
	}
}

// inboxMessage reads the state and result of the message with activity id.
func (f *fedNode) inboxMessage(t *testing.T, activityID string) (state, result string) {
	t.Helper()
	err := f.DB.QueryRow(context.Background(), "SELECT state, result FROM inbox_messages WHERE activity_id = $1",
		activityID).Scan(&state, &result)
	if err != nil && !strings.Contains(err.Error(), "no rows") {
		t.Fatal(err)
	}
	return state, result
}

func activityID(t *testing.T, body []byte) string {
	t.Helper()
	o, err := ap.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID()
}

// Bad input to the inbox is refused with the right status before anything
// is stored, and the node keeps serving; a signed activity of a type we do
// not handle is accepted, stored and processed as ignored.
func TestInboxRefusesBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	bob := b.identity(t, "bob", false)
	if err := store.SetDomainBlocked(ctx, a.DB, "blocked.test", true); err != nil {
		t.Fatal(err)
	}

	huge := append([]byte(`{"type":"Note","actor":"`+bob.URI+`","content":"`), bytes.Repeat([]byte("x"), 10<<20)...)
	huge = append(huge, `"}`...)
	cases := []struct {
		name string
		body []byte
		want int
	}{
		{"not JSON", []byte("this is not JSON"), http.StatusBadRequest},
		{"empty body", []byte{}, http.StatusBadRequest},
		{"JSON array", []byte(`[{"type":"Follow"}]`), http.StatusBadRequest},
		{"JSON null", []byte(`null`), http.StatusBadRequest},
		{"truncated JSON", []byte(`{"type":"Follow","actor":"` + bob.URI), http.StatusBadRequest},
		{"10 MB body", huge, http.StatusRequestEntityTooLarge},
		{"no actor", activity(t, "Follow", "", alice.URI), http.StatusBadRequest},
		{"no type", []byte(`{"id":"` + bob.URI + `#x","actor":"` + bob.URI + `","object":"` + alice.URI + `"}`), http.StatusBadRequest},
		{"actor not a URI", activity(t, "Follow", "bob", alice.URI), http.StatusBadRequest},
		{"NUL character", []byte(`{"type":"Note","actor":"` + bob.URI + `","content":"a\u0000b"}`), http.StatusBadRequest},
		{"NUL character in a key", []byte(`{"type":"Note","actor":"` + bob.URI + `","a\u0000":1}`), http.StatusBadRequest},
		{"actor on a blocked domain", activity(t, "Follow", "http://blocked.test/@eve", alice.URI), http.StatusForbidden},
		{"actor on a subdomain of a blocked domain", activity(t, "Follow", "http://sub.blocked.test/@eve", alice.URI), http.StatusForbidden},
	}
	for _, path := range []string{"/inbox", "/@alice/inbox"} {
		for _, c := range cases {
			status, body := send(t, a.newRequest(t, http.MethodPost, "a.test", path, c.body))
			if status != c.want {
				t.Errorf("%s to %s: status %d (%s), want %d", c.name, path, status, bytes.TrimSpace(body), c.want)
			}
			if status >= 400 && !json.Valid(body) {
				t.Errorf("%s to %s: error body is not JSON: %q", c.name, path, body)
			}
			if n := a.inboxCount(t); n != 0 {
				t.Fatalf("%s to %s: %d messages stored", c.name, path, n)
			}
			a.assertServing(t)
		}
	}

	// A blocked domain is refused even when the activity is signed
	// properly by one of its actors.
	if err := store.SetDomainBlocked(ctx, a.DB, "b.test", true); err != nil {
		t.Fatal(err)
	}
	blocked := activity(t, "Wave", bob.URI, alice.URI)
	req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", blocked)
	signRequest(t, req, bob, blocked, time.Time{})
	if status, body := send(t, req); status != http.StatusForbidden {
		t.Errorf("signed activity from a blocked domain: %d %s, want 403", status, body)
	}
	if n := a.inboxCount(t); n != 0 {
		t.Fatalf("activity from a blocked domain: %d messages stored", n)
	}
	if err := store.SetDomainBlocked(ctx, a.DB, "b.test", false); err != nil {
		t.Fatal(err)
	}

	// Bodies jsonb cannot hold as they are, properly signed: \u0000 is bad
	// input; invalid UTF-8 is refused or stored cleaned, never a 503 the
	// sender would retry for days.
	for _, c := range []struct {
		name string
		body []byte
		want []int
	}{
		{"NUL", []byte(`{"id":"` + bob.URI + `#nul","type":"Note","actor":"` + bob.URI + `","content":"a\u0000b"}`), []int{http.StatusBadRequest}},
		{"invalid UTF-8", []byte("{\"id\":\"" + bob.URI + "#utf8\",\"type\":\"Note\",\"actor\":\"" + bob.URI + "\",\"content\":\"a\xff\xfeb\"}"),
			[]int{http.StatusBadRequest, http.StatusAccepted}},
	} {
		before := a.inboxCount(t)
		req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", c.body)
		signRequest(t, req, bob, c.body, time.Time{})
		status, resp := send(t, req)
		if !slices.Contains(c.want, status) {
			t.Errorf("signed body with %s: %d %s, want one of %v", c.name, status, resp, c.want)
		}
		if stored := a.inboxCount(t) - before; stored != 0 && status != http.StatusAccepted || stored != 1 && status == http.StatusAccepted {
			t.Errorf("signed body with %s: status %d, %d messages stored", c.name, status, stored)
		}
	}
	// An escaped backslash before u0000 is no NUL: accepted.
	escaped := []byte(`{"id":"` + bob.URI + `#escaped","type":"Note","actor":"` + bob.URI + `","content":"a\\u0000b"}`)
	req = a.newRequest(t, http.MethodPost, "a.test", "/inbox", escaped)
	signRequest(t, req, bob, escaped, time.Time{})
	if status, resp := send(t, req); status != http.StatusAccepted {
		t.Errorf("signed body %s: %d %s, want 202", escaped, status, resp)
	}

	// A type nobody handles, signed by a real remote actor: accepted,
	// stored, processed as ignored.
	for _, path := range []string{"/inbox", "/@alice/inbox"} {
		wave := activity(t, "Wave", bob.URI, alice.URI)
		req := a.newRequest(t, http.MethodPost, "a.test", path, wave)
		signRequest(t, req, bob, wave, time.Time{})
		if status, body := send(t, req); status != http.StatusAccepted {
			t.Fatalf("signed Wave to %s: %d %s, want 202", path, status, body)
		}
		id := activityID(t, wave)
		if state, _ := a.inboxMessage(t, id); state == "" {
			t.Fatalf("signed Wave to %s was not stored", path)
		}
		waitUntil(t, "the Wave to be processed", func() bool {
			state, _ := a.inboxMessage(t, id)
			return state != "received"
		})
		if state, result := a.inboxMessage(t, id); state != "processed" || !strings.HasPrefix(result, "ignored") {
			t.Fatalf("Wave to %s ended %s with result %q, want processed, ignored...", path, state, result)
		}
	}
	// The same through the federation client, as another server sends.
	wave := activity(t, "Wave", bob.URI, alice.URI)
	if err := b.Instance.Client.PostActivity(ctx, "http://a.test/inbox", wave, signerOf(t, bob)); err != nil {
		t.Fatalf("PostActivity: %v", err)
	}
	if state, _ := a.inboxMessage(t, activityID(t, wave)); state == "" {
		t.Fatal("the Wave posted by the client was not stored")
	}
	a.assertServing(t)
}

// Only activities signed by their own actor's current key, over the body
// as received, with a fresh Date, are accepted; nothing else is stored.
func TestInboxSignatures(t *testing.T) {
	t.Parallel()
	a, b, alice, bob, carol := aliceBobCarol(t)

	otherDigest := func(body []byte) string {
		sum := sha256.Sum256(append(bytes.Clone(body), ' '))
		return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
	}
	cases := []struct {
		name string
		// build returns the request to send.
		build func(body []byte) *http.Request
		actor *model.Identity
	}{
		{"body changed after signing", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, body, time.Time{})
			changed := bytes.Replace(body, []byte(`"Wave"`), []byte(`"Wink"`), 1)
			req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(changed)), int64(len(changed))
			return req
		}, bob},
		{"wrong Digest header", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, body, time.Time{})
			req.Header.Set("Digest", otherDigest(body))
			return req
		}, bob},
		{"Digest of other content, signed", func(body []byte) *http.Request {
			// A valid signature over a Digest that does not match the body.
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, append(bytes.Clone(body), ' '), time.Time{})
			return req
		}, bob},
		{"no Digest header", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, nil, time.Time{})
			return req
		}, bob},
		{"Date 13 hours old", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, body, time.Now().Add(-13*time.Hour))
			return req
		}, bob},
		{"Date 13 hours ahead", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, body, time.Now().Add(13*time.Hour))
			return req
		}, bob},
		{"signed by another actor of the same server", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, body, time.Time{})
			return req
		}, carol},
		{"signed for another host", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "b.test", "/inbox", body)
			signRequest(t, req, bob, body, time.Time{})
			req.Host = "a.test"
			return req
		}, bob},
		{"signed for another path", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/actor/inbox", body)
			signRequest(t, req, bob, body, time.Time{})
			req.URL.Path = "/inbox"
			return req
		}, bob},
		{"key of an actor that does not exist", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			ghost := *bob
			ghost.PublicKeyID = "http://b.test/@ghost@b.test#main-key"
			signRequest(t, req, &ghost, body, time.Time{})
			return req
		}, bob},
		{"no Signature header", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, body, time.Time{})
			req.Header.Del("Signature")
			return req
		}, bob},
		{"garbage Signature header", func(body []byte) *http.Request {
			req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
			signRequest(t, req, bob, body, time.Time{})
			req.Header.Set("Signature", `keyId="`+bob.PublicKeyID+`",signature="AAAA"`)
			return req
		}, bob},
	}
	for _, c := range cases {
		body := activity(t, "Wave", c.actor.URI, alice.URI)
		status, resp := send(t, c.build(body))
		if status != http.StatusUnauthorized {
			t.Errorf("%s: status %d (%s), want 401", c.name, status, bytes.TrimSpace(resp))
		}
		if n := a.inboxCount(t); n != 0 {
			t.Fatalf("%s: %d messages stored", c.name, n)
		}
	}

	// The control: a correct signature is accepted and stored.
	for _, actor := range []*model.Identity{bob, carol} {
		body := activity(t, "Wave", actor.URI, alice.URI)
		req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
		signRequest(t, req, actor, body, time.Time{})
		if status, resp := send(t, req); status != http.StatusAccepted {
			t.Fatalf("correctly signed by %s: %d %s, want 202", actor.Handle(), status, resp)
		}
		if state, _ := a.inboxMessage(t, activityID(t, body)); state == "" {
			t.Fatalf("correctly signed by %s: not stored", actor.Handle())
		}
	}
	if n := a.inboxCount(t); n != 2 {
		t.Fatalf("%d messages stored, want 2", n)
	}

	// carol rotates her key on b: a, which knows the old one, refetches
	// her actor on the first signature by the new key, and from then on
	// refuses the old key.
	key, err := httpsig.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	rotated := *carol
	rotated.PublicKey, rotated.PrivateKey = httpsig.EncodePublicKeyPEM(&key.PublicKey), httpsig.EncodePrivateKeyPEM(key)
	if _, err := b.DB.Exec(context.Background(), "UPDATE identities SET public_key = $2, private_key = $3 WHERE id = $1",
		carol.ID, rotated.PublicKey, rotated.PrivateKey); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		signer *model.Identity
		want   int
	}{{"new key", &rotated, http.StatusAccepted}, {"old key after the rotation", carol, http.StatusUnauthorized}} {
		body := activity(t, "Wave", carol.URI, alice.URI)
		req := a.newRequest(t, http.MethodPost, "a.test", "/inbox", body)
		signRequest(t, req, c.signer, body, time.Time{})
		if status, resp := send(t, req); status != c.want {
			t.Errorf("signed by carol's %s: %d %s, want %d", c.name, status, resp, c.want)
		}
	}
	if n := a.inboxCount(t); n != 3 {
		t.Fatalf("%d messages stored, want 3", n)
	}
	a.assertServing(t)
}
