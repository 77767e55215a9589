package graph

import (
	"context"
	"math"
)

// checkEvery is how many queue pops a search makes between looks at its
// context: often enough to stop within a millisecond, rarely enough to
// cost nothing.
const checkEvery = 1024

// item is a priority-queue entry: a tentative (cost, hops) label of node.
// Queues are ordered by cost, then hops, then node, so that equally cheap
// paths are found in the same order every time and, among them, the one
// with fewer hops first.
type item struct {
	cost float64
	hops int32
	node int32 // a node id, or a label index in the hop-bounded search
}

func (a item) less(b item) bool {
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	if a.hops != b.hops {
		return a.hops < b.hops
	}
	return a.node < b.node
}

// pairLess orders (cost, hops) pairs lexicographically. Every edge adds
// (w, 1) with w ≥ 0, a strictly positive step in this order, so Dijkstra's
// invariants hold for it even with zero weights.
func pairLess(c1 float64, h1 int32, c2 float64, h2 int32) bool {
	return c1 < c2 || (c1 == c2 && h1 < h2)
}

// queue is a binary min-heap of items with lazy deletion: a node may be
// pushed again with a better label, and stale entries are skipped when
// popped.
type queue []item

func (q *queue) push(it item) {
	h := append(*q, it)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].less(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	*q = h
}

func (q *queue) pop() item {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		m := l
		if r := l + 1; r < last && h[r].less(h[l]) {
			m = r
		}
		if !h[m].less(h[i]) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}

// side is one direction of a bidirectional search. Every per-node array is
// valid for a node only where its stamp equals the searcher's current
// generation, so starting a search costs nothing and a search touches only
// the nodes it explores.
type side struct {
	dist     []float64
	hops     []int32
	prevNode []int32 // node before this one on the tree path; -1 at the origin
	prevEdge []int32 // edge from prevNode; -1 at the origin
	seen     []uint32
	done     []uint32
	q        queue
}

func newSide(n int) side {
	return side{
		dist:     make([]float64, n),
		hops:     make([]int32, n),
		prevNode: make([]int32, n),
		prevEdge: make([]int32, n),
		seen:     make([]uint32, n),
		done:     make([]uint32, n),
	}
}

// label is a node reached by a walk in the hop-bounded search; walks are
// chained through parent label indices.
type label struct {
	cost   float64
	hops   int32
	node   int32
	parent int32 // label index; -1 at the origin
	edge   int32 // edge from the parent's node; -1 at the origin
}

// searcher holds the scratch space of one query. Its arrays are sized to
// the graph once and reused through Graph.pool, so the cost of a search is
// proportional to what it explores, not to the size of the graph.
type searcher struct {
	g       *Graph
	gen     uint32
	fw, bw  side
	banNode []uint32 // == gen: the node may not be entered
	banEdge []uint32 // == gen: the edge may not be used
	labels  []label
	hop     hopState
	allow   func(int32) bool
	ctx     context.Context
	pops    int

	// The spur path found by the last search, from its source to dst.
	nodes []int32
	edges []int32
}

func newSearcher(g *Graph) *searcher {
	n := g.nodes
	return &searcher{
		g:       g,
		fw:      newSide(n),
		bw:      newSide(n),
		banNode: make([]uint32, n),
		banEdge: make([]uint32, len(g.weight)),
	}
}

// next starts a new generation: every stamp of the previous one becomes
// stale at once. On the rare wrap-around the stamps are cleared so that no
// stale stamp can equal a future generation.
func (s *searcher) next() {
	s.gen++
	if s.gen != 0 {
		return
	}
	for _, a := range [][]uint32{s.fw.seen, s.fw.done, s.bw.seen, s.bw.done, s.banNode, s.banEdge,
		s.hop.settled, s.hop.pushed, s.hop.ball} {
		clear(a)
	}
	s.gen = 1
}

// tick counts a queue pop and reports the context's error every
// checkEvery pops.
func (s *searcher) tick() error {
	s.pops++
	if s.pops%checkEvery == 0 {
		return s.ctx.Err()
	}
	return nil
}

// usable reports whether the search may walk edge e into node v.
func (s *searcher) usable(e, v int32) bool {
	if s.banNode[v] == s.gen || s.banEdge[e] == s.gen {
		return false
	}
	return s.allow == nil || s.allow(e)
}

// bidirectional finds the path from src to dst (src != dst) that is
// cheapest, and among the cheapest has the fewest hops, avoiding the nodes
// and edges banned in the current generation. It reports whether there is
// one; the path is left in s.nodes and s.edges.
//
// The two searches advance alternately, each time the one with the shorter
// queue, and every edge scanned from a settled node to a node the other
// side has reached offers a candidate meeting. The search stops once the
// two queue tops together cannot beat the best meeting: with positive
// (cost, hops) steps no undiscovered path can be better.
func (s *searcher) bidirectional(src, dst int32) (bool, error) {
	fw, bw, gen := &s.fw, &s.bw, s.gen
	fw.q, bw.q = fw.q[:0], bw.q[:0]
	for _, o := range []struct {
		sd   *side
		node int32
	}{{fw, src}, {bw, dst}} {
		sd, u := o.sd, o.node
		sd.seen[u] = gen
		sd.dist[u], sd.hops[u], sd.prevNode[u], sd.prevEdge[u] = 0, 0, -1, -1
		sd.q.push(item{node: u})
	}
	bestCost, bestHops := math.Inf(1), int32(math.MaxInt32)
	meetF, meetB, meetE := int32(-1), int32(-1), int32(-1)
	for {
		dropSettled(fw, gen)
		dropSettled(bw, gen)
		if len(fw.q) == 0 || len(bw.q) == 0 {
			break
		}
		tf, tb := fw.q[0], bw.q[0]
		if !pairLess(tf.cost+tb.cost, tf.hops+tb.hops, bestCost, bestHops) {
			break
		}
		if err := s.tick(); err != nil {
			return false, err
		}
		this, other, forward := fw, bw, true
		if len(bw.q) < len(fw.q) {
			this, other, forward = bw, fw, false
		}
		it := this.q.pop()
		u := it.node
		this.done[u] = gen
		for _, he := range s.g.neighbours(u) {
			v := he.to
			if !s.usable(he.edge, v) {
				continue
			}
			c, h := it.cost+he.weight, it.hops+1
			if other.seen[v] == gen {
				if tc, th := c+other.dist[v], h+other.hops[v]; pairLess(tc, th, bestCost, bestHops) {
					bestCost, bestHops, meetE = tc, th, he.edge
					if forward {
						meetF, meetB = u, v
					} else {
						meetF, meetB = v, u
					}
				}
			}
			if this.done[v] == gen {
				continue
			}
			if this.seen[v] != gen || pairLess(c, h, this.dist[v], this.hops[v]) {
				this.seen[v] = gen
				this.dist[v], this.hops[v], this.prevNode[v], this.prevEdge[v] = c, h, u, he.edge
				this.q.push(item{cost: c, hops: h, node: v})
			}
		}
	}
	if meetE < 0 {
		return false, nil
	}
	// Forward tree from meetF back to src, reversed; then the meeting edge;
	// then the backward tree from meetB on to dst.
	s.nodes, s.edges = s.nodes[:0], s.edges[:0]
	for u := meetF; u >= 0; u = fw.prevNode[u] {
		s.nodes = append(s.nodes, u)
		if e := fw.prevEdge[u]; e >= 0 {
			s.edges = append(s.edges, e)
		}
	}
	reverse(s.nodes)
	reverse(s.edges)
	s.edges = append(s.edges, meetE)
	for u := meetB; u >= 0; u = bw.prevNode[u] {
		s.nodes = append(s.nodes, u)
		if e := bw.prevEdge[u]; e >= 0 {
			s.edges = append(s.edges, e)
		}
	}
	return true, nil
}

// dropSettled pops queue entries for nodes already settled, so that the
// top of the queue is a live label.
func dropSettled(sd *side, gen uint32) {
	for len(sd.q) > 0 && sd.done[sd.q[0].node] == gen {
		sd.q.pop()
	}
}

// hopBounded finds the path from src to dst (src != dst) of at most
// maxHops edges that is cheapest, and among the cheapest has the fewest
// hops, avoiding the nodes and edges banned in the current generation.
//
// A hop limit breaks Dijkstra's rule that a node is settled once: a
// dearer path with fewer hops may be the only one that still fits. So this
// is a label-setting search over (node, hops) states: labels are popped in
// (cost, hops) order and a node is settled again only by a label with
// strictly fewer hops than every label that settled it before (any other
// is dominated: no cheaper, no shorter). A node is thus settled at most
// maxHops+1 times, and only nodes the search reaches are touched. The
// first label of dst popped is the optimum; it is a simple path, since
// cutting a cycle out of a walk never makes it dearer and always makes it
// shorter.
//
// To keep the search from exploring every node within maxHops of src, a
// breadth-first search first finds the hop distance to dst of every node
// within maxHops/2 of it; any other node is at least maxHops/2+1 away. A
// label that cannot reach dst within the limit by that bound is dropped,
// so past half the limit the search only enters dst's neighbourhood.
func (s *searcher) hopBounded(src, dst int32, maxHops int32) (bool, error) {
	hs, gen := &s.hop, s.gen
	if hs.settled == nil {
		*hs = newHopState(s.g.nodes)
	}
	radius, whole, err := s.ball(dst, maxHops/2)
	if err != nil {
		return false, err
	}
	// fits reports whether a walk at v after h hops may still reach dst
	// within the limit.
	fits := func(v, h int32) bool {
		if hs.ball[v] == gen {
			return h <= maxHops-hs.ballHops[v]
		}
		return !whole && h <= maxHops-radius-1
	}
	if !fits(src, 0) {
		return false, nil
	}
	s.labels = append(s.labels[:0], label{node: src, parent: -1, edge: -1})
	q := &s.fw.q
	*q = (*q)[:0]
	q.push(item{node: 0})
	hs.pushed[src] = gen
	hs.pushedCost[src], hs.pushedHops[src] = 0, 0
	for len(*q) > 0 {
		if err := s.tick(); err != nil {
			return false, err
		}
		it := q.pop()
		l := s.labels[it.node]
		u := l.node
		if hs.settled[u] == gen && hs.settledHops[u] <= l.hops {
			continue
		}
		hs.settled[u] = gen
		hs.settledHops[u] = l.hops
		if u == dst {
			s.nodes, s.edges = s.nodes[:0], s.edges[:0]
			for i := it.node; i >= 0; i = s.labels[i].parent {
				s.nodes = append(s.nodes, s.labels[i].node)
				if e := s.labels[i].edge; e >= 0 {
					s.edges = append(s.edges, e)
				}
			}
			reverse(s.nodes)
			reverse(s.edges)
			return true, nil
		}
		for _, he := range s.g.neighbours(u) {
			v := he.to
			c, h := l.cost+he.weight, l.hops+1
			if !fits(v, h) || !s.usable(he.edge, v) {
				continue
			}
			if hs.settled[v] == gen && hs.settledHops[v] <= h {
				continue
			}
			if hs.pushed[v] == gen {
				if hs.pushedCost[v] <= c && hs.pushedHops[v] <= h {
					continue // dominated by a label already queued
				}
				if pairLess(c, h, hs.pushedCost[v], hs.pushedHops[v]) {
					hs.pushedCost[v], hs.pushedHops[v] = c, h
				}
			} else {
				hs.pushed[v] = gen
				hs.pushedCost[v], hs.pushedHops[v] = c, h
			}
			s.labels = append(s.labels, label{cost: c, hops: h, node: v, parent: it.node, edge: he.edge})
			q.push(item{cost: c, hops: h, node: int32(len(s.labels) - 1)})
		}
	}
	return false, nil
}

// ball records in s.hop the hop distance from dst of every node within
// radius hops of it, walking only usable edges. It returns the radius
// completed, and whether the ball holds every node that can reach dst at
// all, when it ran out of nodes first.
func (s *searcher) ball(dst, radius int32) (int32, bool, error) {
	hs, gen := &s.hop, s.gen
	hs.ball[dst], hs.ballHops[dst] = gen, 0
	frontier := append(hs.frontier[:0], dst)
	next := hs.next[:0]
	var d int32
	for d < radius && len(frontier) > 0 {
		if err := s.ctx.Err(); err != nil {
			return 0, false, err
		}
		next = next[:0]
		for _, u := range frontier {
			for _, he := range s.g.neighbours(u) {
				v := he.to
				if hs.ball[v] == gen || !s.usable(he.edge, v) {
					continue
				}
				hs.ball[v], hs.ballHops[v] = gen, d+1
				next = append(next, v)
			}
		}
		d++
		frontier, next = next, frontier
	}
	hs.frontier, hs.next = frontier, next
	return d, len(frontier) == 0, nil
}

// hopState is the scratch space of the hop-bounded search, allocated the
// first time a query has a hop limit. Arrays are valid under the same
// generation stamps as the rest of the searcher.
type hopState struct {
	settledHops []int32 // fewest hops of a label that settled the node
	settled     []uint32
	pushedCost  []float64 // best label queued for the node
	pushedHops  []int32
	pushed      []uint32
	ballHops    []int32 // hop distance to dst within the ball
	ball        []uint32
	frontier    []int32
	next        []int32
}

func newHopState(n int) hopState {
	return hopState{
		settledHops: make([]int32, n),
		settled:     make([]uint32, n),
		pushedCost:  make([]float64, n),
		pushedHops:  make([]int32, n),
		pushed:      make([]uint32, n),
		ballHops:    make([]int32, n),
		ball:        make([]uint32, n),
	}
}

// spur finds the best path from src to dst within maxHops edges (0: no
// limit) that enters none of banNodes and uses none of banEdges. With a
// limit it first tries the plain bidirectional search: if its best path
// fits, nothing can beat it; only when it does not fit does the dearer
// hop-bounded search run. The path is left in s.nodes and s.edges.
func (s *searcher) spur(src, dst int32, maxHops int, banNodes, banEdges []int32) (bool, error) {
	s.ban(banNodes, banEdges)
	ok, err := s.bidirectional(src, dst)
	if err != nil || !ok || maxHops == 0 || len(s.edges) <= maxHops {
		return ok, err
	}
	// The bidirectional search stamped its distances with this generation;
	// the hop-bounded one needs a fresh one, under the same bans.
	s.ban(banNodes, banEdges)
	return s.hopBounded(src, dst, int32(maxHops))
}

// ban starts a new generation in which the given nodes and edges are
// banned.
func (s *searcher) ban(nodes, edges []int32) {
	s.next()
	for _, u := range nodes {
		s.banNode[u] = s.gen
	}
	for _, e := range edges {
		s.banEdge[e] = s.gen
	}
}

func reverse(a []int32) {
	for i, j := 0, len(a)-1; i < j; i, j = i+1, j-1 {
		a[i], a[j] = a[j], a[i]
	}
}
