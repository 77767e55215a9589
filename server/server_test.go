package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/server"
)

// Minimal views of the API's answers, for the checks.
type (
	ref struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Type string `json:"type"`
	}
	apiErr struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	profileView struct {
		Entity struct {
			ID          string   `json:"id"`
			Name        string   `json:"name"`
			Aliases     []string `json:"aliases"`
			SourceTotal int      `json:"source_total"`
		} `json:"entity"`
		Ties []struct {
			Predicate string `json:"predicate"`
			Ties      []struct {
				Other     ref      `json:"other"`
				Direction string   `json:"direction"`
				ClaimIDs  []string `json:"claim_ids"`
				Sources   int      `json:"sources"`
			} `json:"ties"`
		} `json:"ties"`
		TieTotal   int `json:"tie_total"`
		EventTotal int `json:"event_total"`
	}
	neighbourhoodView struct {
		Center ref `json:"center"`
		Nodes  []struct {
			ID, Name string
			Hop      int
		}
		Edges     []struct{ Subject, Object, Predicate, Modality string }
		Truncated bool `json:"truncated"`
	}
)

func TestAPIReadOnly(t *testing.T) {
	f := newFixture(t, server.Config{})

	var st faultline.Stats
	f.api("GET", "/api/v1/stats", "/api/v1/stats", nil, 200, &st)
	if st.Sources != 5 || st.Claims == 0 {
		t.Fatalf("stats = %+v, want 5 sources with claims", st)
	}

	var sr struct{ Hits []faultline.SearchHit }
	f.api("GET", "/api/v1/search?q=ISKP", "/api/v1/search", nil, 200, &sr)
	if len(sr.Hits) == 0 || sr.Hits[0].Kind != "entity" || sr.Hits[0].Title != "Islamic State Khorasan Province" {
		t.Fatalf("search ISKP: %+v", sr.Hits)
	}
	f.api("GET", "/api/v1/search?q=Pakistan&type=source", "/api/v1/search", nil, 200, &sr)
	for _, h := range sr.Hits {
		if h.Kind != "source" {
			t.Errorf("type=source gave a %s hit", h.Kind)
		}
	}
	f.api("GET", "/api/v1/search?q=x&type=spaceship", "/api/v1/search", nil, 400, nil)

	// Cursor pagination walks every entity exactly once.
	seen := map[string]bool{}
	cursor := ""
	pages := 0
	for {
		var pg faultline.EntityPage
		f.api("GET", "/api/v1/entities?limit=7&cursor="+url.QueryEscape(cursor), "/api/v1/entities", nil, 200, &pg)
		pages++
		for _, e := range pg.Entities {
			if seen[e.ID] {
				t.Fatalf("entity %s on two pages", e.ID)
			}
			seen[e.ID] = true
		}
		if pg.Next == "" {
			break
		}
		cursor = pg.Next
	}
	if len(seen) != st.Entities || pages < 2 {
		t.Errorf("paged %d entities in %d pages, want %d", len(seen), pages, st.Entities)
	}
	f.api("GET", "/api/v1/entities?cursor=bogus!", "/api/v1/entities", nil, 400, nil)
	var typed faultline.EntityPage
	f.api("GET", "/api/v1/entities?type=armed_group&limit=1000", "/api/v1/entities", nil, 200, &typed)
	for _, e := range typed.Entities {
		if e.Type != faultline.ArmedGroup {
			t.Errorf("type filter let %s (%s) through", e.Name, e.Type)
		}
	}

	// A profile by alias, ties grouped by predicate.
	var p profileView
	f.api("GET", "/api/v1/entities/TTP", "/api/v1/entities/{ref}", nil, 200, &p)
	if p.Entity.Name != "Tehrik-e-Taliban Pakistan" || p.TieTotal == 0 || len(p.Ties) == 0 {
		t.Fatalf("profile of TTP: %+v", p)
	}
	var preds []string
	for _, g := range p.Ties {
		if slices.Contains(preds, g.Predicate) {
			t.Errorf("predicate %s in two groups", g.Predicate)
		}
		preds = append(preds, g.Predicate)
	}
	var e apiErr
	f.api("GET", "/api/v1/entities/Nobody%20At%20All", "/api/v1/entities/{ref}", nil, 404, &e)
	if e.Error.Code != faultline.ENOTFOUND || e.Error.Message == "" {
		t.Errorf("unknown entity: %+v", e)
	}

	// Neighbourhood with limits.
	var nb neighbourhoodView
	f.api("GET", "/api/v1/entities/TTP/neighbourhood?hops=2", "/api/v1/entities/{ref}/neighbourhood", nil, 200, &nb)
	if nb.Center.Name != "Tehrik-e-Taliban Pakistan" || len(nb.Nodes) < 2 || nb.Nodes[0].ID != nb.Center.ID {
		t.Fatalf("neighbourhood: %+v", nb)
	}
	ids := map[string]bool{}
	for _, n := range nb.Nodes {
		ids[n.ID] = true
	}
	for _, ed := range nb.Edges {
		if !ids[ed.Subject] || !ids[ed.Object] {
			t.Errorf("edge %s-%s leaves the neighbourhood", ed.Subject, ed.Object)
		}
	}
	f.api("GET", "/api/v1/entities/TTP/neighbourhood?hops=2&max_nodes=2", "/api/v1/entities/{ref}/neighbourhood", nil, 200, &nb)
	if len(nb.Nodes) != 2 || !nb.Truncated {
		t.Errorf("max_nodes=2: %d nodes, truncated %v", len(nb.Nodes), nb.Truncated)
	}
	f.api("GET", "/api/v1/entities/TTP/neighbourhood?hops=9", "/api/v1/entities/{ref}/neighbourhood", nil, 400, nil)
	f.api("GET", "/api/v1/entities/TTP/neighbourhood?predicate=hates", "/api/v1/entities/{ref}/neighbourhood", nil, 400, nil)

	// Relations and events with filters.
	var rp struct {
		Relations []faultline.Relation
		Total     int
		Next      string
	}
	f.api("GET", "/api/v1/relations?predicate=hostile_to&limit=2", "/api/v1/relations", nil, 200, &rp)
	for _, r := range rp.Relations {
		if r.Predicate != faultline.HostileTo {
			t.Errorf("predicate filter let %s through", r.Predicate)
		}
	}
	if rp.Total > 2 && rp.Next == "" {
		t.Errorf("%d relations in pages of 2 and no next cursor", rp.Total)
	}
	f.api("GET", "/api/v1/relations?min_reliability=A", "/api/v1/relations", nil, 200, &rp)
	if rp.Total != 0 {
		t.Errorf("min_reliability=A kept %d relations; every source is C", rp.Total)
	}
	f.api("GET", "/api/v1/relations?entity=ISKP&min_modality=asserted", "/api/v1/relations", nil, 200, &rp)
	for _, r := range rp.Relations {
		if r.Modality != faultline.Asserted {
			t.Errorf("min_modality kept %s", r.Modality)
		}
	}
	var ep struct {
		Events []faultline.Event
		Total  int
	}
	f.api("GET", "/api/v1/events?from=2024&to=2024", "/api/v1/events", nil, 200, &ep)
	for _, ev := range ep.Events {
		if !strings.HasPrefix(ev.Date, "2024") {
			t.Errorf("event of %s in 2024", ev.Date)
		}
	}
	f.api("GET", "/api/v1/events?from=2024-13", "/api/v1/events", nil, 400, nil)
	f.api("GET", "/api/v1/events", "/api/v1/events", nil, 200, &ep)
	var actor string
	for _, ev := range ep.Events {
		if len(ev.Participants) > 0 {
			actor = ev.Participants[0].ID
			break
		}
	}
	if actor == "" {
		t.Fatal("no event has a participant")
	}
	f.api("GET", "/api/v1/events?actor="+actor, "/api/v1/events", nil, 200, &ep)
	for _, ev := range ep.Events {
		if !slices.ContainsFunc(ev.Participants, func(p faultline.EventParticipant) bool { return p.ID == actor }) {
			t.Errorf("actor filter kept an event without %s", actor)
		}
	}
	if ep.Total == 0 {
		t.Error("the actor filter lost the actor's event")
	}

	// Paths: to an entity two ties away there is a chain of two.
	f.api("GET", "/api/v1/entities/TTP/neighbourhood?hops=2&max_nodes=1000", "/api/v1/entities/{ref}/neighbourhood", nil, 200, &nb)
	var far string
	for _, n := range nb.Nodes {
		if n.Hop == 2 {
			far = n.ID
			break
		}
	}
	if far == "" {
		t.Fatal("nothing two ties away from TTP")
	}
	var pr struct {
		Paths []struct{ Hops []struct{ Predicate string } }
	}
	f.api("GET", "/api/v1/paths?from=TTP&to="+far, "/api/v1/paths", nil, 200, &pr)
	if len(pr.Paths) == 0 || len(pr.Paths[0].Hops) != 2 {
		t.Errorf("paths from TTP to %s: %+v", far, pr.Paths)
	}
	f.api("GET", "/api/v1/paths?from=TTP", "/api/v1/paths", nil, 400, nil)

	// Claims, one claim, sources.
	var cp faultline.ClaimPage
	f.api("GET", "/api/v1/claims?kind=relation&limit=5", "/api/v1/claims", nil, 200, &cp)
	if len(cp.Claims) != 5 || cp.Next == "" || len(cp.Claims[0].Evidence) == 0 {
		t.Fatalf("claims page: %d claims, next %q", len(cp.Claims), cp.Next)
	}
	var cp2 faultline.ClaimPage
	f.api("GET", "/api/v1/claims?kind=relation&limit=5&cursor="+cp.Next, "/api/v1/claims", nil, 200, &cp2)
	if len(cp2.Claims) == 0 || cp2.Claims[0].ID == cp.Claims[0].ID {
		t.Errorf("second page repeats the first")
	}
	f.api("GET", "/api/v1/claims/"+cp.Claims[0].ID, "/api/v1/claims/{id}", nil, 200, nil)
	f.api("GET", "/api/v1/claims/nope", "/api/v1/claims/{id}", nil, 404, nil)
	var sp faultline.SourcePage
	f.api("GET", "/api/v1/sources?limit=2", "/api/v1/sources", nil, 200, &sp)
	if len(sp.Sources) != 2 || sp.Next == "" {
		t.Fatalf("sources page: %+v", sp)
	}
	var sd struct {
		Source   faultline.Source
		Mentions []faultline.SourceMention
		Claims   []faultline.Claim
	}
	f.api("GET", "/api/v1/sources/1", "/api/v1/sources/{id}", nil, 200, &sd)
	if sd.Source.Text == "" || len(sd.Mentions) == 0 || len(sd.Claims) == 0 {
		t.Fatalf("source 1: %d chars, %d mentions, %d claims", len(sd.Source.Text), len(sd.Mentions), len(sd.Claims))
	}
	runes := []rune(sd.Source.Text)
	for _, m := range sd.Mentions {
		if string(runes[m.Start:m.End]) != m.Text {
			t.Fatalf("mention %q at [%d,%d) reads %q", m.Text, m.Start, m.End, string(runes[m.Start:m.End]))
		}
	}
	f.api("GET", "/api/v1/sources/x", "/api/v1/sources/{id}", nil, 400, nil)
	f.api("GET", "/api/v1/sources/999", "/api/v1/sources/{id}", nil, 404, nil)
	f.api("GET", "/api/v1/merges", "/api/v1/merges", nil, 200, nil)

	// Unknown endpoints are JSON 404s.
	status, body, _ := f.do("GET", "/api/v1/nothing", nil, nil)
	if status != 404 || !strings.Contains(string(body), `"not_found"`) {
		t.Errorf("unknown endpoint: %d %s", status, body)
	}
}

func TestAPIWrites(t *testing.T) {
	f := newFixture(t, server.Config{Analyst: "tester"})

	// Reject the only claim of a tie: the tie leaves the profile, the
	// relations and the neighbourhood; undo brings it back.
	var p profileView
	f.api("GET", "/api/v1/entities/Haqqani%20Network", "/api/v1/entities/{ref}", nil, 200, &p)
	var claim, other string
	for _, g := range p.Ties {
		for _, tie := range g.Ties {
			if len(tie.ClaimIDs) == 1 && claim == "" {
				claim, other = tie.ClaimIDs[0], tie.Other.ID
			}
		}
	}
	if claim == "" {
		t.Fatal("no tie of the Haqqani Network with one claim")
	}
	hasTie := func() bool {
		var p profileView
		f.api("GET", "/api/v1/entities/Haqqani%20Network", "/api/v1/entities/{ref}", nil, 200, &p)
		for _, g := range p.Ties {
			for _, tie := range g.Ties {
				if tie.Other.ID == other && slices.Contains(tie.ClaimIDs, claim) {
					return true
				}
			}
		}
		return false
	}
	var cd struct {
		Status  string
		Analyst string
	}
	f.api("POST", "/api/v1/claims/"+claim+"/review", "/api/v1/claims/{id}/review", map[string]string{"status": "rejected"}, 200, &cd)
	if cd.Status != "rejected" {
		t.Fatalf("status after reject = %q", cd.Status)
	}
	if hasTie() {
		t.Fatal("the rejected claim still supports a tie")
	}
	f.api("POST", "/api/v1/claims/"+claim+"/review", "/api/v1/claims/{id}/review", map[string]string{"status": "machine"}, 200, nil)
	if !hasTie() {
		t.Fatal("undoing the review did not bring the tie back")
	}
	f.api("POST", "/api/v1/claims/"+claim+"/review", "/api/v1/claims/{id}/review", map[string]string{"status": "maybe"}, 400, nil)
	f.api("POST", "/api/v1/claims/nope/review", "/api/v1/claims/{id}/review", map[string]string{"status": "accepted"}, 404, nil)
	f.api("POST", "/api/v1/claims/"+claim+"/review", "/api/v1/claims/{id}/review", map[string]any{"status": "accepted", "extra": 1}, 400, nil)

	// Edit: modality and dates, logged as edited; a predicate that does
	// not fit the entities' types is refused.
	f.api("PATCH", "/api/v1/claims/"+claim, "/api/v1/claims/{id}", map[string]any{"modality": "possible", "valid_from": "2001"}, 200, &cd)
	var c faultline.Claim
	f.api("GET", "/api/v1/claims/"+claim, "/api/v1/claims/{id}", nil, 200, &c)
	if c.Status != faultline.StatusEdited || c.Modality != faultline.Possible || c.ValidFrom != "2001" || c.Analyst != "tester" {
		t.Fatalf("after edit: %+v", c)
	}
	f.api("PATCH", "/api/v1/claims/"+claim, "/api/v1/claims/{id}", map[string]any{"valid_from": "2001-02-30"}, 400, nil)
	f.api("PATCH", "/api/v1/claims/"+claim, "/api/v1/claims/{id}", map[string]any{"predicate": "located_in"}, 400, nil)

	// Ingest pasted text, then the same again (a duplicate).
	doc := map[string]string{"title": "Test note", "text": "The Tehrik-e-Taliban Pakistan attacked a police post in Bannu in March 2024, killing 3.",
		"publisher": "Unit test", "reliability": "b", "tlp": "amber", "published": "2024-03"}
	var ir struct {
		Results []struct {
			SourceID  int64 `json:"source_id"`
			Duplicate bool
		}
	}
	f.api("POST", "/api/v1/sources", "/api/v1/sources", doc, 201, &ir)
	if len(ir.Results) != 1 || ir.Results[0].Duplicate {
		t.Fatalf("ingest: %+v", ir)
	}
	src, err := f.db.Source(context.Background(), ir.Results[0].SourceID)
	if err != nil || src.Reliability != "B" || src.TLP != faultline.TLPAmber || src.Published != "2024-03" || src.Publisher != "Unit test" {
		t.Fatalf("stored source %+v, %v", src, err)
	}
	f.api("POST", "/api/v1/sources", "/api/v1/sources", doc, 201, &ir)
	if !ir.Results[0].Duplicate {
		t.Error("the same text twice is not a duplicate")
	}
	f.api("POST", "/api/v1/sources", "/api/v1/sources", map[string]string{"text": "x", "reliability": "Z"}, 400, nil)
	f.api("POST", "/api/v1/sources", "/api/v1/sources", map[string]string{"text": " "}, 400, nil)

	// Merge and unmerge.
	var mr faultline.MergeRecord
	f.api("POST", "/api/v1/merges", "/api/v1/merges", map[string]string{"from": "Jamaat-ul-Ahrar", "into": "TTP"}, 201, &mr)
	if mr.From.Name != "Jamaat-ul-Ahrar" || mr.Into.Name != "Tehrik-e-Taliban Pakistan" {
		t.Fatalf("merge record %+v", mr)
	}
	f.api("GET", "/api/v1/entities/TTP", "/api/v1/entities/{ref}", nil, 200, &p)
	if !slices.Contains(p.Entity.Aliases, "Jamaat-ul-Ahrar") {
		t.Errorf("after merge, TTP's aliases are %v", p.Entity.Aliases)
	}
	f.api("POST", "/api/v1/merges", "/api/v1/merges", map[string]string{"from": "TTP", "into": "TTP"}, 409, nil)
	f.api("DELETE", "/api/v1/merges/"+mr.From.ID, "/api/v1/merges/{ref}", nil, 204, nil)
	f.api("DELETE", "/api/v1/merges/"+mr.From.ID, "/api/v1/merges/{ref}", nil, 409, nil)
	var ml struct{ Merges []faultline.MergeRecord }
	f.api("GET", "/api/v1/merges", "/api/v1/merges", nil, 200, &ml)
	if len(ml.Merges) != 1 || ml.Merges[0].UndoneAt == "" || ml.Merges[0].Analyst != "tester" {
		t.Errorf("merge log %+v", ml.Merges)
	}
}

func TestSafety(t *testing.T) {
	f := newFixture(t, server.Config{MaxBody: 1 << 10})

	// Every response carries the CSP and friends.
	for _, path := range []string{"/", "/api/v1/stats", "/static/app.js", "/nowhere"} {
		_, _, h := f.do("GET", path, nil, nil)
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, h)
		}
	}

	// CSRF: a write without the token, with a wrong one, or from another
	// origin is refused.
	body := map[string]string{"status": "accepted"}
	for name, h := range map[string]http.Header{
		"no token":     {"X-Csrf-Token": {""}},
		"wrong token":  {"X-Csrf-Token": {"0123"}},
		"cross-site":   {"Sec-Fetch-Site": {"cross-site"}},
		"other origin": {"Origin": {"https://evil.example"}},
	} {
		status, data, _ := f.do("POST", "/api/v1/claims/x/review", body, h)
		if status != http.StatusForbidden || !strings.Contains(string(data), `"forbidden"`) {
			t.Errorf("%s: status %d %s", name, status, data)
		}
	}
	// The ingest form needs its hidden field.
	status, _, _ := f.do("POST", "/ingest", "text=hello", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Csrf-Token": {""}})
	if status != http.StatusForbidden {
		t.Errorf("form without csrf_token: %d", status)
	}

	// Body limits.
	status, data, _ := f.do("POST", "/api/v1/merges", `{"from": "`+strings.Repeat("a", 4096)+`", "into": "b"}`, nil)
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d %s", status, data)
	}

	// DNS rebinding: a foreign Host is refused when no token guards.
	req, _ := http.NewRequest("GET", f.http.URL+"/api/v1/stats", nil)
	req.Host = "attacker.example:80"
	res, err := f.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host: status %d", res.StatusCode)
	}
}

func TestToken(t *testing.T) {
	const token = "correct-horse-battery-staple"
	f := newFixture(t, server.Config{Token: token})
	client := f.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(path string, h http.Header) *http.Response {
		req, _ := http.NewRequest("GET", f.http.URL+path, nil)
		for k, v := range h {
			req.Header[k] = v
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := get("/api/v1/stats", nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without token: %d", res.StatusCode)
	}
	if res := get("/api/v1/stats", http.Header{"Authorization": {"Bearer wrong-token-wrong-token"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("API with a wrong token: %d", res.StatusCode)
	}
	if res := get("/api/v1/stats", http.Header{"Authorization": {"Bearer " + token}}); res.StatusCode != http.StatusOK {
		t.Errorf("API with the token: %d", res.StatusCode)
	}
	if res := get("/entities/TTP", nil); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("page without token: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := get("/static/app.css", nil); res.StatusCode != http.StatusOK {
		t.Errorf("static asset without token: %d", res.StatusCode)
	}
	// A bearer write needs no CSRF token: browsers never send the header
	// on their own.
	req, _ := http.NewRequest("POST", f.http.URL+"/api/v1/merges", strings.NewReader(`{"from":"JuA","into":"TTP"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Errorf("bearer merge: %d", res.StatusCode)
	}

	// Log in: the cookie opens the pages; writes still need the CSRF
	// token.
	form := url.Values{"token": {"wrong"}, "next": {"/review"}}
	res, err = client.PostForm(f.http.URL+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("login with a wrong token: %d", res.StatusCode)
	}
	form.Set("token", token)
	res, err = client.PostForm(f.http.URL+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookies := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/review" || len(cookies) != 1 || !cookies[0].HttpOnly {
		t.Fatalf("login: %d %s %v", res.StatusCode, res.Header.Get("Location"), cookies)
	}
	cookie := http.Header{"Cookie": {cookies[0].Name + "=" + cookies[0].Value}}
	if res := get("/entities/TTP", cookie); res.StatusCode != http.StatusOK {
		t.Errorf("page with the login cookie: %d", res.StatusCode)
	}
	csrf := f.pageCSRF(cookie)
	h := cookie.Clone()
	h.Set("X-Csrf-Token", "")
	status, _, _ := f.do("DELETE", "/api/v1/merges/JuA", nil, h)
	if status != http.StatusForbidden {
		t.Errorf("cookie write without CSRF token: %d", status)
	}
	h.Set("X-Csrf-Token", csrf)
	status, data, _ := f.do("DELETE", "/api/v1/merges/Jamaat-ul-Ahrar", nil, h)
	if status != http.StatusNoContent {
		t.Errorf("cookie write with CSRF token: %d %s", status, data)
	}
	// An open redirect through next is refused.
	form.Set("next", "//evil.example/")
	res, _ = client.PostForm(f.http.URL+"/login", form)
	res.Body.Close()
	if res.Header.Get("Location") != "/" {
		t.Errorf("login next=//evil.example/ redirects to %q", res.Header.Get("Location"))
	}
}

func TestCheckBind(t *testing.T) {
	for _, c := range []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8080", "", true},
		{"localhost:8080", "", true},
		{"[::1]:8080", "", true},
		{"127.0.0.2:0", "", true},
		{"0.0.0.0:8080", "", false},
		{":8080", "", false},
		{"192.0.2.10:8080", "", false},
		{"0.0.0.0:8080", "short", false},
		{"0.0.0.0:8080", "a-long-enough-token", true},
		{"nonsense", "", false},
	} {
		err := server.CheckBind(c.addr, c.token)
		if (err == nil) != c.ok {
			t.Errorf("CheckBind(%q, %q) = %v, want ok %v", c.addr, c.token, err, c.ok)
		}
		if err != nil && c.addr == "0.0.0.0:8080" && c.token == "" && !strings.Contains(err.Error(), "token") {
			t.Errorf("the refusal does not say what to do: %v", err)
		}
	}
}

// TestPages renders every page; the browser test checks them in Chromium.
func TestPages(t *testing.T) {
	f := newFixture(t, server.Config{})
	var sp faultline.SourcePage
	f.api("GET", "/api/v1/sources?limit=1", "/api/v1/sources", nil, 200, &sp)
	var cp faultline.ClaimPage
	f.api("GET", "/api/v1/claims?limit=1", "/api/v1/claims", nil, 200, &cp)
	for _, c := range []struct {
		path, want string
		status     int
	}{
		{"/", "Search", 200},
		{"/?q=Haqqani", "Haqqani Network", 200},
		{"/entities/ISKP", "Islamic State Khorasan Province", 200},
		{"/entities/nobody-at-all", "no entity matches", 404},
		{"/sources", `href="/sources/1"`, 200},
		{"/sources/1?claim=" + cp.Claims[0].ID, `id="focus"`, 200},
		{"/graph?entity=TTP", `data-name="Tehrik-e-Taliban Pakistan"`, 200},
		{"/timeline", `data-precision="month"`, 200},
		{"/timeline?actor=TTP", "Tehrik-e-Taliban Pakistan", 200},
		{"/map", "/static/basemap.svg", 200},
		{"/review", "data-claim=", 200},
		{"/ingest", `name="csrf_token"`, 200},
		{"/login", "Access token", 200},
		{"/no/such/page", "no such page", 404},
	} {
		status, body, h := f.do("GET", c.path, nil, http.Header{"Accept": {"text/html"}})
		if status != c.status || !strings.Contains(string(body), c.want) {
			t.Errorf("GET %s: %d, want %d with %q", c.path, status, c.status, c.want)
		}
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: content type %q", c.path, ct)
		}
	}
	status, _, h := f.do("GET", "/claims/"+cp.Claims[0].ID, nil, nil)
	if status != 200 { // the client followed the redirect to the source
		t.Errorf("claim redirect: %d %v", status, h)
	}
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t, server.Config{})
	doc := loadSpec(t)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	documented := map[string]bool{}
	for path, ops := range doc["paths"].(map[string]any) {
		for method, op := range ops.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
			// Every documented JSON response has a schema that compiles.
			for status := range op.(map[string]any)["responses"].(map[string]any) {
				if loc := responseSchema(t, method, path, atoi(status)); loc != "" {
					if _, err := compiler.Compile(loc); err != nil {
						t.Errorf("%s %s %s: %v", method, path, status, err)
					}
				}
			}
		}
	}
	for _, r := range f.srv.Routes() {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
		delete(documented, r)
	}
	for r := range documented {
		t.Errorf("openapi.json documents %s, which the server does not serve", r)
	}
	// The served document is the embedded one.
	var served map[string]any
	f.api("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", nil, 200, &served)
	if served["openapi"] != "3.1.0" {
		t.Error("served document differs")
	}
	var b strings.Builder
	_ = json.NewEncoder(&b).Encode(served["info"])
	if !strings.Contains(b.String(), "cursor") {
		t.Error("the API description does not explain cursors")
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}
