package web_test

import (
	"os"
	"os/exec"
	"testing"
)

// TestDistCurrent rebuilds the assets in memory (node build.mjs --check)
// and fails if web/dist, which the binary embeds, differs from what
// web/src and the locked npm packages give. It skips without node or
// web/node_modules (run make web), unless FAULTLINE_BROWSER_TEST is 1.
func TestDistCurrent(t *testing.T) {
	node, err := exec.LookPath("node")
	_, modErr := os.Stat("node_modules/esbuild/package.json")
	if err != nil || modErr != nil {
		msg := "web/dist check needs node and web/node_modules: run make web (npm ci)"
		if os.Getenv("FAULTLINE_BROWSER_TEST") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	out, err := exec.Command(node, "build.mjs", "--check").CombinedOutput()
	if err != nil {
		t.Fatalf("%s", out)
	}
	t.Logf("%s", out)
}

// TestEmbedded checks that the committed bundles are real, not
// placeholders.
func TestEmbedded(t *testing.T) {
	for name, min := range map[string]int{"dist/app.js": 2000, "dist/graph.js": 100000, "dist/app.css": 2000, "dist/basemap.svg": 100000} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < min {
			t.Errorf("%s is %d bytes, want at least %d", name, len(b), min)
		}
	}
}
