package gexf_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/gexf"
)

// loadScript reads a GEXF file with networkx and prints what it read;
// networkx keeps the start and end of dynamic elements as attributes.
const loadScript = `
import json, sys
import networkx as nx
g = nx.read_gexf(sys.argv[1])
print(json.dumps({
    "directed": g.is_directed(),
    "mode": g.graph.get("mode"),
    "nodes": {n: d for n, d in g.nodes(data=True)},
    "edges": [d for u, v, d in g.edges(data=True)],
}, default=str))
`

func TestNetworkxReadsGEXF(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: skipping the networkx check")
	}
	if err := exec.Command(py, "-c", "import networkx").Run(); err != nil {
		t.Skip("python3 has no networkx (pip install networkx): skipping the networkx check")
	}
	db := exporttest.Open(t)
	snap, err := db.Snapshot(context.Background(), faultline.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := export.NewNetwork(snap)
	var buf bytes.Buffer
	if err := gexf.Write(&buf, n); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fixture.gexf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", loadScript, path).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("networkx could not read %s: %v\n%s", path, err, stderr)
	}
	var got struct {
		Directed bool                      `json:"directed"`
		Mode     string                    `json:"mode"`
		Nodes    map[string]map[string]any `json:"nodes"`
		Edges    []map[string]any          `json:"edges"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Directed || got.Mode != "dynamic" || len(got.Nodes) != len(n.Nodes) || len(got.Edges) != len(n.Edges) {
		t.Fatalf("networkx read directed=%v mode=%q, %d nodes, %d edges; want directed, dynamic, %d, %d",
			got.Directed, got.Mode, len(got.Nodes), len(got.Edges), len(n.Nodes), len(n.Edges))
	}
	for _, nd := range n.Nodes {
		a := got.Nodes[nd.ID]
		if a["label"] != nd.Label || a["kind"] != nd.Kind || a["type"] != nd.Type || a["sources"] != float64(nd.Sources) {
			t.Errorf("node %s: networkx read %v", nd.ID, a)
		}
		if nd.Kind == export.EventNode && (a["start"] != nd.Start || a["end"] != nd.End) {
			t.Errorf("event %s: spell %v–%v, want %s–%s", nd.Label, a["start"], a["end"], nd.Start, nd.End)
		}
	}
	byID := map[string]map[string]any{}
	for _, e := range got.Edges {
		byID[e["id"].(string)] = e
	}
	spells := 0
	for _, e := range n.Edges {
		d := byID[e.ID]
		if d == nil {
			t.Errorf("edge %s not read", e.ID)
			continue
		}
		if d["predicate"] != e.Label || d["modality"] != e.Modality || d["kind"] != e.Kind || d["sources"] != float64(e.Sources) {
			t.Errorf("edge %s: networkx read %v", e.ID, d)
		}
		start, _ := d["start"].(string)
		end, _ := d["end"].(string)
		if start != e.Start || end != e.End {
			t.Errorf("edge %s: spell %q–%q, want %q–%q", e.ID, start, end, e.Start, e.End)
		}
		if start != "" {
			spells++
		}
	}
	if spells != len(n.Edges) {
		t.Errorf("%d of %d edges have a start: every relation has a valid_from, a report date or an ingest date", spells, len(n.Edges))
	}
}
