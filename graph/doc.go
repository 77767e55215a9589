// Package graph holds the ties between entities as a compact undirected
// multigraph and finds the k best chains of ties between two of them: the
// answer to "what connects ISI to Al Qaeda?".
//
// # Why it is hand-written
//
// The store needs an answer in under 50 ms on a graph of 100,000 entities
// and 1,000,000 ties on a 2-core machine. Gonum's graphs are maps of maps
// of interfaces; on the synthetic power-law graph of bench_test.go (100,000
// nodes, 1,000,000 edges) gonum v0.17.0 took 0.9 s to build a
// simple.WeightedUndirectedGraph and 0.61 s for one path.DijkstraFromTo,
// and at a tenth of that size (10,000 / 50,000) still 14 ms for one path
// and 167 ms for path.YenKShortestPaths with k=3. Earlier measurements gave
// 0.6 s a path at 100,000 / 500,000 and 15 s at 1,000,000 / 5,000,000.
//
// This package keeps the graph in compressed sparse row form: an offset
// per node into one array of half-edges (neighbour, edge id, weight; 16
// bytes), each edge stored once from each end, weights also by edge id.
// On the same machine and graph it builds in about 30 ms, takes 41 MB,
// and answers one query between random pairs in about 0.25 ms for k=1
// (3 ms at worst of 256 pairs), 2 ms for k=3 (8 ms at worst) and 8 ms for
// k=10 (26 ms at worst); a k=3 query with a 3-hop limit takes 0.6 ms.
// Gonum stays in the tests as the reference the results are checked
// against.
//
// # Algorithm
//
// ShortestPaths runs Yen's k shortest loopless paths algorithm, with
// Lawler's refinement of spurring only from where a path left its parent.
// Each spur search is a bidirectional Dijkstra, stopped once the two
// queue tops together cannot beat the best meeting found. Labels are
// (cost, hops) pairs compared lexicographically, so among equally cheap
// paths the one with fewer hops wins, and zero-weight edges are safe.
//
// Paths are sequences of edges: two parallel edges (two distinct ties
// between the same pair of actors) make two paths, and Yen's algorithm
// bans and returns them separately. Self-loops get an edge id but never
// join a path.
//
// A hop limit is not a plain Dijkstra: the cheapest path to a node may be
// too long to extend while a dearer, shorter one fits. A spur search with
// a limit first runs the plain bidirectional search; if its path fits,
// nothing beats it. Otherwise a label-setting search over (node, hops)
// runs, which settles a node again only with strictly fewer hops, pruned
// by exact hop distances to the destination within half the limit
// (found by breadth-first search) so that it explores little more than the
// region the limit allows. Yen's algorithm over such spur searches gives
// the k best paths within the limit.
//
// # Scratch space
//
// A search never allocates or clears anything in proportion to the graph.
// Distances, predecessors and bans live in arrays sized to the graph, each
// entry valid only while its generation stamp equals the search's, and
// the arrays are reused through a sync.Pool: a query costs what it
// explores. Each concurrent query holds about 60 bytes a node and 4 bytes
// an edge (10 MB at 100,000 / 1,000,000), plus 32 bytes a node once it has
// used a hop limit.
//
// Results are deterministic: adjacency lists are in edge id order and
// every queue breaks ties by node, so the same graph and query give the
// same paths on every run.
package graph
