package server_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faultline-osint/faultline/server"
)

// TestBrowser runs web/test/browser.mjs: the workbench in Debian's
// headless Chromium, driven by npm's playwright-core, against a server
// over the example briefs. It skips, saying what is missing, when node,
// web/node_modules or Chromium is absent — unless FAULTLINE_BROWSER_TEST
// is 1 (as .ci/run sets it), when a missing tool is a failure. The
// screenshots go to $FAULTLINE_SCREENSHOTS, default screenshots/browser
// at the top of the checkout; the test prints the folder.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	required := os.Getenv("FAULTLINE_BROWSER_TEST") == "1"
	missing := func(what string) {
		msg := "browser test needs " + what + ": apt-get install -y chromium nodejs npm; (cd web && npm ci)"
		if required {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node")
	}
	webDir, err := filepath.Abs("../web")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(webDir, "node_modules", "playwright-core", "package.json")); err != nil {
		missing("web/node_modules (playwright-core)")
	}
	chromium := os.Getenv("FAULTLINE_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			chromium = p
		} else {
			missing("Chromium at " + chromium + " (or set FAULTLINE_CHROMIUM)")
		}
	}
	shots := os.Getenv("FAULTLINE_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join(webDir, "..", "screenshots", "browser")
	}
	if shots, err = filepath.Abs(shots); err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(shots, "*.png"))
	for _, p := range old {
		os.Remove(p)
	}

	f := newFixture(t, server.Config{})

	// What to look for, read from the data rather than assumed, so that
	// the test follows the extractor as it improves.
	var nb neighbourhoodView
	f.api("GET", "/api/v1/entities/TTP/neighbourhood?hops=2&max_nodes=1000", "/api/v1/entities/{ref}/neighbourhood", nil, 200, &nb)
	var near []string
	var far struct{ ID, Name string }
	for _, n := range nb.Nodes {
		switch {
		case n.Hop == 1 && len(near) < 5:
			near = append(near, n.Name)
		case n.Hop == 2 && far.ID == "":
			far.ID, far.Name = n.ID, n.Name
		}
	}
	if len(near) == 0 || far.ID == "" {
		t.Fatalf("the examples give TTP no neighbours two ties away: %+v", nb)
	}
	expect := map[string]any{
		"search": "Haqqani", "profile": "Haqqani Network",
		"graphCenter": nb.Center.ID, "graphNodes": append([]string{nb.Center.Name}, near...),
		"pathFromName": nb.Center.Name, "pathTo": far.Name, "pathToName": far.Name,
	}
	data, _ := json.Marshal(expect)
	expectFile := filepath.Join(t.TempDir(), "expect.json")
	if err := os.WriteFile(expectFile, data, 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(webDir, "test", "browser.mjs"),
		"--base", f.http.URL, "--shots", shots, "--chromium", chromium, "--expect", expectFile)
	cmd.Dir = webDir
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		t.Log(line)
	}
	t.Logf("screenshots of every page: %s", shots)
	if err != nil {
		t.Fatalf("browser checks failed: %v", err)
	}
}
