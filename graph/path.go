package graph

import (
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/faultline-osint/faultline"
)

// Options for path searches.
type Options struct {
	// K is the number of paths wanted; 0 means 1.
	K int
	// MaxHops is the longest path wanted, in edges; 0 means no limit.
	MaxHops int
	// Allow reports whether a path may use an edge; nil allows every edge.
	// It lets callers filter by a predicate (relation type, confidence,
	// date). It is called many times per edge during a search, possibly
	// from several searches at once, so it should be cheap and must be
	// safe for concurrent use if the caller searches concurrently.
	Allow func(edge int32) bool
}

// Path is a simple path: Nodes[0] is the source, Nodes[len(Nodes)-1] the
// destination, and Edges[i] joins Nodes[i] and Nodes[i+1]. Cost is the sum
// of the edge weights, added from the source on.
type Path struct {
	Nodes []int32
	Edges []int32
	Cost  float64
}

// ShortestPaths returns up to opt.K loopless paths from src to dst in order
// of increasing cost, none longer than opt.MaxHops edges and none using an
// edge that opt.Allow rejects. It returns nil when there is no path, and a
// single zero-length path when src equals dst.
//
// Paths are told apart by their edges, not their nodes: two parallel
// edges (two different ties between the same pair) make two different
// paths through the same nodes, which is what an analyst asking for
// chains of ties wants to see.
//
// Equally cheap paths come fewer hops first, then by lexicographic order
// of edge ids. Which of several paths that tie with the K-th one make the
// cut is decided by the search; it is the same on every run.
//
// Out-of-range node ids and negative K or MaxHops are faultline.EINVALID
// errors. The search stops with the context's error, wrapped, when ctx is
// done.
func (g *Graph) ShortestPaths(ctx context.Context, src, dst int32, opt Options) ([]Path, error) {
	for _, u := range []int32{src, dst} {
		if u < 0 || int(u) >= g.nodes {
			return nil, faultline.Errorf(faultline.EINVALID, "graph: node %d out of range [0,%d)", u, g.nodes)
		}
	}
	if opt.K < 0 {
		return nil, faultline.Errorf(faultline.EINVALID, "graph: negative path count %d", opt.K)
	}
	if opt.MaxHops < 0 {
		return nil, faultline.Errorf(faultline.EINVALID, "graph: negative hop limit %d", opt.MaxHops)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("graph: shortest paths: %w", err)
	}
	if src == dst {
		return []Path{{Nodes: []int32{src}, Edges: []int32{}}}, nil
	}
	s := g.pool.Get().(*searcher)
	s.ctx, s.allow, s.pops = ctx, opt.Allow, 0
	defer func() {
		s.ctx, s.allow = nil, nil
		g.pool.Put(s)
	}()
	maxHops := opt.MaxHops
	if maxHops >= g.nodes {
		maxHops = 0 // a simple path has fewer hops than there are nodes
	}
	paths, err := s.yen(src, dst, max(opt.K, 1), maxHops)
	if err != nil {
		return nil, fmt.Errorf("graph: shortest paths: %w", err)
	}
	return paths, nil
}

// yen runs Yen's k shortest loopless paths algorithm with Lawler's
// refinement: a new path is spurred only from the node where it left the
// path it was derived from onwards, since spurs from earlier nodes were
// already searched under the same bans. Each spur search is a
// bidirectional Dijkstra (hop-bounded when maxHops > 0) under generation-
// stamped bans, so nothing is allocated or cleared per search in
// proportion to the graph.
func (s *searcher) yen(src, dst int32, k, maxHops int) ([]Path, error) {
	ok, err := s.spur(src, dst, maxHops, nil, nil)
	if err != nil || !ok {
		return nil, err
	}
	found := []Path{s.path(nil, nil)}
	devs := []int{0} // index of the spur node each found path left its parent at
	var (
		cands    candidates
		seen     = map[string]struct{}{}
		banEdges []int32
		key      []byte
	)
	for len(found) < k {
		prev, dev := found[len(found)-1], devs[len(devs)-1]
		for j := dev; j < len(prev.Edges); j++ {
			if err := s.ctx.Err(); err != nil {
				return nil, err
			}
			root := prev.Edges[:j]
			banEdges = banEdges[:0]
			for _, p := range found {
				if len(p.Edges) > j && slices.Equal(p.Edges[:j], root) {
					banEdges = append(banEdges, p.Edges[j])
				}
			}
			budget := 0
			if maxHops > 0 {
				budget = maxHops - j
			}
			ok, err := s.spur(prev.Nodes[j], dst, budget, prev.Nodes[:j], banEdges)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			p := s.path(prev.Nodes[:j], root)
			key = key[:0]
			for _, e := range p.Edges {
				key = binary.LittleEndian.AppendUint32(key, uint32(e))
			}
			if _, dup := seen[string(key)]; dup {
				continue
			}
			seen[string(key)] = struct{}{}
			heap.Push(&cands, candidate{p, j})
		}
		if len(cands) == 0 {
			break
		}
		c := heap.Pop(&cands).(candidate)
		found = append(found, c.path)
		devs = append(devs, c.dev)
	}
	// Found paths come in order of (cost, hops) already; sorting settles
	// the order among ties.
	slices.SortStableFunc(found, comparePaths)
	return found, nil
}

// path returns a new Path made of the root (rootNodes without the spur
// node, and rootEdges) followed by the spur path of the last search.
func (s *searcher) path(rootNodes, rootEdges []int32) Path {
	p := Path{
		Nodes: make([]int32, 0, len(rootNodes)+len(s.nodes)),
		Edges: make([]int32, 0, len(rootEdges)+len(s.edges)),
	}
	p.Nodes = append(append(p.Nodes, rootNodes...), s.nodes...)
	p.Edges = append(append(p.Edges, rootEdges...), s.edges...)
	for _, e := range p.Edges {
		p.Cost += s.g.weight[e]
	}
	return p
}

// comparePaths orders paths by cost, then hops, then edge ids.
func comparePaths(a, b Path) int {
	if c := cmp.Compare(a.Cost, b.Cost); c != 0 {
		return c
	}
	if c := cmp.Compare(len(a.Edges), len(b.Edges)); c != 0 {
		return c
	}
	return slices.Compare(a.Edges, b.Edges)
}

// candidate is a path Yen's algorithm may pick next, with the index of the
// node where it leaves the path it was spurred from.
type candidate struct {
	path Path
	dev  int
}

// candidates is a min-heap of candidate paths in comparePaths order.
type candidates []candidate

func (h candidates) Len() int           { return len(h) }
func (h candidates) Less(i, j int) bool { return comparePaths(h[i].path, h[j].path) < 0 }
func (h candidates) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *candidates) Push(x any)        { *h = append(*h, x.(candidate)) }
func (h *candidates) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
