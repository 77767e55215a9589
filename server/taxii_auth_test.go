package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline/server"
	"github.com/faultline-osint/faultline/taxii"
)

// With a token, a TAXII request without it gets what a TAXII client
// understands: 401, a bearer challenge and a TAXII error message, not the
// login page's redirect meant for browsers. A mounted handler with no
// error format of its own gets the API's JSON 401. With the token, TAXII
// answers.
func TestTokenMountedTAXII(t *testing.T) {
	const token = "correct-horse-battery-staple"
	db := newDB(t)
	th, err := taxii.NewHandler(db, taxii.Options{Prefix: "/taxii2/"})
	if err != nil {
		t.Fatal(err)
	}
	plain := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "secret") })
	srv, err := server.New(db, server.Config{Token: token, ModelPoll: -1, Extractor: extractor(t),
		Mount: map[string]http.Handler{"/taxii2/": th, "/other/": plain}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	client := hs.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(path, auth string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", hs.URL+path, nil)
		req.Header.Set("Accept", taxii.TAXIIMediaType)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, body
	}
	for _, path := range []string{"/taxii2/", "/taxii2", "/taxii2/api/collections/"} {
		for _, auth := range []string{"", "Bearer wrong-token-wrong-token"} {
			res, body := get(path, auth)
			var e struct {
				Title      string `json:"title"`
				HTTPStatus string `json:"http_status"`
			}
			if res.StatusCode != http.StatusUnauthorized || res.Header.Get("Content-Type") != taxii.TAXIIMediaType ||
				!strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") ||
				json.Unmarshal(body, &e) != nil || e.HTTPStatus != "401" || e.Title == "" {
				t.Errorf("GET %s (%q): %d %s, WWW-Authenticate %q, %s: want 401 with a TAXII error",
					path, auth, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("WWW-Authenticate"), body)
			}
		}
	}
	if res, body := get("/other/x", ""); res.StatusCode != http.StatusUnauthorized || strings.Contains(string(body), "secret") ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("GET /other/x without the token: %d %s %s: want the API's JSON 401", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if res, body := get("/taxii2/api/collections/", "Bearer "+token); res.StatusCode != http.StatusOK ||
		!strings.Contains(string(body), taxii.CollectionID("tlp-green")) {
		t.Errorf("GET collections with the token: %d %s", res.StatusCode, body)
	}
	// Pages still send browsers to the login page.
	if res, _ := get("/entities/TTP", ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("page without the token: %d, want the login redirect", res.StatusCode)
	}
}
