package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/stix"
	"github.com/faultline-osint/faultline/taxii"
)

// lockedBuffer is a strings.Builder safe for a server goroutine to write
// while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveAddr runs faultline serve with args on a free loopback port until
// the test ends, and returns its address.
func serveAddr(t *testing.T, args ...string) string {
	t.Helper()
	// Set, so that serve leaves this process's garbage collector alone.
	t.Setenv("GOGC", "100")
	t.Setenv("GOMEMLIMIT", "off")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append(args, "serve", "--addr", "127.0.0.1:0"), strings.NewReader(""), pw, &stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Errorf("serve did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v; stderr: %s", err, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`http://([^/ ]+)/`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("serve said %q: want its address", line)
	}
	return m[1]
}

// taxiiGet fetches a TAXII resource and decodes it.
func taxiiGet(t *testing.T, url string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", taxii.TAXIIMediaType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s", url, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, body)
	}
}

// A saved query of the config file is a collection of faultline serve's
// TAXII server, and serves the neighbourhood it names at the marking it
// allows: not everything.
func TestServeTAXIISavedQuery(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	green := []string{"../../examples/ttp-resurgence-2021-2023.txt", "../../examples/jaish-al-adl-iran-pakistan-strikes-2024.txt"}
	amber := writeFile(t, dir, "amber.txt", []byte("Tehrik-e-Taliban Pakistan is allied with Lashkar-e-Jhangvi, a source said.\n"))
	for _, step := range [][]string{
		append([]string{"--db", db, "ingest", "--tlp", "green"}, green...),
		{"--db", db, "ingest", "--tlp", "amber", amber},
	} {
		if code, out, stderr := cli(t, "", step...); code != 0 {
			t.Fatalf("%v: exit %d: %s %s", step, code, out, stderr)
		}
	}
	cfg := writeFile(t, dir, "faultline.yaml", []byte(`taxii:
  queries:
    - name: ttp-green
      title: TTP and its neighbourhood, TLP:GREEN
      description: What green reports say about TTP and those one tie away.
      tlp_max: TLP:GREEN
      entity: TTP
      hops: 1
`))
	base := "http://" + serveAddr(t, "--config", cfg, "--db", db) + "/taxii2/api/collections/"

	var cols struct {
		Collections []struct{ ID, Title, Description string }
	}
	taxiiGet(t, base, &cols)
	queryID, greenID := taxii.CollectionID("query:ttp-green"), taxii.CollectionID("tlp-green")
	found := false
	for _, c := range cols.Collections {
		if c.ID == queryID {
			found = c.Title == "TTP and its neighbourhood, TLP:GREEN" && strings.HasPrefix(c.Description, "What green reports")
		}
	}
	if !found {
		t.Fatalf("collections %+v: want the saved query ttp-green with its title and description", cols.Collections)
	}
	objects := func(id string) map[string]map[string]any {
		var page struct {
			More    bool
			Objects []map[string]any
		}
		taxiiGet(t, base+id+"/objects/", &page)
		if page.More {
			t.Fatalf("collection %s pages: the test expects one page", id)
		}
		out := map[string]map[string]any{}
		for _, o := range page.Objects {
			out[o["id"].(string)] = o
		}
		return out
	}
	query, all := objects(queryID), objects(greenID)
	// named reports whether an object goes by the name or alias.
	named := func(objs map[string]map[string]any, name string) bool {
		for _, o := range objs {
			if o["name"] == name {
				return true
			}
			aliases, _ := o["aliases"].([]any)
			for _, a := range aliases {
				if a == name {
					return true
				}
			}
		}
		return false
	}
	if !named(query, "TTP") {
		t.Errorf("the saved query lacks TTP itself")
	}
	if !named(all, "Jaish al-Adl") || named(query, "Jaish al-Adl") {
		t.Errorf("Jaish al-Adl, no neighbour of TTP: in the green collection %v, in the saved query %v; want only the former",
			named(all, "Jaish al-Adl"), named(query, "Jaish al-Adl"))
	}
	if len(query) == 0 || len(query) >= len(all)/2 {
		t.Errorf("the saved query serves %d objects of the %d green ones: want the neighbourhood, not everything", len(query), len(all))
	}
	amberMark := stix.MarkingID(faultline.TLPAmber)
	for id, o := range query {
		if all[id] == nil {
			t.Errorf("%s is in the saved query but not in the green collection", id)
		}
		if b, _ := json.Marshal(o); strings.Contains(string(b), amberMark) {
			t.Errorf("%s carries the amber marking, above the query's tlp_max", id)
		}
	}
	t.Logf("saved query: %d objects; TLP:GREEN collection: %d", len(query), len(all))
}

// A malformed saved query stops faultline serve before it listens, with
// one line naming the config file and the query.
func TestServeTAXIIQueryRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	tests := []struct{ name, queries, want string }{
		{"bad marking", "    - {name: q1, tlp_max: grean}\n", `"q1": tlp_max: tlp "grean"`},
		{"misspelt key", "    - {name: q1, tlp-max: green}\n", `"q1": unknown key "tlp-max"`},
		{"no name", "    - {title: Nameless, tlp_max: green}\n", "#1: a saved query needs a name"},
		{"hops without entity", "    - {name: q1, hops: 2}\n", "saved query q1: hops needs an entity"},
		{"bad date", "    - {name: q1, since: yesterday}\n", "saved query q1: since"},
		{"hops not a number", "    - {name: q1, entity: TTP, hops: two}\n", `"q1": line 3: cannot unmarshal`},
		{"name twice", "    - {name: q1}\n    - {name: q1}\n", `two collections named "query:q1"`},
		{"not a list", "    name: q1\n", "want a list of queries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFile(t, dir, "faultline.yaml", []byte("taxii:\n  queries:\n"+tt.queries))
			code, out, stderr := cli(t, "", "--config", cfg, "--db", db, "serve", "--addr", "127.0.0.1:0")
			if code != 2 || out != "" || strings.Count(stderr, "\n") != 1 ||
				!strings.Contains(stderr, "config "+cfg) || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q: want exit 2 and one line naming %s and %q", code, out, stderr, cfg, tt.want)
			}
		})
	}
}
