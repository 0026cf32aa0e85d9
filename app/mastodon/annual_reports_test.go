package mastodon_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// asyncRefreshHeader matches Mastodon-Async-Refresh: the id, the retry
// and the optional result count.
var asyncRefreshHeader = regexp.MustCompile(`^id="([^"]+)", retry=(\d+)(?:, result_count=(\d+))?$`)

// refreshID returns the id of the Mastodon-Async-Refresh header of resp,
// failing the test when there is none.
func refreshID(t *testing.T, resp *http.Response) (id string, retry int) {
	t.Helper()
	m := asyncRefreshHeader.FindStringSubmatch(resp.Header.Get("Mastodon-Async-Refresh"))
	if m == nil {
		t.Fatalf("Mastodon-Async-Refresh %q", resp.Header.Get("Mastodon-Async-Refresh"))
	}
	retry, _ = strconv.Atoi(m[2])
	return m[1], retry
}

// reportState reads the state of c's report of year.
func reportState(c *client, year string) string {
	c.t.Helper()
	var st map[string]string
	c.json("GET", "/api/v1/annual_reports/"+year+"/state", nil, &st)
	return st["state"]
}

// The whole life of an annual report: offered when the user did something
// in an open year, generated in the background on request (followed as an
// async refresh), its figures those of the database, listed until read.
func TestAnnualReportGeneratedFromTheYear(t *testing.T) {
	t.Parallel()
	year := strconv.Itoa(time.Now().UTC().Year())
	s := startServer(t, "a.test", nil, "PUKEKO_ANNUAL_REPORTS_YEARS="+year)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	followNow(t, s, bob.identity, alice.identity)
	followNow(t, s, alice.identity, bob.identity)

	boosted := alice.postStatus(map[string]any{"status": "First #cats post"})
	liked := alice.postStatus(map[string]any{"status": "Second #Cats post #dogs"})
	alice.postStatus(map[string]any{"status": "private #dogs", "visibility": "private"})
	alice.postStatus(map[string]any{"status": "which?", "poll": map[string]any{"options": []string{"a", "b"}, "expires_in": 3600}})
	bobPost := bob.postStatus(map[string]any{"status": "hello alice"})
	alice.postStatus(map[string]any{"status": "@bob hi", "in_reply_to_id": bobPost})
	alice.json("POST", "/api/v1/statuses/"+bobPost+"/reblog", nil, nil)
	bob.json("POST", "/api/v1/statuses/"+boosted+"/reblog", nil, nil)
	bob.json("POST", "/api/v1/statuses/"+boosted+"/favourite", nil, nil)
	bob.json("POST", "/api/v1/statuses/"+liked+"/favourite", nil, nil)

	var list map[string]any
	alice.json("GET", "/api/v1/annual_reports", nil, &list)
	if n := len(list["annual_reports"].([]any)); n != 0 {
		t.Fatalf("reports before any was asked for: %v", list)
	}
	if st := reportState(alice, year); st != "eligible" {
		t.Fatalf("state before generating: %q", st)
	}
	if status, body := alice.do("GET", "/api/v1/annual_reports/"+year, nil); status != http.StatusNotFound {
		t.Fatalf("report not generated yet: %d %s", status, body)
	}
	if status, body := alice.do("POST", "/api/v1/annual_reports/"+year+"/read", nil); status != http.StatusNotFound {
		t.Fatalf("reading a report not generated: %d %s", status, body)
	}

	resp, body := alice.request("POST", "/api/v1/annual_reports/"+year+"/generate", nil, nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("generate: %d %s", resp.StatusCode, body)
	}
	id, retry := refreshID(t, resp)
	if retry != 2 {
		t.Errorf("retry %d, want Mastodon's 2", retry)
	}
	eventually(t, "the report to be generated", func() bool { return reportState(alice, year) == "available" })
	var refresh map[string]map[string]any
	alice.json("GET", "/api/v1_alpha/async_refreshes/"+id, nil, &refresh)
	if r := refresh["async_refresh"]; r["id"] != id || r["status"] != "finished" || r["result_count"] != nil {
		t.Errorf("refresh after generation: %v", refresh)
	}
	if status, _ := bob.do("GET", "/api/v1_alpha/async_refreshes/"+id, nil); status != http.StatusNotFound {
		t.Errorf("another user sees the refresh of alice's report: %d", status)
	}

	var wrapped struct {
		AnnualReports []struct {
			Year          int    `json:"year"`
			SchemaVersion int    `json:"schema_version"`
			AccountID     string `json:"account_id"`
			Data          struct {
				Archetype  string `json:"archetype"`
				TimeSeries []struct {
					Month, Statuses, Following, Followers int
				} `json:"time_series"`
				TopHashtags []struct {
					Name  string `json:"name"`
					Count int    `json:"count"`
				} `json:"top_hashtags"`
				TopStatuses map[string]*string `json:"top_statuses"`
			} `json:"data"`
		} `json:"annual_reports"`
		Accounts []map[string]any `json:"accounts"`
		Statuses []map[string]any `json:"statuses"`
	}
	alice.json("GET", "/api/v1/annual_reports/"+year, nil, &wrapped)
	if len(wrapped.AnnualReports) != 1 {
		t.Fatalf("reports: %+v", wrapped)
	}
	r := wrapped.AnnualReports[0]
	if r.Year != time.Now().UTC().Year() || r.SchemaVersion != 2 || r.AccountID != alice.accountID() {
		t.Errorf("report: %+v", r)
	}
	if r.Data.Archetype != "lurker" {
		t.Errorf("archetype %q, want lurker (six statuses)", r.Data.Archetype)
	}
	if len(r.Data.TimeSeries) != 12 {
		t.Fatalf("time series: %+v", r.Data.TimeSeries)
	}
	month := int(time.Now().UTC().Month())
	for _, m := range r.Data.TimeSeries {
		want := [3]int{}
		if m.Month == month {
			want = [3]int{6, 1, 1} // five posts and a boost; one follow each way
		}
		if got := [3]int{m.Statuses, m.Following, m.Followers}; got != want {
			t.Errorf("month %d: statuses, following, followers %v, want %v", m.Month, got, want)
		}
	}
	if len(r.Data.TopHashtags) != 2 || r.Data.TopHashtags[0].Name != "cats" || r.Data.TopHashtags[0].Count != 2 ||
		r.Data.TopHashtags[1].Name != "dogs" || r.Data.TopHashtags[1].Count != 2 {
		t.Errorf("top hashtags: %+v", r.Data.TopHashtags)
	}
	top := r.Data.TopStatuses
	if top["by_reblogs"] == nil || *top["by_reblogs"] != boosted || top["by_favourites"] == nil || *top["by_favourites"] != liked ||
		top["by_replies"] != nil {
		t.Errorf("top statuses: %v", top)
	}
	if len(wrapped.Statuses) != 2 || len(wrapped.Accounts) != 1 || wrapped.Accounts[0]["id"] != alice.accountID() {
		t.Errorf("statuses and accounts beside the report: %d, %v", len(wrapped.Statuses), wrapped.Accounts)
	}

	alice.json("GET", "/api/v1/annual_reports", nil, &list)
	if n := len(list["annual_reports"].([]any)); n != 1 {
		t.Fatalf("unread reports: %v", list)
	}
	resp, body = alice.request("POST", "/api/v1/annual_reports/"+year+"/generate", nil, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Mastodon-Async-Refresh") != "" || string(body) != "{}" {
		t.Errorf("generating again: %d %q %s", resp.StatusCode, resp.Header.Get("Mastodon-Async-Refresh"), body)
	}
	alice.json("POST", "/api/v1/annual_reports/"+year+"/read", nil, nil)
	alice.json("GET", "/api/v1/annual_reports", nil, &list)
	if n := len(list["annual_reports"].([]any)); n != 0 {
		t.Errorf("a read report is still listed: %v", list)
	}
	alice.json("GET", "/api/v1/annual_reports/"+year, nil, &wrapped)
	if len(wrapped.AnnualReports) != 1 {
		t.Errorf("a read report is gone: %+v", wrapped)
	}
}

// Years not open for reports, users without a year to sum up, unknown
// refreshes, and tokens without the scopes: refused as Mastodon refuses.
func TestAnnualReportRefusals(t *testing.T) {
	t.Parallel()
	year := strconv.Itoa(time.Now().UTC().Year())
	s := startServer(t, "a.test", nil, "PUKEKO_ANNUAL_REPORTS_YEARS="+year)
	alice, idle := s.user("alice", ""), s.user("idle", "")
	alice.postStatus(map[string]any{"status": "something"})

	if st := reportState(idle, year); st != "ineligible" {
		t.Errorf("state of a user who did nothing: %q", st)
	}
	if status, body := idle.do("POST", "/api/v1/annual_reports/"+year+"/generate", nil); status != http.StatusUnprocessableEntity {
		t.Errorf("generating for a user who did nothing: %d %s", status, body)
	}
	if st := reportState(alice, "2001"); st != "ineligible" {
		t.Errorf("state of a year not open: %q", st)
	}
	for _, y := range []string{"2001", "nineteen"} {
		if status, body := alice.do("POST", "/api/v1/annual_reports/"+y+"/generate", nil); status != http.StatusNotFound {
			t.Errorf("generating the report of %s: %d %s", y, status, body)
		}
	}
	for _, id := range []string{"wrapstodon-1", "context-1", "nothing", "context-x"} {
		if status, body := alice.do("GET", "/api/v1_alpha/async_refreshes/"+id, nil); status != http.StatusNotFound {
			t.Errorf("refresh %s: %d %s", id, status, body)
		}
	}

	reader := s.user("reader", "read:accounts")
	if status, _ := reader.do("POST", "/api/v1/annual_reports/"+year+"/generate", nil); status != http.StatusForbidden {
		t.Errorf("generating with read:accounts only: %d", status)
	}
	writer := s.user("writer", "write:accounts")
	for _, path := range []string{"/api/v1/annual_reports", "/api/v1/annual_reports/" + year + "/state", "/api/v1_alpha/async_refreshes/context-1"} {
		if status, _ := writer.do("GET", path, nil); status != http.StatusForbidden {
			t.Errorf("GET %s with write:accounts only: %d", path, status)
		}
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/annual_reports", nil); status != http.StatusUnauthorized {
		t.Errorf("listing reports logged out: %d", status)
	}
}

// The instance entity names the year of the campaign only while one is
// open, and annual_reports.enabled turns the whole feature off.
func TestAnnualReportCampaignInInstance(t *testing.T) {
	t.Parallel()
	year := time.Now().UTC().Year()
	on := startServer(t, "a.test", nil, "PUKEKO_ANNUAL_REPORTS_YEARS="+strconv.Itoa(year-1), "PUKEKO_ANNUAL_REPORTS_OPENS=01-01")
	var inst map[string]any
	on.anonymous().json("GET", "/api/v2/instance", nil, &inst)
	if inst["wrapstodon"] != float64(year) {
		t.Errorf("wrapstodon %v, want %d (opened on January 1)", inst["wrapstodon"], year)
	}
	alice := on.user("alice", "")
	alice.postStatus(map[string]any{"status": "something"})
	if st := reportState(alice, strconv.Itoa(year)); st != "eligible" {
		t.Errorf("state of the current year, open since January 1: %q", st)
	}

	off := startServer(t, "a.test", nil, "PUKEKO_ANNUAL_REPORTS_ENABLED=false", "PUKEKO_ANNUAL_REPORTS_OPENS=01-01")
	off.anonymous().json("GET", "/api/v2/instance", nil, &inst)
	if v, ok := inst["wrapstodon"]; !ok || v != nil {
		t.Errorf("wrapstodon with annual reports off: %v", v)
	}
	bob := off.user("bob", "")
	bob.postStatus(map[string]any{"status": "something"})
	if st := reportState(bob, strconv.Itoa(year)); st != "ineligible" {
		t.Errorf("state with annual reports off: %q", st)
	}
	if status, _ := bob.do("POST", "/api/v1/annual_reports/"+strconv.Itoa(year)+"/generate", nil); status != http.StatusNotFound {
		t.Errorf("generating with annual reports off: %d", status)
	}
}
