package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/extract"
	"github.com/faultline-osint/faultline/ingest"
	"github.com/faultline-osint/faultline/server"
	"github.com/faultline-osint/faultline/sqlite"
)

var (
	exOnce sync.Once
	ex     *extract.Extractor
	exErr  error
)

// extractor builds the bundled extractor once per test binary.
func extractor(t testing.TB) *extract.Extractor {
	t.Helper()
	exOnce.Do(func() {
		d, err := dictionary.Default()
		if err != nil {
			exErr = err
			return
		}
		ex, exErr = extract.New(extract.Options{Dictionary: d})
	})
	if exErr != nil {
		t.Fatalf("extractor: %v", exErr)
	}
	return ex
}

// fixture is a server over a database holding the project's example
// briefs.
type fixture struct {
	t    *testing.T
	db   *sqlite.DB
	srv  *server.Server
	http *httptest.Server
	csrf string
}

// examples lists the example briefs.
func examples(t testing.TB) []string {
	var out []string
	for _, pat := range []string{"../examples/*.txt", "../examples/*.md"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			if !strings.HasSuffix(p, "README.md") {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no example briefs found in ../examples")
	}
	return out
}

// newDB ingests the example briefs into a new database.
func newDB(t testing.TB) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sum, err := ingest.Run(ctx, db, extractor(t), examples(t), ingest.Options{Jobs: 2,
		Meta: ingest.SourceMeta{Publisher: "Faultline examples", Reliability: "C", TLP: faultline.TLPClear}})
	if err != nil || sum.Failed > 0 {
		t.Fatalf("ingest examples: %v %+v", err, sum.Errors)
	}
	return db
}

func newFixture(t *testing.T, cfg server.Config) *fixture {
	t.Helper()
	db := newDB(t)
	if cfg.Extractor == nil {
		cfg.Extractor = extractor(t)
	}
	cfg.ModelPoll = -1
	srv, err := server.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	f := &fixture{t: t, db: db, srv: srv, http: hs}
	if cfg.Token == "" {
		f.csrf = f.pageCSRF(nil)
	}
	return f
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([0-9a-f]+)">`)

// pageCSRF reads the CSRF token from a page.
func (f *fixture) pageCSRF(h http.Header) string {
	f.t.Helper()
	status, body, _ := f.do("GET", "/", nil, h)
	m := csrfMeta.FindSubmatch(body)
	if status != 200 || m == nil {
		f.t.Fatalf("no CSRF token on / (status %d)", status)
	}
	return string(m[1])
}

// do sends a request; a non-GET request carries the CSRF token unless h
// sets X-CSRF-Token (to "" to send none).
func (f *fixture) do(method, path string, body any, h http.Header) (int, []byte, http.Header) {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, f.http.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != "GET" && f.csrf != "" {
		req.Header.Set("X-CSRF-Token", f.csrf)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := f.http.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return res.StatusCode, data, res.Header
}

// api sends a request, checks the status, validates the body against the
// OpenAPI document's schema for the route and status, and decodes it into
// out.
func (f *fixture) api(method, path, route string, body any, want int, out any) []byte {
	f.t.Helper()
	status, data, h := f.do(method, path, body, nil)
	if status != want {
		f.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, data)
	}
	if len(data) > 0 {
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			f.t.Fatalf("%s %s: content type %q", method, path, ct)
		}
		validate(f.t, method, route, status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			f.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return data
}

// The OpenAPI document, compiled once.
var (
	specOnce sync.Once
	spec     map[string]any
	compiler *jsonschema.Compiler
	specErr  error
)

const specURL = "https://faultline.invalid/api/v1/openapi.json"

func loadSpec(t testing.TB) map[string]any {
	t.Helper()
	specOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(server.OpenAPI()))
		if err != nil {
			specErr = err
			return
		}
		spec = doc.(map[string]any)
		compiler = jsonschema.NewCompiler()
		specErr = compiler.AddResource(specURL, doc)
	})
	if specErr != nil {
		t.Fatalf("openapi.json: %v", specErr)
	}
	return spec
}

// responseSchema returns the schema location of a route's response, ""
// when it declares no JSON body.
func responseSchema(t testing.TB, method, route string, status int) string {
	t.Helper()
	doc := loadSpec(t)
	op, _ := dig(doc, "paths", route, strings.ToLower(method)).(map[string]any)
	if op == nil {
		t.Fatalf("openapi.json documents no %s %s", method, route)
	}
	resp, _ := dig(op, "responses", fmt.Sprint(status)).(map[string]any)
	if resp == nil {
		t.Fatalf("openapi.json: %s %s documents no %d response", method, route, status)
	}
	if ref, ok := resp["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/responses/")
		resp, _ = dig(doc, "components", "responses", name).(map[string]any)
	}
	sch, _ := dig(resp, "content", "application/json", "schema").(map[string]any)
	if sch == nil {
		return ""
	}
	if ref, ok := sch["$ref"].(string); ok {
		return specURL + ref
	}
	return specURL + "#/paths/" + strings.ReplaceAll(strings.ReplaceAll(route, "~", "~0"), "/", "~1") + "/" + strings.ToLower(method) +
		"/responses/" + fmt.Sprint(status) + "/content/application~1json/schema"
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// validate checks a response body against the documented schema.
func validate(t testing.TB, method, route string, status int, body []byte) {
	t.Helper()
	loc := responseSchema(t, method, route, status)
	if loc == "" {
		return
	}
	sch, err := compiler.Compile(loc)
	if err != nil {
		t.Fatalf("compile %s: %v", loc, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", method, route, err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("%s %s %d: the body does not match openapi.json: %v\n%s", method, route, status, err, clip(string(body), 2000))
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
