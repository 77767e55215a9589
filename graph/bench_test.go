package graph_test

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/faultline-osint/faultline/graph"
)

// synthetic returns a graph of n nodes and exactly m edges with power-law
// degrees, grown by preferential attachment: each new node ties to a
// number of earlier nodes (exponentially distributed, mean about m/n, at
// least one, so the graph is connected), chosen in proportion to their
// degree; the remaining edges join two degree-weighted nodes. Seven ties
// in ten are asserted (weight 1), the rest hedged (weight 1.5 to 2), as the
// store weighs them. Parallel edges occur, as they do between actors with
// several ties.
func synthetic(n, m int, seed uint64) []edge {
	r := rand.New(rand.NewPCG(seed, seed+1))
	weight := func() float64 {
		if r.IntN(10) < 7 {
			return 1
		}
		return 1.5 + r.Float64()/2
	}
	edges := make([]edge, 0, m)
	ends := make([]int32, 0, 2*m) // every edge's two ends: a degree-weighted urn
	add := func(u, v int32) {
		edges = append(edges, edge{u, v, weight()})
		ends = append(ends, u, v)
	}
	add(0, 1)
	mean := float64(m)/float64(n) - 1
	for u := int32(2); int(u) < n && len(edges) < m; u++ {
		k := 1 + int(r.ExpFloat64()*mean)
		for range min(k, int(u), m-len(edges)) {
			v := ends[r.IntN(len(ends))]
			for v == u {
				v = ends[r.IntN(len(ends))]
			}
			add(u, v)
		}
	}
	for len(edges) < m {
		u, v := ends[r.IntN(len(ends))], ends[r.IntN(len(ends))]
		if u != v {
			add(u, v)
		}
	}
	return edges
}

const (
	bigNodes   = 100_000
	bigEdges   = 1_000_000
	smallNodes = 10_000
	smallEdges = 50_000
)

// fixture is a synthetic graph built once per benchmark process.
type fixture struct {
	once  sync.Once
	n     int
	edges []edge
	g     *graph.Graph
	bytes uint64     // heap taken by g
	pairs [][2]int32 // random pairs
	hubs  [][2]int32 // pairs among the 100 best-connected nodes
}

var big = fixture{n: bigNodes}
var small = fixture{n: smallNodes}

func (f *fixture) get(b *testing.B, m int) *fixture {
	f.once.Do(func() {
		start := time.Now()
		f.edges = synthetic(f.n, m, 42)
		gen := time.Since(start)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start = time.Now()
		f.g = build(b, f.n, f.edges)
		took := time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		f.bytes = after.HeapAlloc - before.HeapAlloc
		deg := make([]int, f.n)
		for _, e := range f.edges {
			deg[e.u]++
			deg[e.v]++
		}
		byDeg := make([]int32, f.n)
		for i := range byDeg {
			byDeg[i] = int32(i)
		}
		slices.SortFunc(byDeg, func(a, b int32) int { return cmp.Or(cmp.Compare(deg[b], deg[a]), cmp.Compare(a, b)) })
		top := deg[byDeg[0]]
		b.Logf("synthetic graph: %d nodes, %d edges, max degree %d; generated in %v, built in %v, CSR %.1f MB",
			f.n, len(f.edges), top, gen.Round(time.Millisecond), took.Round(time.Millisecond), float64(f.bytes)/1e6)
		// Every pair is connected: each node ties to an earlier one.
		r := rand.New(rand.NewPCG(7, 7))
		for range 256 {
			f.pairs = append(f.pairs, [2]int32{r.Int32N(int32(f.n)), r.Int32N(int32(f.n))})
			f.hubs = append(f.hubs, [2]int32{byDeg[r.IntN(100)], byDeg[r.IntN(100)]})
		}
	})
	return f
}

// BenchmarkBuild measures packing a million edges into CSR.
func BenchmarkBuild(b *testing.B) {
	f := big.get(b, bigEdges)
	b.ReportMetric(float64(f.bytes)/1e6, "csr-MB")
	for b.Loop() {
		bd := graph.NewBuilder(f.n)
		for _, e := range f.edges {
			bd.AddEdge(e.u, e.v, e.w)
		}
		bd.Build()
	}
}

// BenchmarkShortestPaths measures one query between random pairs of the
// 100,000-node, 1,000,000-edge graph. The target is under 50 ms a query.
func BenchmarkShortestPaths(b *testing.B) {
	f := big.get(b, bigEdges)
	asserted := func(e int32) bool { return f.edges[e].w == 1 }
	for _, c := range []struct {
		name string
		opt  graph.Options
	}{
		{"K=1", graph.Options{K: 1}},
		{"K=3", graph.Options{K: 3}},
		{"K=10", graph.Options{K: 10}},
		{"K=3/MaxHops=3", graph.Options{K: 3, MaxHops: 3}},
		{"K=3/asserted-only", graph.Options{K: 3, Allow: asserted}},
	} {
		b.Run(c.name, func(b *testing.B) { benchQueries(b, f.g, f.pairs, c.opt) })
	}
	// Analysts mostly ask about the best-connected actors.
	for _, k := range []int{1, 3} {
		b.Run(fmt.Sprintf("hubs/K=%d", k), func(b *testing.B) { benchQueries(b, f.g, f.hubs, graph.Options{K: k}) })
	}
}

func benchQueries(b *testing.B, g *graph.Graph, pairs [][2]int32, opt graph.Options) {
	ctx := context.Background()
	var worst time.Duration
	found, i := 0, 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		i++
		start := time.Now()
		paths, err := g.ShortestPaths(ctx, p[0], p[1], opt)
		worst = max(worst, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		found += len(paths)
	}
	b.ReportMetric(float64(worst.Microseconds())/1e3, "max-ms")
	b.ReportMetric(float64(found)/float64(i), "paths/op")
}

// BenchmarkGonum runs the reference implementation on a graph a tenth the
// size, with the same graph in this package for comparison.
func BenchmarkGonum(b *testing.B) {
	f := small.get(b, smallEdges)
	start := time.Now()
	gg := gonumGraph(f.n, f.edges)
	b.Logf("gonum graph of %d nodes, %d edges built in %v", f.n, len(f.edges), time.Since(start).Round(time.Millisecond))
	for _, k := range []int{1, 3} {
		b.Run(fmt.Sprintf("gonum/K=%d", k), func(b *testing.B) {
			i := 0
			for b.Loop() {
				p := f.pairs[i%len(f.pairs)]
				i++
				s, t := simple.Node(p[0]), simple.Node(p[1])
				if k == 1 {
					if _, w := path.DijkstraFromTo(s, t, gg); math.IsInf(w, 1) {
						b.Fatalf("no path %d→%d", p[0], p[1])
					}
				} else {
					path.YenKShortestPaths(gg, k, math.Inf(1), s, t)
				}
			}
		})
		b.Run(fmt.Sprintf("csr/K=%d", k), func(b *testing.B) { benchQueries(b, f.g, f.pairs, graph.Options{K: k}) })
	}
}
