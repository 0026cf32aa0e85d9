package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// v2 filters: created with keywords, changed through keywords_attributes,
// their keywords and statuses managed; another user's are not found.
func TestFilterV2(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	ctx := context.Background()
	conn, err := s.DB.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN pukeko_stream"); err != nil {
		t.Fatal(err)
	}

	var f map[string]any
	alice.json("POST", "/api/v2/filters", map[string]any{"title": "Cats", "context": []string{"home", "public", "home"},
		"filter_action": "hide", "expires_in": 3600, "keywords_attributes": []map[string]any{
			{"keyword": "kitten", "whole_word": true}, {"keyword": "purr", "whole_word": false}}}, &f)
	keywords := f["keywords"].([]any)
	if f["title"] != "Cats" || f["filter_action"] != "hide" || strings.Join(anyStrings(f["context"]), ",") != "home,public" ||
		f["expires_at"] == nil || len(keywords) != 2 || keywords[1].(map[string]any)["whole_word"] != false ||
		len(f["statuses"].([]any)) != 0 {
		t.Fatalf("created filter: %v", f)
	}
	id := f["id"].(string)
	kitten := keywords[0].(map[string]any)["id"].(string)

	// The streaming API hears of the change.
	waitCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		n, err := conn.Conn().WaitForNotification(waitCtx)
		if err != nil {
			t.Fatalf("no filters_changed notification: %v", err)
		}
		var ev map[string]any
		d := json.NewDecoder(strings.NewReader(n.Payload))
		d.UseNumber()
		d.Decode(&ev)
		if ev["event"] == "filters_changed" && ev["stream"] == "user" && ev["identity"] == json.Number(idStr(alice.identity.ID)) {
			break
		}
	}

	// Form style, with keywords_attributes[][...].
	form := url.Values{"title": {"Spoilers"}, "context[]": {"thread"}, "keywords_attributes[][keyword]": {"finale"},
		"keywords_attributes[][whole_word]": {"false"}}
	var g map[string]any
	alice.json("POST", "/api/v2/filters", form, &g)
	if g["filter_action"] != "warn" || g["expires_at"] != nil || len(g["keywords"].([]any)) != 1 ||
		g["keywords"].([]any)[0].(map[string]any)["keyword"] != "finale" {
		t.Fatalf("form-made filter: %v", g)
	}

	alice.json("PUT", "/api/v2/filters/"+id, map[string]any{"title": "Felines", "expires_in": "", "keywords_attributes": []map[string]any{
		{"id": kitten, "_destroy": true}, {"keyword": "meow"}}}, &f)
	keywords = f["keywords"].([]any)
	if f["title"] != "Felines" || f["expires_at"] != nil || f["filter_action"] != "hide" || len(keywords) != 2 ||
		keywords[0].(map[string]any)["keyword"] != "purr" || keywords[1].(map[string]any)["keyword"] != "meow" ||
		keywords[1].(map[string]any)["whole_word"] != true {
		t.Fatalf("updated filter: %v", f)
	}
	var all []map[string]any
	alice.json("GET", "/api/v2/filters", nil, &all)
	if len(all) != 2 || all[0]["id"] != id || len(all[0]["keywords"].([]any)) != 2 {
		t.Fatalf("filters: %v", all)
	}
	alice.json("GET", "/api/v2/filters/"+id, nil, &f)

	for _, body := range []any{
		url.Values{"title": {"x"}},
		url.Values{"title": {"x"}, "context[]": {"everywhere"}},
		url.Values{"title": {" "}, "context[]": {"home"}},
		url.Values{"title": {"x"}, "context[]": {"home"}, "filter_action": {"explode"}},
		url.Values{"title": {"x"}, "context[]": {"home"}, "expires_in": {"soon"}},
		map[string]any{"title": "x", "context": []string{"home"}, "keywords_attributes": []map[string]any{{"keyword": ""}}},
	} {
		srvStatus(t, alice, "POST", "/api/v2/filters", body, http.StatusUnprocessableEntity)
	}

	// Keywords.
	var k map[string]any
	alice.json("POST", "/api/v2/filters/"+id+"/keywords", url.Values{"keyword": {"Tabby"}}, &k)
	if k["keyword"] != "Tabby" || k["whole_word"] != true {
		t.Fatalf("added keyword: %v", k)
	}
	kid := k["id"].(string)
	alice.json("PUT", "/api/v2/filters/keywords/"+kid, url.Values{"whole_word": {"false"}}, &k)
	if k["keyword"] != "Tabby" || k["whole_word"] != false {
		t.Fatalf("changed keyword: %v", k)
	}
	alice.json("GET", "/api/v2/filters/keywords/"+kid, nil, &k)
	var ks []map[string]any
	alice.json("GET", "/api/v2/filters/"+id+"/keywords", nil, &ks)
	if len(ks) != 3 || ks[2]["id"] != kid {
		t.Fatalf("keywords: %v", ks)
	}
	srvStatus(t, alice, "POST", "/api/v2/filters/"+id+"/keywords", url.Values{"keyword": {""}}, http.StatusUnprocessableEntity)
	srvStatus(t, alice, "PUT", "/api/v2/filters/keywords/"+kid, url.Values{"keyword": {" "}}, http.StatusUnprocessableEntity)
	srvStatus(t, alice, "DELETE", "/api/v2/filters/keywords/"+kid, nil, http.StatusOK)
	srvStatus(t, alice, "GET", "/api/v2/filters/keywords/"+kid, nil, http.StatusNotFound)

	// Statuses: ones alice may see.
	bobPost := bob.postStatus(map[string]any{"status": "a cat picture"})
	secret := bob.postStatus(map[string]any{"status": "followers only", "visibility": "private"})
	var fs map[string]any
	alice.json("POST", "/api/v2/filters/"+id+"/statuses", url.Values{"status_id": {bobPost}}, &fs)
	if fs["status_id"] != bobPost {
		t.Fatalf("filter status: %v", fs)
	}
	fsid := fs["id"].(string)
	srvStatus(t, alice, "POST", "/api/v2/filters/"+id+"/statuses", url.Values{"status_id": {bobPost}}, http.StatusUnprocessableEntity)
	srvStatus(t, alice, "POST", "/api/v2/filters/"+id+"/statuses", url.Values{"status_id": {"12345"}}, http.StatusUnprocessableEntity)
	srvStatus(t, alice, "POST", "/api/v2/filters/"+id+"/statuses", url.Values{"status_id": {secret}}, http.StatusUnprocessableEntity)
	var fss []map[string]any
	alice.json("GET", "/api/v2/filters/"+id+"/statuses", nil, &fss)
	if len(fss) != 1 || fss[0]["id"] != fsid {
		t.Fatalf("filter statuses: %v", fss)
	}
	alice.json("GET", "/api/v2/filters/statuses/"+fsid, nil, &fs)

	// Another user finds none of it.
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v2/filters/" + id}, {"PUT", "/api/v2/filters/" + id}, {"DELETE", "/api/v2/filters/" + id},
		{"GET", "/api/v2/filters/" + id + "/keywords"}, {"POST", "/api/v2/filters/" + id + "/keywords"},
		{"GET", "/api/v2/filters/keywords/" + kitten}, {"PUT", "/api/v2/filters/keywords/" + kitten},
		{"DELETE", "/api/v2/filters/keywords/" + kitten},
		{"GET", "/api/v2/filters/" + id + "/statuses"}, {"POST", "/api/v2/filters/" + id + "/statuses"},
		{"GET", "/api/v2/filters/statuses/" + fsid}, {"DELETE", "/api/v2/filters/statuses/" + fsid},
	} {
		srvStatus(t, bob, c.method, c.path, url.Values{"keyword": {"x"}, "title": {"x"}, "status_id": {bobPost}}, http.StatusNotFound)
	}
	bob.json("GET", "/api/v2/filters", nil, &all)
	if len(all) != 0 {
		t.Fatalf("bob's filters: %v", all)
	}
	srvStatus(t, s.user("rita", "read"), "POST", "/api/v2/filters", url.Values{"title": {"x"}, "context[]": {"home"}}, http.StatusForbidden)

	alice.json("DELETE", "/api/v2/filters/statuses/"+fsid, nil, &fs)
	if fs["id"] != fsid {
		t.Fatalf("deleted filter status: %v", fs)
	}
	srvStatus(t, alice, "DELETE", "/api/v2/filters/"+id, nil, http.StatusOK)
	srvStatus(t, alice, "GET", "/api/v2/filters/"+id, nil, http.StatusNotFound)
	srvStatus(t, alice, "GET", "/api/v2/filters/"+id+"/keywords", nil, http.StatusNotFound)
}

// v1 filters are the keywords of v2 filters.
func TestFilterV1(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")

	var f map[string]any
	alice.json("POST", "/api/v1/filters", url.Values{"phrase": {"election"}, "context[]": {"home", "notifications"},
		"irreversible": {"true"}, "whole_word": {"false"}}, &f)
	if f["phrase"] != "election" || f["irreversible"] != true || f["whole_word"] != false ||
		strings.Join(anyStrings(f["context"]), ",") != "home,notifications" || f["expires_at"] != nil {
		t.Fatalf("v1 filter: %v", f)
	}
	id := f["id"].(string)
	var v2 []map[string]any
	alice.json("GET", "/api/v2/filters", nil, &v2)
	if len(v2) != 1 || v2[0]["title"] != "election" || v2[0]["filter_action"] != "hide" ||
		v2[0]["keywords"].([]any)[0].(map[string]any)["id"] != id {
		t.Fatalf("the v1 filter seen as v2: %v", v2)
	}
	filterID := v2[0]["id"].(string)

	alice.json("PUT", "/api/v1/filters/"+id, url.Values{"phrase": {"elections"}, "irreversible": {"false"}, "expires_in": {"600"}}, &f)
	if f["phrase"] != "elections" || f["irreversible"] != false || f["expires_at"] == nil || f["whole_word"] != false {
		t.Fatalf("updated v1 filter: %v", f)
	}
	var list []map[string]any
	alice.json("GET", "/api/v1/filters", nil, &list)
	if len(list) != 1 || list[0]["id"] != id || list[0]["phrase"] != "elections" {
		t.Fatalf("v1 filters: %v", list)
	}
	alice.json("GET", "/api/v1/filters/"+id, nil, &f)

	// A second keyword: the filter's settings no longer change through v1.
	var k map[string]any
	alice.json("POST", "/api/v2/filters/"+filterID+"/keywords", url.Values{"keyword": {"ballot"}}, &k)
	alice.json("GET", "/api/v1/filters", nil, &list)
	if len(list) != 2 {
		t.Fatalf("v1 filters of two keywords: %v", list)
	}
	srvStatus(t, alice, "PUT", "/api/v1/filters/"+id, url.Values{"context[]": {"public"}}, http.StatusUnprocessableEntity)
	alice.json("PUT", "/api/v1/filters/"+id, url.Values{"phrase": {"vote"}}, &f)

	srvStatus(t, alice, "POST", "/api/v1/filters", url.Values{"phrase": {"x"}}, http.StatusUnprocessableEntity)
	srvStatus(t, alice, "POST", "/api/v1/filters", url.Values{"context[]": {"home"}}, http.StatusUnprocessableEntity)
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		srvStatus(t, bob, m, "/api/v1/filters/"+id, url.Values{"phrase": {"x"}}, http.StatusNotFound)
	}

	srvStatus(t, alice, "DELETE", "/api/v1/filters/"+id, nil, http.StatusOK)
	alice.json("GET", "/api/v2/filters", nil, &v2)
	if len(v2) != 1 {
		t.Fatalf("the filter went with one of two keywords: %v", v2)
	}
	srvStatus(t, alice, "DELETE", "/api/v1/filters/"+k["id"].(string), nil, http.StatusOK)
	alice.json("GET", "/api/v2/filters", nil, &v2)
	if len(v2) != 0 {
		t.Fatalf("the filter stayed without keywords: %v", v2)
	}
}

// Filters in force mark the statuses they match (Status.filtered), in
// single statuses and timelines; whole-word keywords respect word
// boundaries; one's own posts and expired filters are left alone.
func TestFilterApplied(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	followNow(t, s, alice.identity, bob.identity)
	var f, g map[string]any
	alice.json("POST", "/api/v2/filters", map[string]any{"title": "Cats", "context": []string{"home"}, "keywords_attributes": []map[string]any{
		{"keyword": "kitten", "whole_word": true}, {"keyword": "SPOIL", "whole_word": false}}}, &f)
	alice.json("POST", "/api/v2/filters", map[string]any{"title": "Gone", "context": []string{"home"}, "filter_action": "hide",
		"expires_in": 0, "keywords_attributes": []map[string]any{{"keyword": "kitten"}}}, &g)
	var h map[string]any
	alice.json("POST", "/api/v2/filters", map[string]any{"title": "Hidden", "context": []string{"public"}, "filter_action": "hide"}, &h)

	plural := bob.postStatus(map[string]any{"status": "I love kittens"})
	single := bob.postStatus(map[string]any{"status": "<b>A Kitten!</b>"})
	warned := bob.postStatus(map[string]any{"status": "nothing to see", "spoiler_text": "Spoilers ahead"})
	named := bob.postStatus(map[string]any{"status": "plain"})
	alice.json("POST", "/api/v2/filters/"+h["id"].(string)+"/statuses", url.Values{"status_id": {named}}, nil)
	own := alice.postStatus(map[string]any{"status": "my kitten"})

	results := func(id string) []any {
		t.Helper()
		var st map[string]any
		alice.json("GET", "/api/v1/statuses/"+id, nil, &st)
		if st["filtered"] == nil {
			return nil
		}
		return st["filtered"].([]any)
	}
	if r := results(plural); len(r) != 0 {
		t.Fatalf("kittens matched the whole word kitten: %v", r)
	}
	r := results(single)
	if len(r) != 1 {
		t.Fatalf("filtered of a kitten post: %v", r)
	}
	res := r[0].(map[string]any)
	filter := res["filter"].(map[string]any)
	if filter["title"] != "Cats" || filter["filter_action"] != "warn" || strings.Join(anyStrings(res["keyword_matches"]), ",") != "kitten" ||
		filter["keywords"] != nil {
		t.Fatalf("filter result: %v", res)
	}
	if r := results(warned); len(r) != 1 || strings.Join(anyStrings(r[0].(map[string]any)["keyword_matches"]), ",") != "SPOIL" {
		t.Fatalf("filtered by the content warning: %v", r)
	}
	r = results(named)
	if len(r) != 1 || r[0].(map[string]any)["filter"].(map[string]any)["filter_action"] != "hide" ||
		strings.Join(anyStrings(r[0].(map[string]any)["status_matches"]), ",") != named {
		t.Fatalf("filtered by status: %v", r)
	}
	if r := results(own); len(r) != 0 {
		t.Fatalf("one's own post filtered: %v", r)
	}

	srvHomeHas(t, alice, single)
	var home []map[string]any
	alice.json("GET", "/api/v1/timelines/home", nil, &home)
	for _, st := range home {
		if st["id"] == single {
			if fl, _ := st["filtered"].([]any); len(fl) != 1 {
				t.Fatalf("home timeline entry not filtered: %v", st)
			}
		}
	}
	var anon map[string]any
	s.anonymous().json("GET", "/api/v1/statuses/"+single, nil, &anon)
	if _, ok := anon["filtered"]; ok {
		t.Fatalf("filtered shown to a logged-out reader: %v", anon)
	}
}
