package graph_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/graph"
)

// want is an expected path: its edge ids and cost.
type want struct {
	edges []int32
	cost  float64
}

func TestShortestPaths(t *testing.T) {
	// square is 0-1-3 and 0-2-3 with a chord 1-2; the paths from 0 to 3
	// are 0-1-3 (2), 0-2-3 (3, two hops), 0-2-1-3 (3, three hops) and
	// 0-1-2-3 (4).
	square := []edge{{0, 1, 1}, {1, 3, 1}, {0, 2, 1}, {2, 3, 2}, {1, 2, 1}}
	line := []edge{{0, 1, 1}, {1, 2, 1}, {2, 3, 1}}
	// fewerHops reaches node 3 at cost 1 first in three hops (0-1-2-3,
	// zero weights) and later in two (0-4-3), then runs on to 7. Leaves
	// 8..11 around 7 keep the backward search's queue long, so that the
	// forward search is the one to cross node 3.
	fewerHops := []edge{{0, 1, 0}, {1, 2, 0}, {2, 3, 1}, {0, 4, 0.5}, {4, 3, 0.5}, {3, 5, 1}, {5, 6, 1}, {6, 7, 1},
		{7, 8, 1}, {7, 9, 1}, {7, 10, 1}, {7, 11, 1}}
	tests := []struct {
		name     string
		n        int
		edges    []edge
		src, dst int32
		opt      graph.Options
		allow    []int32 // when set, only these edges are allowed
		want     []want
	}{
		{name: "line", n: 4, edges: line, src: 0, dst: 3,
			want: []want{{[]int32{0, 1, 2}, 3}}},
		{name: "line reversed", n: 4, edges: line, src: 3, dst: 0, opt: graph.Options{K: 5},
			want: []want{{[]int32{2, 1, 0}, 3}}},
		{name: "square K=1", n: 4, edges: square, src: 0, dst: 3,
			want: []want{{[]int32{0, 1}, 2}}},
		{name: "square all", n: 4, edges: square, src: 0, dst: 3, opt: graph.Options{K: 10},
			want: []want{{[]int32{0, 1}, 2}, {[]int32{2, 3}, 3}, {[]int32{2, 4, 1}, 3}, {[]int32{0, 4, 3}, 4}}},
		{name: "square K=3 cuts", n: 4, edges: square, src: 0, dst: 3, opt: graph.Options{K: 3},
			want: []want{{[]int32{0, 1}, 2}, {[]int32{2, 3}, 3}, {[]int32{2, 4, 1}, 3}}},
		{name: "square MaxHops 2", n: 4, edges: square, src: 0, dst: 3, opt: graph.Options{K: 10, MaxHops: 2},
			want: []want{{[]int32{0, 1}, 2}, {[]int32{2, 3}, 3}}},
		{name: "parallel edges are distinct paths", n: 3,
			edges: []edge{{0, 1, 1}, {1, 0, 1}, {1, 2, 2}, {0, 1, 5}}, src: 0, dst: 2, opt: graph.Options{K: 5},
			want: []want{{[]int32{0, 2}, 3}, {[]int32{1, 2}, 3}, {[]int32{3, 2}, 7}}},
		{name: "parallel edges cheapest first", n: 2,
			edges: []edge{{0, 1, 2}, {0, 1, 1}}, src: 0, dst: 1,
			want: []want{{[]int32{1}, 1}}},
		{name: "disconnected", n: 4, edges: []edge{{0, 1, 1}, {2, 3, 1}}, src: 0, dst: 3, opt: graph.Options{K: 3}},
		{name: "isolated node", n: 3, edges: []edge{{0, 1, 1}}, src: 2, dst: 0},
		{name: "src equals dst", n: 3, edges: line[:2], src: 1, dst: 1, opt: graph.Options{K: 4},
			want: []want{{[]int32{}, 0}}},
		{name: "MaxHops cuts the only path", n: 4, edges: line, src: 0, dst: 3, opt: graph.Options{MaxHops: 2}},
		{name: "MaxHops just fits", n: 4, edges: line, src: 0, dst: 3, opt: graph.Options{MaxHops: 3},
			want: []want{{[]int32{0, 1, 2}, 3}}},
		{name: "MaxHops takes the dearer short path", n: 4,
			edges: append([]edge{{0, 3, 10}}, line...), src: 0, dst: 3, opt: graph.Options{K: 3, MaxHops: 2},
			want: []want{{[]int32{0}, 10}}},
		{name: "MaxHops spur needs the hop-bounded search", n: 6,
			// 0-1-2-3-4-5 costs 5; 0-1-5 costs 11; 0-5 costs 20. With
			// three hops the best is 0-1-5, though the cheapest spur from 1
			// (1-2-3-4-5) is too long.
			edges: []edge{{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}, {4, 5, 1}, {1, 5, 10}, {0, 5, 20}},
			src:   0, dst: 5, opt: graph.Options{K: 3, MaxHops: 3},
			want: []want{{[]int32{0, 5}, 11}, {[]int32{6}, 20}}},
		{name: "Allow filters", n: 4, edges: square, src: 0, dst: 3, opt: graph.Options{K: 10},
			allow: []int32{1, 2, 3, 4},
			want:  []want{{[]int32{2, 3}, 3}, {[]int32{2, 4, 1}, 3}}},
		{name: "Allow filters everything", n: 4, edges: square, src: 0, dst: 3, allow: []int32{}},
		{name: "self-loops ignored", n: 3, edges: []edge{{0, 0, 0}, {0, 1, 1}, {1, 1, 0}, {1, 2, 1}, {2, 2, 0}},
			src: 0, dst: 2, opt: graph.Options{K: 3},
			want: []want{{[]int32{1, 3}, 2}}},
		{name: "zero weights: fewer hops first", n: 3, edges: []edge{{0, 1, 0}, {1, 2, 0}, {0, 2, 0}},
			src: 0, dst: 2, opt: graph.Options{K: 3},
			want: []want{{[]int32{2}, 0}, {[]int32{0, 1}, 0}}},
		{name: "fewest hops among the cheapest", n: 12, edges: fewerHops, src: 0, dst: 7,
			want: []want{{[]int32{3, 4, 5, 6, 7}, 4}}},
		{name: "fewest hops among the cheapest reversed", n: 12, edges: fewerHops, src: 7, dst: 0,
			want: []want{{[]int32{7, 6, 5, 4, 3}, 4}}},
		{name: "fewest hops among the cheapest, K=2", n: 12, edges: fewerHops, src: 0, dst: 7, opt: graph.Options{K: 2},
			want: []want{{[]int32{3, 4, 5, 6, 7}, 4}, {[]int32{0, 1, 2, 5, 6, 7}, 4}}},
		{name: "ties by edge ids", n: 4, edges: []edge{{0, 2, 1}, {2, 3, 1}, {0, 1, 1}, {1, 3, 1}},
			src: 0, dst: 3, opt: graph.Options{K: 2},
			want: []want{{[]int32{0, 1}, 2}, {[]int32{2, 3}, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(t, tt.n, tt.edges)
			opt := tt.opt
			if tt.allow != nil {
				ok := map[int32]bool{}
				for _, e := range tt.allow {
					ok[e] = true
				}
				opt.Allow = func(e int32) bool { return ok[e] }
			}
			got, err := g.ShortestPaths(context.Background(), tt.src, tt.dst, opt)
			if err != nil {
				t.Fatal(err)
			}
			checkPaths(t, tt.n, tt.edges, tt.src, tt.dst, opt, got)
			if len(tt.want) == 0 {
				if got != nil {
					t.Fatalf("got %v, want nil", got)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d paths %v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if !reflect.DeepEqual(got[i].Edges, w.edges) || got[i].Cost != w.cost {
					t.Errorf("path %d: got edges %v cost %v, want %v cost %v", i, got[i].Edges, got[i].Cost, w.edges, w.cost)
				}
			}
			checkAgainstBrute(t, bruteForce(tt.n, tt.edges, tt.src, tt.dst, opt.MaxHops, opt.Allow), opt, got)
		})
	}
}

func TestShortestPathsErrors(t *testing.T) {
	g := build(t, 3, []edge{{0, 1, 1}, {1, 2, 1}})
	empty := graph.NewBuilder(0).Build()
	tests := []struct {
		name     string
		g        *graph.Graph
		src, dst int32
		opt      graph.Options
	}{
		{"negative src", g, -1, 2, graph.Options{}},
		{"src too large", g, 3, 2, graph.Options{}},
		{"dst too large", g, 0, 99, graph.Options{}},
		{"negative dst", g, 0, -5, graph.Options{}},
		{"empty graph", empty, 0, 0, graph.Options{}},
		{"negative K", g, 0, 2, graph.Options{K: -1}},
		{"negative MaxHops", g, 0, 2, graph.Options{MaxHops: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.g.ShortestPaths(context.Background(), tt.src, tt.dst, tt.opt)
			if err == nil {
				t.Fatalf("got %v, want an error", got)
			}
			if code := faultline.ErrorCode(err); code != faultline.EINVALID {
				t.Fatalf("got code %q (%v), want %q", code, err, faultline.EINVALID)
			}
		})
	}
}

func TestShortestPathsCanceled(t *testing.T) {
	edges := ladder(2000)
	g := build(t, 4000, edges)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.ShortestPaths(ctx, 0, 3999, graph.Options{K: 3}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	// Cancelled during the search: Allow cancels after a while, and the
	// search must notice within a bounded number of steps.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	opt := graph.Options{K: 50, Allow: func(int32) bool {
		if calls++; calls == 5000 {
			cancel()
		}
		return true
	}}
	if _, err := g.ShortestPaths(ctx, 0, 3999, opt); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if calls > 5000+20000 {
		t.Fatalf("search went on for %d edge looks after the cancel", calls-5000)
	}
}

// ladder returns the edges of a ladder of n rungs: nodes 2i and 2i+1 are
// joined, and so are 2i, 2i+2 and 2i+1, 2i+3. It has many equally cheap
// paths end to end.
func ladder(n int) []edge {
	var edges []edge
	for i := range int32(n) {
		edges = append(edges, edge{2 * i, 2*i + 1, 1})
		if int(i) < n-1 {
			edges = append(edges, edge{2 * i, 2*i + 2, 1}, edge{2*i + 1, 2*i + 3, 1})
		}
	}
	return edges
}

func TestShortestPathsDeterministic(t *testing.T) {
	edges := ladder(30)
	opt := graph.Options{K: 20}
	first, err := build(t, 60, edges).ShortestPaths(context.Background(), 0, 59, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkPaths(t, 60, edges, 0, 59, opt, first)
	if len(first) != 20 {
		t.Fatalf("got %d paths, want 20", len(first))
	}
	g := build(t, 60, edges)
	var wg sync.WaitGroup
	results := make([][]graph.Path, 8)
	for i := range results {
		wg.Go(func() {
			results[i], _ = g.ShortestPaths(context.Background(), 0, 59, opt)
		})
	}
	wg.Wait()
	for i, got := range results {
		if !reflect.DeepEqual(got, first) {
			t.Fatalf("run %d differs:\ngot  %v\nwant %v", i, got, first)
		}
	}
}

func TestAddEdgePanics(t *testing.T) {
	tests := []struct {
		name string
		u, v int32
		w    float64
	}{
		{"node out of range", 0, 3, 1},
		{"negative node", -1, 0, 1},
		{"negative weight", 0, 1, -1},
		{"NaN weight", 0, 1, nan()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("AddEdge did not panic")
				}
			}()
			graph.NewBuilder(3).AddEdge(tt.u, tt.v, tt.w)
		})
	}
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}
