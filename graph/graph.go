package graph

import (
	"fmt"
	"math"
	"sync"
)

// halfEdge is one direction of an undirected edge in a node's adjacency
// list. The weight sits next to the neighbour so that relaxing an edge
// touches one cache line, not three arrays.
type halfEdge struct {
	to     int32
	edge   int32
	weight float64
}

// Builder collects undirected edges before they are packed into a Graph.
// Node ids are 0..n-1. A Builder is not safe for concurrent use.
type Builder struct {
	nodes  int
	from   []int32
	to     []int32
	weight []float64
}

// NewBuilder returns a Builder for a graph with the given number of nodes.
// It panics if nodes is negative or does not fit an int32 id.
func NewBuilder(nodes int) *Builder {
	if nodes < 0 || nodes > math.MaxInt32 {
		panic(fmt.Sprintf("graph: NewBuilder(%d): node count out of range", nodes))
	}
	return &Builder{nodes: nodes}
}

// AddEdge adds an undirected edge between u and v with a non-negative
// weight and returns its id: 0, 1, 2, … in call order. Parallel edges are
// kept as distinct edges, since two different ties between the same pair
// are two different chains for an analyst. A self-loop gets an id but is
// never part of a path.
//
// AddEdge panics if u or v is not a node id of the builder or if weight
// is negative, NaN or infinite: the caller maps its own entities to ids,
// so either is a bug in the caller, not bad input.
func (b *Builder) AddEdge(u, v int32, weight float64) int32 {
	if u < 0 || int(u) >= b.nodes || v < 0 || int(v) >= b.nodes {
		panic(fmt.Sprintf("graph: AddEdge(%d, %d): node id out of range [0,%d)", u, v, b.nodes))
	}
	if !(weight >= 0) || math.IsInf(weight, 1) {
		panic(fmt.Sprintf("graph: AddEdge(%d, %d): weight %v is not finite and non-negative", u, v, weight))
	}
	if len(b.from) >= math.MaxInt32 {
		panic("graph: AddEdge: too many edges for int32 ids")
	}
	id := int32(len(b.from))
	b.from = append(b.from, u)
	b.to = append(b.to, v)
	b.weight = append(b.weight, weight)
	return id
}

// Build packs the edges into a compressed sparse row (CSR) graph. Each
// node's adjacency list is in increasing edge id order, which makes every
// search deterministic. The Builder may be discarded or reused afterwards;
// the Graph shares no memory with it.
func (b *Builder) Build() *Graph {
	n := b.nodes
	g := &Graph{
		nodes:  n,
		off:    make([]int, n+1),
		weight: make([]float64, len(b.weight)),
	}
	copy(g.weight, b.weight)
	for i, u := range b.from {
		v := b.to[i]
		if u == v {
			continue
		}
		g.off[u+1]++
		g.off[v+1]++
	}
	for i := 1; i <= n; i++ {
		g.off[i] += g.off[i-1]
	}
	g.adj = make([]halfEdge, g.off[n])
	next := make([]int, n)
	copy(next, g.off[:n])
	for i, u := range b.from {
		v := b.to[i]
		if u == v {
			continue
		}
		w := b.weight[i]
		g.adj[next[u]] = halfEdge{to: v, edge: int32(i), weight: w}
		next[u]++
		g.adj[next[v]] = halfEdge{to: u, edge: int32(i), weight: w}
		next[v]++
	}
	g.pool.New = func() any { return newSearcher(g) }
	return g
}

// Graph is an immutable undirected multigraph in compressed sparse row
// form: the neighbours of node u are adj[off[u]:off[u+1]]. It is safe for
// concurrent use; each search borrows its scratch space from a pool.
type Graph struct {
	nodes  int
	off    []int
	adj    []halfEdge
	weight []float64 // by edge id, self-loops included
	pool   sync.Pool // of *searcher
}

// Nodes returns the number of nodes.
func (g *Graph) Nodes() int { return g.nodes }

// Edges returns the number of edges added, self-loops included; edge ids
// are 0..Edges()-1.
func (g *Graph) Edges() int { return len(g.weight) }

// neighbours returns the adjacency list of u.
func (g *Graph) neighbours(u int32) []halfEdge {
	return g.adj[g.off[u]:g.off[u+1]]
}
