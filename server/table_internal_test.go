package server

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestIDs16: ids come back as they went in, canonical UUIDs packed and
// anything else kept, and compare as strings do.
func TestIDs16(t *testing.T) {
	in := []string{"2f0c9a4e-8d1b-5e37-b6a2-7c3e1d9f0b58", "2F0C9A4E-8D1B-5E37-B6A2-7C3E1D9F0B58", "ucdp:59553", "",
		"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-fffffffffff", "2f0c9a4e-8d1b-5e37-b6a2-7c3e1d9f0b5g",
		"2f0c9a4e+8d1b-5e37-b6a2-7c3e1d9f0b58", "a0000000-0000-0000-0000-000000000000"}
	var t16, copied ids16
	for i, s := range in {
		if i%2 == 0 {
			t16.addString(s)
		} else {
			t16.add([]byte(s))
		}
		copied.addFrom(&t16, int32(i))
	}
	if len(t16.odd) != 6 {
		t.Errorf("%d ids kept as strings, want 6: %v", len(t16.odd), t16.odd)
	}
	for i, s := range in {
		if got := t16.get(int32(i)); got != s || copied.get(int32(i)) != s || string(t16.appendTo(nil, int32(i))) != s {
			t.Errorf("id %d: got %q, want %q", i, got, s)
		}
		for j, o := range in {
			if got, want := t16.compare(int32(i), int32(j)), strings.Compare(s, o); got != want {
				t.Errorf("compare %q %q: %d, want %d", s, o, got, want)
			}
		}
	}
}

// TestStrIndex: every string added is found at its index, through the
// index's growth, and no other is.
func TestStrIndex(t *testing.T) {
	tab, x := newStrtab(0), newStrIndex()
	for i := range 5000 {
		k := tab.addString(fmt.Sprintf("entity-%d", i))
		x.insert(&tab, k)
	}
	for i := range 5000 {
		s := fmt.Sprintf("entity-%d", i)
		if k, ok := x.find(&tab, s); !ok || k != int32(i) || tab.get(k) != s {
			t.Fatalf("%s: found %d %v", s, k, ok)
		}
		if k, ok := x.findBytes(&tab, []byte(s)); !ok || k != int32(i) {
			t.Fatalf("%s as bytes: found %d %v", s, k, ok)
		}
	}
	for _, s := range []string{"", "entity-5000", "entity-", "Entity-1"} {
		if _, ok := x.find(&tab, s); ok {
			t.Errorf("%q found", s)
		}
	}
	tab.clip()
	if k, ok := x.find(&tab, "entity-4999"); !ok || k != 4999 {
		t.Errorf("after clip: %d %v", k, ok)
	}
}

// TestCSR: lists keep the order of their puts, and an out-of-range list
// is empty.
func TestCSR(t *testing.T) {
	b := newCSRBuilder(4)
	puts := [][2]int32{{2, 7}, {0, 1}, {2, 3}, {3, 9}, {2, 5}}
	for _, p := range puts {
		b.count(p[0])
	}
	b.start()
	for _, p := range puts {
		b.put(p[0], p[1])
	}
	c := b.done()
	for i, want := range [][]int32{{1}, nil, {7, 3, 5}, {9}} {
		if got := c.list(int32(i)); !slices.Equal(got, want) {
			t.Errorf("list %d: %v, want %v", i, got, want)
		}
	}
	if c.list(-1) != nil || c.list(4) != nil {
		t.Error("lists out of range are not empty")
	}
}
