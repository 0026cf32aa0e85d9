package httpsig

import (
	"bufio"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// readTestdata returns the contents of testdata/name.
func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readRequest parses testdata/name as a server would receive it, with the
// header lines of headerFiles inserted after its own, and returns it with
// its body.
func readRequest(t testing.TB, name string, headerFiles ...string) (*http.Request, []byte) {
	t.Helper()
	head, body, ok := strings.Cut(readTestdata(t, name), "\n\n")
	if !ok {
		t.Fatalf("%s: no blank line after the header", name)
	}
	for _, f := range headerFiles {
		head += "\n" + strings.TrimRight(readTestdata(t, f), "\n")
	}
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head + "\n\n" + body)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("%s: body: %v", name, err)
	}
	return r, b
}

// publicKeyFile parses testdata/name with ParsePublicKeyPEM.
func publicKeyFile(t testing.TB, name string) crypto.PublicKey {
	t.Helper()
	k, err := ParsePublicKeyPEM(readTestdata(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return k
}

// errUnknownKey is what staticKeys returns for a keyId it does not know.
var errUnknownKey = errors.New("unknown key")

// staticKeys is a KeyFunc serving fixed keys, ignoring refresh.
func staticKeys(keys map[string]crypto.PublicKey) KeyFunc {
	return func(_ context.Context, keyID string, _ bool) (crypto.PublicKey, error) {
		if k, ok := keys[keyID]; ok {
			return k, nil
		}
		return nil, fmt.Errorf("%w %q", errUnknownKey, keyID)
	}
}

// keyCalls records the refresh flag of every KeyFunc call.
type keyCalls struct {
	mu    sync.Mutex
	calls []bool
}

// keyFunc serves first on the first call and second on the refresh call.
func (c *keyCalls) keyFunc(first, second crypto.PublicKey) KeyFunc {
	return func(_ context.Context, _ string, refresh bool) (crypto.PublicKey, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.calls = append(c.calls, refresh)
		if refresh {
			return second, nil
		}
		return first, nil
	}
}

func (c *keyCalls) get() []bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]bool(nil), c.calls...)
}

// at returns an Options.Now that always says unix.
func at(unix int64) func() time.Time {
	return func() time.Time { return time.Unix(unix, 0) }
}

// wantUnverified fails unless err wraps ErrUnverified and mentions want.
func wantUnverified(t testing.TB, err error, want string) {
	t.Helper()
	switch {
	case err == nil:
		t.Fatalf("verified, want failure mentioning %q", want)
	case !errors.Is(err, ErrUnverified):
		t.Fatalf("error %q does not wrap ErrUnverified", err)
	case !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not mention %q", err, want)
	}
}

// Test keys are generated once: RSA generation takes a while.
var (
	testRSAKey          = sync.OnceValue(func() *rsa.PrivateKey { return mustGenerate() })
	testOtherRSAKey     = sync.OnceValue(func() *rsa.PrivateKey { return mustGenerate() })
	testEd25519Key      = sync.OnceValue(mustGenerateEd25519)
	testOtherEd25519Key = sync.OnceValue(mustGenerateEd25519)
)

func mustGenerateEd25519() ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func mustGenerate() *rsa.PrivateKey {
	k, err := GenerateKey()
	if err != nil {
		panic(err)
	}
	return k
}

// signWith signs msg as the algorithms of this package expect: RSA keys
// with PKCS1-v1_5 over SHA-256, Ed25519 keys directly.
func signWith(t testing.TB, key crypto.Signer, msg string) []byte {
	t.Helper()
	var sig []byte
	var err error
	switch k := key.(type) {
	case *rsa.PrivateKey:
		sum := sha256.Sum256([]byte(msg))
		sig, err = rsa.SignPKCS1v15(nil, k, crypto.SHA256, sum[:])
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, []byte(msg))
	default:
		t.Fatalf("unsupported test key %T", key)
	}
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// signCavage sets a draft-cavage Signature header over headers with any
// algorithm name, for the cases SignRequest does not produce. extra is
// appended to the parameters verbatim (e.g. `,created=123`).
func signCavage(t testing.TB, r *http.Request, keyID, algorithm string, headers []string, extra string, key crypto.Signer) {
	t.Helper()
	header := fmt.Sprintf(`keyId="%s",algorithm="%s",headers="%s"%s,signature="AA=="`, keyID, algorithm, strings.Join(headers, " "), extra)
	p, err := parseCavageParams(header)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := cavageSigningString(r, p)
	if err != nil {
		t.Fatal(err)
	}
	sig := base64.StdEncoding.EncodeToString(signWith(t, key, msg))
	r.Header.Set("Signature", strings.Replace(header, `signature="AA=="`, `signature="`+sig+`"`, 1))
}

// signRFC9421 sets Signature-Input and Signature headers for one RFC 9421
// signature. input is the member value, e.g. `("@method");created=1;keyid="k"`.
func signRFC9421(t testing.TB, r *http.Request, label, input string, key crypto.Signer) {
	t.Helper()
	members, err := parseDictionary(label + "=" + input)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parseSignatureInput(&members[0])
	if err != nil {
		t.Fatal(err)
	}
	base, err := rfc9421Base(r, s, schemeOf(r, ""))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Signature-Input", label+"="+input)
	r.Header.Set("Signature", label+"=:"+base64.StdEncoding.EncodeToString(signWith(t, key, base))+":")
}
