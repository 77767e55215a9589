package graph

import (
	"context"
	"math"
	"reflect"
	"testing"
)

// TestGenerationWrap runs queries across the wrap-around of the
// generation counter, where stale stamps must not come back to life, and
// checks they answer as a fresh searcher does.
func TestGenerationWrap(t *testing.T) {
	b := NewBuilder(6)
	for _, e := range [][3]float64{{0, 1, 1}, {1, 2, 1}, {2, 5, 1}, {0, 3, 2}, {3, 4, 1}, {4, 5, 1}, {1, 4, 1}, {0, 5, 9}} {
		b.AddEdge(int32(e[0]), int32(e[1]), e[2])
	}
	g := b.Build()
	ctx := context.Background()
	query := func(s *searcher, src, dst int32, maxHops int) []Path {
		s.ctx = ctx
		paths, err := s.yen(src, dst, 5, maxHops)
		if err != nil {
			t.Fatal(err)
		}
		return paths
	}
	// Stamps of the first generations linger in the arrays; after the wrap
	// they would read as current unless cleared. Stamp everything with
	// generation 1, as an old search might have, and wrap at each step of
	// each query in turn.
	for i := range 24 {
		src, dst, maxHops := int32(i%6), int32((i+2+i/6)%6), i%4
		want := query(newSearcher(g), src, dst, maxHops)
		for before := range uint32(12) {
			old := newSearcher(g)
			old.hop = newHopState(g.nodes)
			for _, a := range [][]uint32{old.fw.seen, old.fw.done, old.bw.seen, old.bw.done, old.banNode, old.banEdge,
				old.hop.settled, old.hop.pushed, old.hop.ball} {
				for j := range a {
					a[j] = 1
				}
			}
			old.gen = math.MaxUint32 - before
			if got := query(old, src, dst, maxHops); !reflect.DeepEqual(got, want) {
				t.Fatalf("%d→%d MaxHops %d, wrapping after %d searches:\ngot  %v\nwant %v", src, dst, maxHops, before, got, want)
			}
		}
	}
}
