package mastodon_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeTranslator is a LibreTranslate on loopback that translates a few
// English words into German or French, word by word, and fails as told.
type fakeTranslator struct {
	*httptest.Server
	fail     atomic.Int32 // status to answer /translate with, 0 to work
	requests atomic.Int32
}

var fakeDictionary = map[string]map[string]string{
	"de": {"Hello": "Hallo", "world": "Welt", "Careful": "Vorsicht", "cat": "Katze", "dog": "Hund", "A kea": "Ein Kea"},
	"fr": {"Hello": "Bonjour", "world": "monde", "Careful": "Attention", "cat": "chat", "dog": "chien", "A kea": "Un kea"},
}

func newFakeTranslator(t *testing.T, apiKey string) *fakeTranslator {
	f := &fakeTranslator{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /languages", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[{"code":"en","name":"English","targets":["de","en","fr"]},
			{"code":"de","name":"German","targets":["de","en"]},{"code":"fr","name":"French","targets":["en","fr"]}]`))
	})
	mux.HandleFunc("POST /translate", func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		var req struct {
			Q      []string `json:"q"`
			Source string   `json:"source"`
			Target string   `json:"target"`
			Format string   `json:"format"`
			APIKey string   `json:"api_key"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if status := f.fail.Load(); status != 0 {
			w.WriteHeader(int(status))
			w.Write([]byte(`{"error":"no"}`))
			return
		}
		if req.APIKey != apiKey || req.Format != "html" {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"bad request"}`))
			return
		}
		out := map[string]any{}
		var texts []string
		var detected []map[string]any
		for _, q := range req.Q {
			for from, to := range fakeDictionary[req.Target] {
				q = strings.ReplaceAll(q, from, to)
			}
			texts = append(texts, q)
			detected = append(detected, map[string]any{"confidence": 90, "language": "en"})
		}
		out["translatedText"] = texts
		if req.Source == "auto" {
			out["detectedLanguage"] = detected
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// Translation through a LibreTranslate server: content, content warning,
// poll options and media descriptions, into the language asked for; the
// instance says translation is on and which pairs it offers.
func TestTranslateStatus(t *testing.T) {
	t.Parallel()
	tr := newFakeTranslator(t, "sesame")
	s := startServer(t, "a.test", nil, "PUKEKO_TRANSLATION_URL="+tr.URL, "PUKEKO_TRANSLATION_API_KEY=sesame")
	alice, bob := s.user("alice", ""), s.user("bob", "")

	var inst map[string]any
	s.anonymous().json("GET", "/api/v2/instance", nil, &inst)
	if conf := inst["configuration"].(map[string]any); conf["translation"].(map[string]any)["enabled"] != true {
		t.Errorf("translation.enabled: %v", conf["translation"])
	}
	var pairs map[string][]string
	s.anonymous().json("GET", "/api/v1/instance/translation_languages", nil, &pairs)
	if strings.Join(pairs["en"], ",") != "de,fr" || strings.Join(pairs["de"], ",") != "en" {
		t.Errorf("translation languages: %v", pairs)
	}

	poll := alice.postStatus(map[string]any{"status": "Hello world", "spoiler_text": "Careful", "language": "en",
		"poll": map[string]any{"options": []string{"cat", "dog"}, "expires_in": 3600}})
	var tl map[string]any
	bob.json("POST", "/api/v1/statuses/"+poll+"/translate", map[string]any{"lang": "de"}, &tl)
	if tl["content"] != "<p>Hallo Welt</p>" || tl["spoiler_text"] != "Vorsicht" || tl["language"] != "de" ||
		tl["detected_source_language"] != "en" || tl["provider"] != "LibreTranslate" {
		t.Errorf("translation: %v", tl)
	}
	if p, ok := tl["poll"].(map[string]any); !ok || p["id"] != poll || len(p["options"].([]any)) != 2 ||
		p["options"].([]any)[0].(map[string]any)["title"] != "Katze" || p["options"].([]any)[1].(map[string]any)["title"] != "Hund" {
		t.Errorf("translated poll: %v", tl["poll"])
	}
	if m := tl["media_attachments"].([]any); len(m) != 0 {
		t.Errorf("media of a post without: %v", m)
	}

	// A media description, into the language the client prefers (without
	// its region), a post whose language is not known.
	status, body := alice.do("POST", "/api/v2/media", multipartForm(map[string]string{"description": "A kea"}, "file", "kea.jpg", testJPEG(t, 64, 48)))
	if status != http.StatusOK && status != http.StatusAccepted {
		t.Fatalf("upload: %d %s", status, body)
	}
	mediaID := obj(t, body)["id"].(string)
	withMedia := alice.postStatus(map[string]any{"status": "Hello", "media_ids": []string{mediaID}, "language": ""})
	resp, body := bob.request("POST", "/api/v1/statuses/"+withMedia+"/translate", nil, http.Header{"Accept-Language": {"fr-CH, fr;q=0.9"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("translating with Accept-Language: %d %s", resp.StatusCode, body)
	}
	tl = obj(t, body)
	media := tl["media_attachments"].([]any)
	if tl["language"] != "fr" || tl["detected_source_language"] != "en" || tl["content"] != "<p>Bonjour</p>" || len(media) != 1 ||
		media[0].(map[string]any)["id"] != mediaID || media[0].(map[string]any)["description"] != "Un kea" || tl["poll"] != nil {
		t.Errorf("translation of a post with media: %s", body)
	}

	// Refusals: the post's own language, private and direct posts (even to
	// whom may see them), posts not to be seen, unknown posts, scopes.
	before := tr.requests.Load()
	if status, body := bob.do("POST", "/api/v1/statuses/"+poll+"/translate", map[string]any{"lang": "en"}); status != http.StatusForbidden {
		t.Errorf("translating into the post's language: %d %s", status, body)
	}
	if status, body := bob.do("POST", "/api/v1/statuses/"+poll+"/translate", map[string]any{"lang": "ja"}); status != http.StatusForbidden {
		t.Errorf("translating into a language the server lacks: %d %s", status, body)
	}
	private := alice.postStatus(map[string]any{"status": "Hello", "visibility": "private", "language": "en"})
	direct := alice.postStatus(map[string]any{"status": "@bob Hello", "visibility": "direct", "language": "en"})
	for _, id := range []string{private, direct} {
		if status, body := alice.do("POST", "/api/v1/statuses/"+id+"/translate", map[string]any{"lang": "de"}); status != http.StatusForbidden {
			t.Errorf("translating a %s post: %d %s", id, status, body)
		}
	}
	if status, _ := bob.do("POST", "/api/v1/statuses/"+private+"/translate", map[string]any{"lang": "de"}); status != http.StatusNotFound {
		t.Errorf("translating a post not to be seen: %d", status)
	}
	if status, _ := bob.do("POST", "/api/v1/statuses/123/translate", nil); status != http.StatusNotFound {
		t.Errorf("translating an unknown post: %d", status)
	}
	writer := s.user("writer", "write")
	if status, _ := writer.do("POST", "/api/v1/statuses/"+poll+"/translate", nil); status != http.StatusForbidden {
		t.Errorf("translating without read:statuses: %d", status)
	}
	if status, _ := s.anonymous().do("POST", "/api/v1/statuses/"+poll+"/translate", nil); status != http.StatusUnauthorized {
		t.Errorf("translating logged out: %d", status)
	}
	if n := tr.requests.Load(); n != before {
		t.Errorf("refused translations reached the server (%d requests)", n-before)
	}

	// The server failing: 503, with Mastodon's texts for quota and rate.
	for status, want := range map[int32]string{403: "quota", 429: "too many requests", 500: "unavailable"} {
		tr.fail.Store(status)
		got, body := bob.do("POST", "/api/v1/statuses/"+poll+"/translate", map[string]any{"lang": "de"})
		if got != http.StatusServiceUnavailable || !strings.Contains(strings.ToLower(string(body)), want) {
			t.Errorf("server answering %d: %d %s", status, got, body)
		}
	}
}

// Without a translation server, translation is off: the instance says so
// and translating answers Mastodon's 404.
func TestTranslateStatusOff(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	id := alice.postStatus(map[string]any{"status": "Hello world", "language": "en"})
	if status, body := alice.do("POST", "/api/v1/statuses/"+id+"/translate", map[string]any{"lang": "de"}); status != http.StatusNotFound {
		t.Errorf("translating with translation off: %d %s", status, body)
	}
	var pairs map[string]any
	s.anonymous().json("GET", "/api/v1/instance/translation_languages", nil, &pairs)
	if len(pairs) != 0 {
		t.Errorf("translation languages with translation off: %v", pairs)
	}
}
