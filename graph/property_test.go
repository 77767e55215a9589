package graph_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/faultline-osint/faultline/graph"
)

// weights are drawn from values whose sums are exact in float64, so that
// costs can be compared for equality and ties are real ties.
var weights = []float64{0.5, 1, 1, 1, 1.5, 2, 3}

// randomSimple returns a random simple graph (no parallel edges, no
// self-loops: what gonum's simple graphs hold) of n nodes and about m
// edges.
func randomSimple(r *rand.Rand, n, m int) []edge {
	seen := map[[2]int32]bool{}
	var edges []edge
	for range m {
		u, v := r.Int32N(int32(n)), r.Int32N(int32(n))
		if u == v || seen[[2]int32{u, v}] || seen[[2]int32{v, u}] {
			continue
		}
		seen[[2]int32{u, v}] = true
		edges = append(edges, edge{u, v, weights[r.IntN(len(weights))]})
	}
	return edges
}

// randomMulti returns a random multigraph of n nodes and m edges, with
// parallel edges and self-loops, and zero weights now and then.
func randomMulti(r *rand.Rand, n, m int) []edge {
	edges := make([]edge, m)
	for i := range edges {
		u, v := r.Int32N(int32(n)), r.Int32N(int32(n))
		w := weights[r.IntN(len(weights))]
		if r.IntN(10) == 0 {
			w = 0
		}
		if i > 0 && r.IntN(6) == 0 {
			e := edges[r.IntN(i)] // a parallel edge
			u, v = e.v, e.u
		}
		edges[i] = edge{u, v, w}
	}
	return edges
}

// gonumGraph returns edges as a gonum graph. Gonum's simple graphs hold
// one edge per pair and no self-loops, so the cheapest of parallel edges
// stands for all of them and self-loops are dropped: shortest path costs
// are unchanged.
func gonumGraph(n int, edges []edge) *simple.WeightedUndirectedGraph {
	g := simple.NewWeightedUndirectedGraph(0, math.Inf(1))
	for i := range n {
		g.AddNode(simple.Node(i))
	}
	for _, e := range edges {
		if e.u == e.v {
			continue
		}
		if w, ok := g.Weight(int64(e.u), int64(e.v)); ok && w <= e.w {
			continue
		}
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(e.u), simple.Node(e.v), e.w))
	}
	return g
}

// TestAgainstGonum compares the cost sequences of the K best paths with
// gonum's Yen and, for K=1, with gonum's Dijkstra, on random simple graphs
// from small to medium. Costs, not paths, are compared: equally cheap paths
// may come in a different order.
func TestAgainstGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sizes := []struct{ n, m, graphs int }{
		{5, 8, 60},
		{12, 30, 60},
		{30, 80, 40},
		{200, 700, 10},
	}
	ctx := context.Background()
	for _, sz := range sizes {
		for range sz.graphs {
			edges := randomSimple(r, sz.n, sz.m)
			g := build(t, sz.n, edges)
			gg := gonumGraph(sz.n, edges)
			for range 4 {
				src, dst := r.Int32N(int32(sz.n)), r.Int32N(int32(sz.n))
				tree := path.DijkstraFrom(simple.Node(src), gg)
				for k := 1; k <= 4; k++ {
					opt := graph.Options{K: k}
					got, err := g.ShortestPaths(ctx, src, dst, opt)
					if err != nil {
						t.Fatal(err)
					}
					checkPaths(t, sz.n, edges, src, dst, opt, got)
					if k == 1 {
						want := tree.WeightTo(int64(dst))
						switch {
						case math.IsInf(want, 1) && got != nil:
							t.Fatalf("n=%d %d→%d: got %v, gonum finds no path", sz.n, src, dst, got)
						case !math.IsInf(want, 1) && (len(got) != 1 || math.Abs(got[0].Cost-want) > 1e-9):
							t.Fatalf("n=%d %d→%d: got %v, gonum's Dijkstra cost %v", sz.n, src, dst, got, want)
						}
					}
					if src == dst {
						continue // gonum's Yen answers with no path here
					}
					var want []float64
					for _, p := range path.YenKShortestPaths(gg, k, math.Inf(1), simple.Node(src), simple.Node(dst)) {
						var c float64
						for i := 1; i < len(p); i++ {
							w, _ := gg.Weight(p[i-1].ID(), p[i].ID())
							c += w
						}
						want = append(want, c)
					}
					if len(got) != len(want) {
						t.Fatalf("n=%d %d→%d K=%d: got %d paths %v, gonum's Yen %d %v", sz.n, src, dst, k, len(got), got, len(want), want)
					}
					for i := range want {
						if math.Abs(got[i].Cost-want[i]) > 1e-9 {
							t.Fatalf("n=%d %d→%d K=%d: path %d costs %v, gonum's Yen %v (all: %v)", sz.n, src, dst, k, i, got[i].Cost, want[i], want)
						}
					}
				}
			}
		}
	}
}

// TestAgainstBruteForce compares the (cost, hops) sequences of the K best
// paths with an enumeration of all simple paths on random small
// multigraphs with parallel edges, self-loops, zero weights, hop limits
// and edge filters.
func TestAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ctx := context.Background()
	for range 400 {
		n := 2 + r.IntN(8)
		edges := randomMulti(r, n, r.IntN(3*n))
		g := build(t, n, edges)
		for range 5 {
			src, dst := r.Int32N(int32(n)), r.Int32N(int32(n))
			opt := graph.Options{K: r.IntN(7), MaxHops: r.IntN(5)}
			if r.IntN(3) == 0 {
				mask := r.Uint64()
				opt.Allow = func(e int32) bool { return mask>>(e%64)&1 == 1 }
			}
			got, err := g.ShortestPaths(ctx, src, dst, opt)
			if err != nil {
				t.Fatal(err)
			}
			checkPaths(t, n, edges, src, dst, opt, got)
			checkAgainstBrute(t, bruteForce(n, edges, src, dst, opt.MaxHops, opt.Allow), opt, got)
		}
	}
}

// TestHopLimitMedium checks hop-limited searches, where the hop-bounded
// label-setting search does the work, against brute force on graphs
// large enough for it to settle nodes several times.
func TestHopLimitMedium(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	ctx := context.Background()
	for range 30 {
		n := 14
		edges := randomMulti(r, n, 26)
		// A cheap long chain through every node makes the unbounded best
		// path too long for small hop limits.
		for i := range int32(n - 1) {
			edges = append(edges, edge{i, i + 1, 0.5})
		}
		g := build(t, n, edges)
		for _, maxHops := range []int{1, 2, 3, 4} {
			src, dst := int32(0), int32(n-1)
			opt := graph.Options{K: 4, MaxHops: maxHops}
			got, err := g.ShortestPaths(ctx, src, dst, opt)
			if err != nil {
				t.Fatal(err)
			}
			checkPaths(t, n, edges, src, dst, opt, got)
			checkAgainstBrute(t, bruteForce(n, edges, src, dst, maxHops, nil), opt, got)
		}
	}
}

// TestFewestHopsAmongCheapest checks on graphs full of ties (weights 0, ½
// and 1) that the best path has the fewest hops among the cheapest, against
// a plain O(n²) Dijkstra over (cost, hops) pairs.
func TestFewestHopsAmongCheapest(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	ctx := context.Background()
	for range 60 {
		n := 10 + r.IntN(50)
		edges := make([]edge, 3*n)
		for i := range edges {
			edges[i] = edge{r.Int32N(int32(n)), r.Int32N(int32(n)), float64(r.IntN(3)) / 2}
		}
		g := build(t, n, edges)
		for range 5 {
			src, dst := r.Int32N(int32(n)), r.Int32N(int32(n))
			cost, hops := lexDijkstra(n, edges, src, dst)
			got, err := g.ShortestPaths(ctx, src, dst, graph.Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkPaths(t, n, edges, src, dst, graph.Options{}, got)
			switch {
			case hops < 0 && got != nil:
				t.Fatalf("%d→%d: got %v, want none", src, dst, got)
			case hops >= 0 && (len(got) != 1 || got[0].Cost != cost || len(got[0].Edges) != hops):
				t.Fatalf("%d→%d: got %v, want cost %v in %d hops", src, dst, got, cost, hops)
			}
		}
	}
}

// lexDijkstra returns the least (cost, hops) from src to dst, hops -1 when
// there is no path.
func lexDijkstra(n int, edges []edge, src, dst int32) (float64, int) {
	cost, hops := make([]float64, n), make([]int, n)
	done := make([]bool, n)
	for i := range hops {
		hops[i] = -1
	}
	cost[src], hops[src] = 0, 0
	for {
		u := -1
		for v := range n {
			if !done[v] && hops[v] >= 0 && (u < 0 || cost[v] < cost[u] || cost[v] == cost[u] && hops[v] < hops[u]) {
				u = v
			}
		}
		if u < 0 {
			return 0, -1
		}
		if int32(u) == dst {
			return cost[u], hops[u]
		}
		done[u] = true
		for _, e := range edges {
			v := -1
			switch {
			case e.u == e.v:
			case int(e.u) == u:
				v = int(e.v)
			case int(e.v) == u:
				v = int(e.u)
			}
			if v < 0 || done[v] {
				continue
			}
			c, h := cost[u]+e.w, hops[u]+1
			if hops[v] < 0 || c < cost[v] || c == cost[v] && h < hops[v] {
				cost[v], hops[v] = c, h
			}
		}
	}
}
