package graph_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"github.com/faultline-osint/faultline/graph"
)

// edge is a test edge; its id is its index in the slice it comes in.
type edge struct {
	u, v int32
	w    float64
}

// build builds a graph of n nodes from edges, checking that ids are
// handed out in order.
func build(tb testing.TB, n int, edges []edge) *graph.Graph {
	tb.Helper()
	b := graph.NewBuilder(n)
	for i, e := range edges {
		if id := b.AddEdge(e.u, e.v, e.w); id != int32(i) {
			tb.Fatalf("AddEdge #%d: got id %d, want %d", i, id, i)
		}
	}
	g := b.Build()
	if g.Nodes() != n || g.Edges() != len(edges) {
		tb.Fatalf("Build: got %d nodes %d edges, want %d, %d", g.Nodes(), g.Edges(), n, len(edges))
	}
	return g
}

// pathCost adds up the weights of a path's edges from the source on, as
// ShortestPaths does.
func pathCost(edges []edge, ids []int32) float64 {
	var c float64
	for _, e := range ids {
		c += edges[e].w
	}
	return c
}

// comparePaths is the order ShortestPaths promises: cost, hops, edge ids.
func comparePaths(a, b graph.Path) int {
	if c := cmp.Compare(a.Cost, b.Cost); c != 0 {
		return c
	}
	if c := cmp.Compare(len(a.Edges), len(b.Edges)); c != 0 {
		return c
	}
	return slices.Compare(a.Edges, b.Edges)
}

// bruteForce enumerates every simple path from src to dst (a path being a
// sequence of edges, so parallel edges make distinct paths) within
// maxHops (0: any) using only allowed edges, sorted by comparePaths.
func bruteForce(n int, edges []edge, src, dst int32, maxHops int, allow func(int32) bool) []graph.Path {
	if src == dst {
		return []graph.Path{{Nodes: []int32{src}, Edges: []int32{}}}
	}
	adj := make([][]int32, n)
	for i, e := range edges {
		if e.u == e.v {
			continue
		}
		adj[e.u] = append(adj[e.u], int32(i))
		adj[e.v] = append(adj[e.v], int32(i))
	}
	var (
		out   []graph.Path
		nodes = []int32{src}
		ids   []int32
		on    = make([]bool, n)
		walk  func(u int32)
	)
	on[src] = true
	walk = func(u int32) {
		if u == dst {
			out = append(out, graph.Path{
				Nodes: slices.Clone(nodes),
				Edges: slices.Clone(ids),
				Cost:  pathCost(edges, ids),
			})
			return
		}
		if maxHops > 0 && len(ids) == maxHops {
			return
		}
		for _, id := range adj[u] {
			if allow != nil && !allow(id) {
				continue
			}
			v := edges[id].u
			if v == u {
				v = edges[id].v
			}
			if on[v] {
				continue
			}
			on[v] = true
			nodes, ids = append(nodes, v), append(ids, id)
			walk(v)
			nodes, ids = nodes[:len(nodes)-1], ids[:len(ids)-1]
			on[v] = false
		}
	}
	walk(src)
	slices.SortFunc(out, comparePaths)
	return out
}

// checkPaths checks what every answer of ShortestPaths must satisfy:
// at most K paths, each a simple contiguous path from src to dst within
// MaxHops over allowed edges whose cost adds up, all distinct, in order.
func checkPaths(t testing.TB, n int, edges []edge, src, dst int32, opt graph.Options, got []graph.Path) {
	t.Helper()
	k := max(opt.K, 1)
	if len(got) > k {
		t.Fatalf("got %d paths, want at most %d", len(got), k)
	}
	if got != nil && len(got) == 0 {
		t.Fatalf("got an empty non-nil slice, want nil when there is no path")
	}
	seen := map[string]bool{}
	for i, p := range got {
		if len(p.Nodes) != len(p.Edges)+1 {
			t.Fatalf("path %d: %d nodes for %d edges", i, len(p.Nodes), len(p.Edges))
		}
		if p.Nodes[0] != src || p.Nodes[len(p.Nodes)-1] != dst {
			t.Fatalf("path %d: runs %d..%d, want %d..%d", i, p.Nodes[0], p.Nodes[len(p.Nodes)-1], src, dst)
		}
		if opt.MaxHops > 0 && len(p.Edges) > opt.MaxHops {
			t.Fatalf("path %d: %d hops, MaxHops %d", i, len(p.Edges), opt.MaxHops)
		}
		on := make([]bool, n)
		for _, u := range p.Nodes {
			if on[u] {
				t.Fatalf("path %d: not simple, %d repeats: %v", i, u, p.Nodes)
			}
			on[u] = true
		}
		for j, id := range p.Edges {
			if id < 0 || int(id) >= len(edges) {
				t.Fatalf("path %d: edge id %d out of range", i, id)
			}
			e, a, b := edges[id], p.Nodes[j], p.Nodes[j+1]
			if !(e.u == a && e.v == b || e.u == b && e.v == a) {
				t.Fatalf("path %d: edge %d (%d-%d) does not join %d and %d", i, id, e.u, e.v, a, b)
			}
			if opt.Allow != nil && !opt.Allow(id) {
				t.Fatalf("path %d: uses disallowed edge %d", i, id)
			}
		}
		if c := pathCost(edges, p.Edges); c != p.Cost {
			t.Fatalf("path %d: cost %v, edges add up to %v", i, p.Cost, c)
		}
		key := fmt.Sprint(p.Edges)
		if seen[key] {
			t.Fatalf("path %d: duplicate edge sequence %v", i, p.Edges)
		}
		seen[key] = true
		if i > 0 && comparePaths(got[i-1], p) > 0 {
			t.Fatalf("paths %d and %d out of order: %+v then %+v", i-1, i, got[i-1], p)
		}
	}
}

// checkAgainstBrute checks that got has the (cost, hops) sequence of the
// first K paths of a brute-force enumeration. Costs are compared exactly:
// tests use weights whose sums are exact in float64.
func checkAgainstBrute(t testing.TB, want []graph.Path, opt graph.Options, got []graph.Path) {
	t.Helper()
	want = want[:min(len(want), max(opt.K, 1))]
	if len(got) != len(want) {
		t.Fatalf("got %d paths, want %d\ngot  %v\nwant %v", len(got), len(want), got, want)
	}
	for i := range got {
		if got[i].Cost != want[i].Cost || len(got[i].Edges) != len(want[i].Edges) {
			t.Fatalf("path %d: got cost %v in %d hops, want %v in %d hops\ngot  %v\nwant %v",
				i, got[i].Cost, len(got[i].Edges), want[i].Cost, len(want[i].Edges), got, want)
		}
	}
}
