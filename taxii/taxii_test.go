package taxii_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/stix"
	"github.com/faultline-osint/faultline/taxii"
)

const token = "correct-horse-battery-staple"

// client is a minimal TAXII 2.1 client.
type client struct {
	t     *testing.T
	token string
}

// get fetches a URL as a TAXII client does and decodes the answer into v;
// it returns the response for its headers.
func (c *client) get(rawURL string, status int, v any) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", taxii.TAXIIMediaType)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		c.t.Fatalf("GET %s: %d %s, want %d", rawURL, resp.StatusCode, body, status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != taxii.TAXIIMediaType {
		c.t.Errorf("GET %s: Content-Type %q, want %q", rawURL, ct, taxii.TAXIIMediaType)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			c.t.Fatalf("GET %s: %v in %s", rawURL, err, body)
		}
	}
	return resp
}

type envelope struct {
	More    bool              `json:"more"`
	Next    string            `json:"next"`
	Objects []json.RawMessage `json:"objects"`
}

type manifest struct {
	More    bool   `json:"more"`
	Next    string `json:"next"`
	Objects []struct {
		ID        string `json:"id"`
		DateAdded string `json:"date_added"`
		Version   string `json:"version"`
		MediaType string `json:"media_type"`
	} `json:"objects"`
}

func newServer(t *testing.T, o taxii.Options) (*httptest.Server, faultline.Store) {
	t.Helper()
	db := exporttest.Open(t)
	h, err := taxii.NewHandler(db, o)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/taxii2/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, db
}

// TestClientWalk walks the server the way a TAXII client does: discovery,
// API root, collections, objects page by page, manifest, one object and
// its versions.
func TestClientWalk(t *testing.T) {
	srv, db := newServer(t, taxii.Options{Token: token, Queries: []taxii.Query{
		{Name: "leader", Title: "The emir and his group", MaxTLP: faultline.TLPGreen, Entity: "Shahab al-Muhajir", Hops: 1},
	}})
	c := &client{t: t, token: token}

	var disc struct {
		Title    string   `json:"title"`
		Default  string   `json:"default"`
		APIRoots []string `json:"api_roots"`
	}
	c.get(srv.URL+"/taxii2/", 200, &disc)
	if len(disc.APIRoots) != 1 || disc.Default != disc.APIRoots[0] || !strings.HasPrefix(disc.Default, srv.URL) {
		t.Fatalf("discovery = %+v", disc)
	}
	root := disc.Default

	var api struct {
		Versions         []string `json:"versions"`
		MaxContentLength int      `json:"max_content_length"`
	}
	c.get(root, 200, &api)
	if len(api.Versions) != 1 || api.Versions[0] != taxii.TAXIIMediaType || api.MaxContentLength <= 0 {
		t.Errorf("api root = %+v", api)
	}

	var cols struct {
		Collections []struct {
			ID         string   `json:"id"`
			Title      string   `json:"title"`
			CanRead    bool     `json:"can_read"`
			CanWrite   bool     `json:"can_write"`
			MediaTypes []string `json:"media_types"`
		} `json:"collections"`
	}
	c.get(root+"collections/", 200, &cols)
	if len(cols.Collections) != 6 {
		t.Fatalf("%d collections, want 5 TLP levels and 1 saved query", len(cols.Collections))
	}
	green := taxii.CollectionID("tlp-green")
	found := false
	for _, col := range cols.Collections {
		if !col.CanRead || col.CanWrite || len(col.MediaTypes) != 1 || col.MediaTypes[0] != taxii.STIXMediaType {
			t.Errorf("collection %+v: want read-only STIX 2.1", col)
		}
		found = found || col.ID == green && col.Title == "TLP:GREEN"
	}
	if !found {
		t.Fatalf("no TLP:GREEN collection with id %s", green)
	}
	var one map[string]any
	c.get(root+"collections/"+green+"/", 200, &one)
	if one["id"] != green {
		t.Errorf("collection = %v", one)
	}

	// Objects, seven at a time.
	base := root + "collections/" + green + "/objects/"
	var ids []string
	var texts strings.Builder
	pages := 0
	next := ""
	lastAdded := ""
	for {
		u := base + "?limit=7"
		if next != "" {
			u += "&next=" + url.QueryEscape(next)
		}
		var env envelope
		resp := c.get(u, 200, &env)
		pages++
		first, last := resp.Header.Get("X-TAXII-Date-Added-First"), resp.Header.Get("X-TAXII-Date-Added-Last")
		if len(env.Objects) > 0 && (first == "" || last == "" || first > last || first < lastAdded) {
			t.Errorf("page %d: date added headers %q–%q after %q", pages, first, last, lastAdded)
		}
		lastAdded = last
		for _, o := range env.Objects {
			var head struct{ ID string }
			json.Unmarshal(o, &head)
			ids = append(ids, head.ID)
			texts.Write(o)
		}
		if !env.More {
			if env.Next != "" {
				t.Errorf("last page has next %q", env.Next)
			}
			break
		}
		if env.Next == "" || len(env.Objects) != 7 {
			t.Fatalf("page %d: more with %d objects and next %q", pages, len(env.Objects), env.Next)
		}
		next = env.Next
		if pages > 100 {
			t.Fatal("paging does not end")
		}
	}
	// The same as an export with --tlp-max green.
	snap, err := db.Snapshot(context.Background(), faultline.SnapshotFilter{MaxTLP: faultline.TLPGreen, IncludeUnsourced: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := stix.Objects(snap, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("object %s served twice", id)
		}
		seen[id] = true
	}
	if len(ids) != len(want) || pages != (len(want)+6)/7 {
		t.Errorf("%d objects in %d pages, want %d in %d", len(ids), pages, len(want), (len(want)+6)/7)
	}
	for _, o := range want {
		if !seen[o.ID] {
			t.Errorf("object %s of the green export not served", o.ID)
		}
	}
	for _, secret := range exporttest.Secrets {
		if strings.Contains(texts.String(), secret) {
			t.Errorf("TLP:GREEN collection serves %q", secret)
		}
	}

	// The manifest lists the same objects.
	var man manifest
	c.get(root+"collections/"+green+"/manifest/", 200, &man)
	if man.More || len(man.Objects) != len(ids) {
		t.Errorf("manifest: %d records, more %v; want %d", len(man.Objects), man.More, len(ids))
	}
	for _, m := range man.Objects {
		if !seen[m.ID] || m.MediaType != taxii.STIXMediaType || m.Version != m.DateAdded {
			t.Errorf("manifest record %+v", m)
		}
	}

	// added_after returns what came later.
	mid := man.Objects[len(man.Objects)/2].DateAdded
	var later envelope
	c.get(base+"?added_after="+mid, 200, &later)
	for _, o := range later.Objects {
		var head struct{ ID, Modified, Created string }
		json.Unmarshal(o, &head)
		v := head.Modified
		if v == "" {
			v = head.Created
		}
		if v <= mid {
			t.Errorf("added_after %s served %s added %s", mid, head.ID, v)
		}
	}
	if len(later.Objects) == 0 || len(later.Objects) >= len(ids) {
		t.Errorf("added_after %s: %d objects of %d", mid, len(later.Objects), len(ids))
	}

	// match[type] and match[id].
	var reports envelope
	c.get(base+"?match[type]=report,x-faultline-event", 200, &reports)
	if len(reports.Objects) != 3 { // the green and clear reports, the raid
		t.Errorf("match[type]=report,x-faultline-event: %d objects, want 3", len(reports.Objects))
	}
	var byID envelope
	c.get(base+"?match[id]="+ids[0]+","+ids[1], 200, &byID)
	if len(byID.Objects) != 2 {
		t.Errorf("match[id] of two: %d objects", len(byID.Objects))
	}
	var single envelope
	c.get(base+ids[3]+"/", 200, &single)
	if len(single.Objects) != 1 || !strings.Contains(string(single.Objects[0]), ids[3]) {
		t.Errorf("object %s: %s", ids[3], single.Objects)
	}
	var versions struct {
		Versions []string `json:"versions"`
	}
	c.get(base+ids[3]+"/versions/", 200, &versions)
	if len(versions.Versions) != 1 {
		t.Errorf("versions = %v", versions)
	}
	var none envelope
	c.get(base+"?match[version]=2001-01-01T00:00:00Z", 200, &none)
	if len(none.Objects) != 0 || none.More {
		t.Errorf("match[version] of a time no object has: %d objects", len(none.Objects))
	}

	// The saved query: the emir and the group he leads.
	var q envelope
	c.get(root+"collections/"+taxii.CollectionID("query:leader")+"/objects/?match[type]=threat-actor", 200, &q)
	if len(q.Objects) != 2 {
		t.Errorf("saved query: %d threat actors, want the emir and ISKP", len(q.Objects))
	}
}

// TestErrors checks the refusals: TAXII error messages with the right
// status.
func TestErrors(t *testing.T) {
	srv, _ := newServer(t, taxii.Options{Token: token})
	green := srv.URL + "/taxii2/api/collections/" + taxii.CollectionID("tlp-green") + "/"
	tests := []struct {
		name, method, url, accept, auth string
		status                          int
	}{
		{"no token", "GET", srv.URL + "/taxii2/", taxii.TAXIIMediaType, "", 401},
		{"wrong token", "GET", srv.URL + "/taxii2/", taxii.TAXIIMediaType, "Bearer nope", 401},
		{"write", "POST", green + "objects/", taxii.TAXIIMediaType, "Bearer " + token, 405},
		{"delete", "DELETE", green + "objects/x/", taxii.TAXIIMediaType, "Bearer " + token, 405},
		{"html", "GET", srv.URL + "/taxii2/", "text/html", "Bearer " + token, 406},
		{"taxii 2.0", "GET", srv.URL + "/taxii2/", "application/taxii+json;version=2.0", "Bearer " + token, 406},
		{"unknown collection", "GET", srv.URL + "/taxii2/api/collections/nope/", "", "Bearer " + token, 404},
		{"unknown root", "GET", srv.URL + "/taxii2/other/", "", "Bearer " + token, 404},
		{"unknown object", "GET", green + "objects/report--00000000-0000-4000-8000-000000000000/", "", "Bearer " + token, 404},
		{"bad added_after", "GET", green + "objects/?added_after=yesterday", "", "Bearer " + token, 400},
		{"bad limit", "GET", green + "objects/?limit=-3", "", "Bearer " + token, 400},
		{"forged next", "GET", green + "objects/?next=AAAA", "", "Bearer " + token, 400},
		{"unknown filter", "GET", green + "objects/?match[colour]=red", "", "Bearer " + token, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.url, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e struct {
				Title      string `json:"title"`
				HTTPStatus string `json:"http_status"`
			}
			body, _ := io.ReadAll(resp.Body)
			if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != tt.status || e.Title == "" ||
				e.HTTPStatus != strconv.Itoa(tt.status) || resp.Header.Get("Content-Type") != taxii.TAXIIMediaType {
				t.Errorf("%s %s: %d %s %q, want %d with a TAXII error", tt.method, tt.url, resp.StatusCode, resp.Header.Get("Content-Type"), body, tt.status)
			}
		})
	}
}

func TestBadQueries(t *testing.T) {
	db := exporttest.Open(t)
	for _, q := range []taxii.Query{
		{},
		{Name: "a", MaxTLP: "purple"},
		{Name: "b", Since: "soon"},
		{Name: "c", Hops: 2},
	} {
		if _, err := taxii.NewHandler(db, taxii.Options{Queries: []taxii.Query{q}}); faultline.ErrorCode(err) != faultline.EINVALID {
			t.Errorf("query %+v: err %v, want EINVALID", q, err)
		}
	}
	if _, err := taxii.NewHandler(db, taxii.Options{Queries: []taxii.Query{{Name: "x"}, {Name: "x"}}}); err == nil {
		t.Errorf("two queries with one name: no error")
	}
}
