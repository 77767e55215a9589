package graph_test

import (
	"context"
	"testing"

	"github.com/faultline-osint/faultline/graph"
)

// FuzzShortestPaths builds a tiny multigraph from the fuzz bytes and checks
// ShortestPaths against brute force: the invariants of every answer and
// the (cost, hops) sequence of the K best paths.
//
// Layout: nodes, src, dst, K, MaxHops, allow mask (2 bytes), then three
// bytes per edge: u, v, weight. Graphs are capped at 8 nodes and 14 edges
// so that brute force stays quick.
func FuzzShortestPaths(f *testing.F) {
	f.Add([]byte{4, 0, 3, 3, 0, 0xff, 0xff, 0, 1, 2, 1, 3, 2, 0, 2, 2, 2, 3, 4, 1, 2, 2})
	f.Add([]byte{3, 0, 2, 4, 2, 0xff, 0xff, 0, 1, 2, 1, 0, 2, 1, 2, 4, 0, 2, 9})
	f.Add([]byte{5, 1, 1, 2, 0, 0, 0, 1, 1, 0})
	f.Add([]byte{6, 0, 5, 2, 3, 0xfe, 0x7f, 0, 1, 1, 1, 2, 1, 2, 3, 1, 3, 4, 1, 4, 5, 1, 1, 5, 9, 0, 5, 20, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 7 {
			return
		}
		n := 1 + int(data[0])%8
		src, dst := int32(data[1])%int32(n), int32(data[2])%int32(n)
		opt := graph.Options{K: int(data[3]) % 6, MaxHops: int(data[4]) % 5}
		mask := uint16(data[5]) | uint16(data[6])<<8
		if mask != 0xffff {
			opt.Allow = func(e int32) bool { return mask>>(e%16)&1 == 1 }
		}
		var edges []edge
		for b := data[7:]; len(b) >= 3 && len(edges) < 14; b = b[3:] {
			// Weights are multiples of 0.5 up to 4, zero included: sums are
			// exact, so ties are real ties.
			edges = append(edges, edge{int32(b[0]) % int32(n), int32(b[1]) % int32(n), float64(b[2]%9) / 2})
		}
		g := build(t, n, edges)
		got, err := g.ShortestPaths(context.Background(), src, dst, opt)
		if err != nil {
			t.Fatal(err)
		}
		checkPaths(t, n, edges, src, dst, opt, got)
		checkAgainstBrute(t, bruteForce(n, edges, src, dst, opt.MaxHops, opt.Allow), opt, got)
	})
}
