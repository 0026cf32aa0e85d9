package translate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

func TestLanguagesOfServersWithAndWithoutTargets(t *testing.T) {
	t.Parallel()
	var asked atomic.Int32
	for _, tc := range []struct {
		name, body string
		want       map[string][]string
	}{
		{"with targets", `[{"code":"en","targets":["de","en"]},{"code":"de","targets":["en","de"]}]`,
			map[string][]string{"en": {"de"}, "de": {"en"}, "": {"de", "en"}}},
		{"without targets", `[{"code":"en"},{"code":"fr"}]`,
			map[string][]string{"en": {"fr"}, "fr": {"en"}, "": {"en", "fr"}}},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			asked.Add(1)
			w.Write([]byte(tc.body))
		}))
		c := New(srv.URL+"/", "", time.Second)
		for range 2 {
			got, err := c.Languages(context.Background())
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			for k, v := range tc.want {
				if !slices.Equal(got[k], v) {
					t.Errorf("%s: %q -> %v, want %v", tc.name, k, got[k], v)
				}
			}
		}
		srv.Close()
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("asked the servers %d times, want once each (remembered)", n)
	}
}

func TestTranslateErrors(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]error{403: ErrQuotaExceeded, 429: ErrTooManyRequests, 500: ErrUnexpected, 200: ErrUnexpected} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(`{"translatedText":["only one"]}`))
		}))
		_, err := New(srv.URL, "k", time.Second).Translate(context.Background(), []string{"a", "b"}, "en", "de")
		if !errors.Is(err, want) {
			t.Errorf("status %d: %v, want %v", status, err, want)
		}
		srv.Close()
	}
	_, err := New("http://127.0.0.1:1", "", time.Second).Translate(context.Background(), []string{"a"}, "", "de")
	if !errors.Is(err, ErrUnexpected) {
		t.Errorf("unreachable server: %v", err)
	}
}
