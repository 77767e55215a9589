package server

import (
	"bytes"
	"hash/maphash"
	"strings"
	"unsafe"
)

// Compact tables the read model is made of. A model of a million
// entities holds tens of millions of ids, names and counts: as Go strings,
// slices and maps each would be an object of its own, costing its header
// and, on every garbage collection, the marking of it. Here they are
// packed into a few large arrays with no pointers, which the collector
// does not look into.

// strtab is a table of strings in one arena: string i is
// arena[off[i]:off[i+1]].
type strtab struct {
	arena []byte
	off   []uint32
}

func newStrtab(n int) strtab {
	return strtab{off: append(make([]uint32, 0, n+1), 0)}
}

// add appends a string and returns its index.
func (t *strtab) add(b []byte) int32 {
	t.arena = append(t.arena, b...)
	t.off = append(t.off, uint32(len(t.arena)))
	return int32(len(t.off) - 2)
}

func (t *strtab) addString(s string) int32 {
	t.arena = append(t.arena, s...)
	t.off = append(t.off, uint32(len(t.arena)))
	return int32(len(t.off) - 2)
}

// get returns string i, without copying: bytes once appended are never
// written again (a larger arena is a copy; the old one stays as it was),
// so the string stays valid and unchanged.
func (t *strtab) get(i int32) string {
	s := unsafe.String(unsafe.SliceData(t.arena), len(t.arena))
	return s[t.off[i]:t.off[i+1]]
}

func (t *strtab) len() int { return len(t.off) - 1 }

// clip drops the spare capacity the arena and offsets grew with.
func (t *strtab) clip() {
	t.arena = append([]byte(nil), t.arena...)
	t.off = append([]uint32(nil), t.off...)
}

// strIndex finds strings of a strtab by value: open addressing over the
// table's indexes, four bytes a slot at most half full.
type strIndex struct {
	seed  maphash.Seed
	slots []int32 // 1 + the string's index; 0 is empty
	n     int
}

func newStrIndex() strIndex { return strIndex{seed: maphash.MakeSeed(), slots: make([]int32, 1024)} }

func (x *strIndex) find(t *strtab, s string) (int32, bool) {
	mask := uint64(len(x.slots) - 1)
	for h := maphash.String(x.seed, s) & mask; ; h = (h + 1) & mask {
		k := x.slots[h]
		if k == 0 {
			return -1, false
		}
		if t.get(k-1) == s {
			return k - 1, true
		}
	}
}

func (x *strIndex) findBytes(t *strtab, b []byte) (int32, bool) {
	mask := uint64(len(x.slots) - 1)
	for h := maphash.Bytes(x.seed, b) & mask; ; h = (h + 1) & mask {
		k := x.slots[h]
		if k == 0 {
			return -1, false
		}
		if t.get(k-1) == string(b) {
			return k - 1, true
		}
	}
}

// insert indexes string i of t, which must not be indexed yet.
func (x *strIndex) insert(t *strtab, i int32) {
	if 2*(x.n+1) > len(x.slots) {
		old := x.slots
		x.slots = make([]int32, 2*len(old))
		for _, k := range old {
			if k != 0 {
				x.place(t, k)
			}
		}
	}
	x.place(t, i+1)
	x.n++
}

func (x *strIndex) place(t *strtab, k int32) {
	mask := uint64(len(x.slots) - 1)
	h := maphash.String(x.seed, t.get(k-1)) & mask
	for x.slots[h] != 0 {
		h = (h + 1) & mask
	}
	x.slots[h] = k
}

// ids16 is a list of ids, most of them canonical UUIDs (claim and event
// ids), kept as 16 bytes each rather than as 36-byte strings; the few
// others (dataset record ids) are kept as they are.
type ids16 struct {
	u   [][16]byte
	odd map[int32]string
}

// add appends an id.
func (t *ids16) add(b []byte) {
	u, ok := parseUUID(b)
	if !ok {
		if t.odd == nil {
			t.odd = map[int32]string{}
		}
		t.odd[int32(len(t.u))] = string(b)
	}
	t.u = append(t.u, u)
}

func (t *ids16) addString(s string) {
	u, ok := parseUUID(unsafe.Slice(unsafe.StringData(s), len(s)))
	if !ok {
		if t.odd == nil {
			t.odd = map[int32]string{}
		}
		t.odd[int32(len(t.u))] = s
	}
	t.u = append(t.u, u)
}

// addFrom appends id i of another list.
func (t *ids16) addFrom(o *ids16, i int32) {
	if s, ok := o.odd[i]; ok {
		if t.odd == nil {
			t.odd = map[int32]string{}
		}
		t.odd[int32(len(t.u))] = s
	}
	t.u = append(t.u, o.u[i])
}

func (t *ids16) get(i int32) string {
	if s, ok := t.odd[i]; ok {
		return s
	}
	var b [36]byte
	return string(appendUUID(b[:0], &t.u[i]))
}

// compare compares ids i and j as strings: canonical UUIDs compare as
// their bytes do.
func (t *ids16) compare(i, j int32) int {
	if t.odd != nil {
		_, oi := t.odd[i]
		_, oj := t.odd[j]
		if oi || oj {
			return strings.Compare(t.get(i), t.get(j))
		}
	}
	return bytes.Compare(t.u[i][:], t.u[j][:])
}

// appendTo appends id i to b.
func (t *ids16) appendTo(b []byte, i int32) []byte {
	if s, ok := t.odd[i]; ok {
		return append(b, s...)
	}
	return appendUUID(b, &t.u[i])
}

// parseUUID reads a UUID in canonical form, lower-case: only that form
// is written back identically.
func parseUUID(b []byte) (u [16]byte, ok bool) {
	if len(b) != 36 || b[8] != '-' || b[13] != '-' || b[18] != '-' || b[23] != '-' {
		return u, false
	}
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
			continue
		}
		hi, lo := unhex(b[i]), unhex(b[i+1])
		if hi > 15 || lo > 15 {
			return u, false
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, true
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return 255
}

func appendUUID(b []byte, u *[16]byte) []byte {
	for i, x := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[x>>4], hexDigits[x&0xF])
	}
	return b
}

// csr is a list of int32 lists in compressed sparse row form: list i is
// items[off[i]:off[i+1]].
type csr struct {
	off   []uint32
	items []int32
}

func (c *csr) list(i int32) []int32 {
	if i < 0 || int(i)+1 >= len(c.off) {
		return nil
	}
	return c.items[c.off[i]:c.off[i+1]]
}

// csrBuilder fills a csr of n lists in two passes over the same items:
// count, then (after start) put, list by list in any order; each list
// keeps the order of its puts.
type csrBuilder struct {
	c    csr
	next []uint32
}

func newCSRBuilder(n int) *csrBuilder {
	return &csrBuilder{c: csr{off: make([]uint32, n+1)}}
}

func (b *csrBuilder) count(i int32) { b.c.off[i+1]++ }

func (b *csrBuilder) start() {
	for i := 1; i < len(b.c.off); i++ {
		b.c.off[i] += b.c.off[i-1]
	}
	b.c.items = make([]int32, b.c.off[len(b.c.off)-1])
	b.next = append([]uint32(nil), b.c.off[:len(b.c.off)-1]...)
}

func (b *csrBuilder) put(i, v int32) {
	b.c.items[b.next[i]] = v
	b.next[i]++
}

func (b *csrBuilder) done() csr { return b.c }
