package faultline_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	faultline "github.com/faultline-osint/faultline"
)

// EventID is a UUIDv5 of the smallest claim id in the event namespace: the
// same id uuid.NewSHA1 gives, so that ids stay what earlier versions
// exported.
func TestEventIDIsUUIDv5(t *testing.T) {
	ns := uuid.MustParse("2f0c9a4e-8d1b-5e37-b6a2-7c3e1d9f0b58")
	for _, ids := range [][]string{
		{"ucdp:59553"},
		{"acled:PAK1234"},
		{"b", "a", "c"},
		{strings.Repeat("long record id ", 20)}, // longer than the stack buffer
		{""},
	} {
		want := uuid.NewSHA1(ns, []byte(slices.Min(ids))).String()
		if got := faultline.EventID(ids); got != want {
			t.Errorf("EventID(%q) = %s, want %s", ids, got, want)
		}
	}
	if got := faultline.EventID(nil); got != "" {
		t.Errorf("EventID(nil) = %q, want none", got)
	}
}

// SortEvents permutes in place; the order is the one a plain stable sort
// with the documented keys gives.
func TestSortEventsOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	dates := []string{"", "2024", "2024-03", "2024-03-01", "2024-03-11", "2023-12-31", "bad"}
	types := []faultline.EventType{faultline.Clash, faultline.Attack, faultline.Raid}
	for _, n := range []int{0, 1, 2, 50, 1000} {
		es := make([]faultline.Event, n)
		for i := range es {
			es[i] = faultline.Event{ID: fmt.Sprintf("e%03d", r.IntN(40)), Type: types[r.IntN(len(types))], Date: dates[r.IntN(len(dates))],
				Sources: i} // Sources tells equal events apart
		}
		want := slices.Clone(es)
		key := func(e faultline.Event) (int, int) {
			d, err := faultline.ParseDate(e.Date)
			if err != nil {
				return 99999999, 0 // undated last
			}
			return d.Year*10000 + max(d.Month, 1)*100 + max(d.Day, 1), d.Precision()
		}
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i], want[j]
			fa, pa := key(a)
			fb, pb := key(b)
			if fa != fb {
				return fa < fb
			}
			if pa != pb {
				return pa < pb
			}
			if a.Type != b.Type {
				return a.Type < b.Type
			}
			return a.ID < b.ID
		})
		faultline.SortEvents(es)
		for i := range es {
			if es[i].ID != want[i].ID || es[i].Sources != want[i].Sources {
				t.Fatalf("%d events: position %d holds %+v, want %+v", n, i, es[i], want[i])
			}
		}
	}
}
