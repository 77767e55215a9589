package graphml_test

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
	"github.com/faultline-osint/faultline/export/graphml"
)

// loadScript reads a GraphML file with networkx and prints what it read.
const loadScript = `
import json, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": {n: d for n, d in g.nodes(data=True)},
    "edges": [[u, v, d] for u, v, d in g.edges(data=True)],
}))
`

// networkx runs the script on path, skipping the test when python3 or
// networkx is missing.
func networkx(t *testing.T, script, path string) []byte {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: skipping the networkx check")
	}
	if err := exec.Command(py, "-c", "import networkx").Run(); err != nil {
		t.Skip("python3 has no networkx (pip install networkx): skipping the networkx check")
	}
	out, err := exec.Command(py, "-c", script, path).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("networkx could not read %s: %v\n%s", path, err, stderr)
	}
	return out
}

func TestNetworkxReadsGraphML(t *testing.T) {
	db := exporttest.Open(t)
	snap, err := db.Snapshot(context.Background(), faultline.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := export.NewNetwork(snap)
	var buf bytes.Buffer
	if err := graphml.Write(&buf, n); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fixture.graphml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Directed bool                      `json:"directed"`
		Nodes    map[string]map[string]any `json:"nodes"`
		Edges    [][3]json.RawMessage      `json:"edges"`
	}
	if err := json.Unmarshal(networkx(t, loadScript, path), &got); err != nil {
		t.Fatal(err)
	}
	if !got.Directed || len(got.Nodes) != len(n.Nodes) || len(got.Edges) != len(n.Edges) {
		t.Fatalf("networkx read directed=%v, %d nodes, %d edges; want directed, %d, %d", got.Directed, len(got.Nodes), len(got.Edges), len(n.Nodes), len(n.Edges))
	}
	if len(n.Nodes) != 17 || len(n.Edges) != 18 {
		t.Errorf("network: %d nodes, %d edges; want 17 (14 entities, 3 events) and 18 (10 relations, 8 event links)", len(n.Nodes), len(n.Edges))
	}
	for _, nd := range n.Nodes {
		a := got.Nodes[nd.ID]
		if a["label"] != nd.Label || a["kind"] != nd.Kind || a["type"] != nd.Type || a["sources"] != float64(nd.Sources) {
			t.Errorf("node %s: networkx read %v, want label %q kind %q type %q sources %d", nd.ID, a, nd.Label, nd.Kind, nd.Type, nd.Sources)
		}
		if nd.Lat != nil && a["lat"] != *nd.Lat {
			t.Errorf("node %s: lat %v, want %v", nd.Label, a["lat"], *nd.Lat)
		}
	}
	edges := map[string]map[string]any{}
	for _, e := range got.Edges {
		var u, v string
		var d map[string]any
		json.Unmarshal(e[0], &u)
		json.Unmarshal(e[1], &v)
		json.Unmarshal(e[2], &d)
		d["_source"], d["_target"] = u, v
		edges[d["label"].(string)+" "+u+" "+v] = d
	}
	for _, e := range n.Edges {
		d := edges[e.Label+" "+e.Source+" "+e.Target]
		if d == nil {
			t.Errorf("edge %s not read", e.ID)
			continue
		}
		if d["kind"] != e.Kind || d["modality"] != e.Modality || d["sources"] != float64(e.Sources) || d["symmetric"] != e.Symmetric {
			t.Errorf("edge %s: networkx read %v", e.ID, d)
		}
		if e.ValidFrom != "" && d["valid_from"] != e.ValidFrom {
			t.Errorf("edge %s: valid_from %v, want %s", e.ID, d["valid_from"], e.ValidFrom)
		}
	}
	iskp := got.Nodes["04a4e933-294e-5bd5-ae7e-d32bc4989d3c"]
	if iskp["aliases"] != "Daesh Khorasan; IS-Khorasan; ISKP; Wilayat Khorasan" {
		t.Errorf("ISKP aliases = %v", iskp["aliases"])
	}
}
