package exporttest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/sqlite"
	"github.com/faultline-osint/faultline/storetest"
)

// Synthetic builds a database of docs generated reports over a pool of
// docs/5 entities (armed groups, people, government bodies, places with
// coordinates), each report holding up to 10 relation claims and 2 event
// claims, at TLP markings drawn in turn from all five. It lives in
// tb.TempDir(); the benchmarks build it once and run their cases as
// sub-benchmarks.
func Synthetic(tb testing.TB, docs int) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "synthetic.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	{
		r := rand.New(rand.NewPCG(1, uint64(docs)))
		pool := max(docs/5, 20)
		tlps := []faultline.TLP{faultline.TLPClear, faultline.TLPGreen, faultline.TLPAmber, faultline.TLPAmberStrict, faultline.TLPRed}
		kind := func(i int) faultline.EntityType {
			return []faultline.EntityType{faultline.ArmedGroup, faultline.ArmedGroup, faultline.Person, faultline.GovernmentBody, faultline.Location}[i%5]
		}
		name := func(i int) string { return fmt.Sprintf("%s %05d", strings.ReplaceAll(string(kind(i)), "_", " "), i) }
		pick := func(t faultline.EntityType) int {
			for {
				if i := r.IntN(pool); kind(i) == t {
					return i
				}
			}
		}
		for d := range docs {
			var text strings.Builder
			ents := map[int]bool{}
			var rels []faultline.ExtractedRelation
			var evs []faultline.ExtractedEvent
			type triple struct {
				s, o int
				p    faultline.Predicate
			}
			var ts []triple
			for range 10 {
				switch r.IntN(4) {
				case 0:
					ts = append(ts, triple{pick(faultline.ArmedGroup), pick(faultline.ArmedGroup), []faultline.Predicate{faultline.HostileTo, faultline.AlliedWith, faultline.AffiliatedWith}[r.IntN(3)]})
				case 1:
					ts = append(ts, triple{pick(faultline.GovernmentBody), pick(faultline.ArmedGroup), faultline.Supports})
				case 2:
					ts = append(ts, triple{pick(faultline.ArmedGroup), pick(faultline.Location), []faultline.Predicate{faultline.BasedIn, faultline.ActiveIn}[r.IntN(2)]})
				default:
					ts = append(ts, triple{pick(faultline.Person), pick(faultline.ArmedGroup), []faultline.Predicate{faultline.Leads, faultline.MemberOf}[r.IntN(2)]})
				}
			}
			var pending []func(text string)
			for _, t := range ts {
				if t.s == t.o {
					continue
				}
				sentence := fmt.Sprintf("Report %d says %s %s %s. ", d, name(t.s), t.p, name(t.o))
				text.WriteString(sentence)
				ents[t.s], ents[t.o] = true, true
				m := faultline.Modalities[r.IntN(len(faultline.Modalities))]
				pending = append(pending, func(full string) {
					rels = append(rels, faultline.ExtractedRelation{Subject: fmt.Sprint(t.s), Predicate: t.p, Object: fmt.Sprint(t.o), Modality: m,
						Evidence: []faultline.Span{storetest.Span(tb, full, strings.TrimSpace(sentence))}, Rule: "synthetic"})
				})
			}
			for k := range 2 {
				a, tg, loc := pick(faultline.ArmedGroup), pick(faultline.GovernmentBody), pick(faultline.Location)
				date := fmt.Sprintf("20%02d-%02d", 10+r.IntN(15), 1+r.IntN(12))
				sentence := fmt.Sprintf("In %s event %d-%d: %s attacked %s in %s. ", date, d, k, name(a), name(tg), name(loc))
				text.WriteString(sentence)
				ents[a], ents[tg], ents[loc] = true, true, true
				pending = append(pending, func(full string) {
					evs = append(evs, faultline.ExtractedEvent{ID: fmt.Sprintf("v%d", k), Type: faultline.Attack, Date: &date, Location: ptr(fmt.Sprint(loc)),
						Participants: []faultline.Participant{{Entity: fmt.Sprint(a), Role: faultline.RoleAgent}, {Entity: fmt.Sprint(tg), Role: faultline.RoleTarget}},
						Fatalities:   ptr(r.IntN(40)), Modality: faultline.Reported, Rule: "synthetic",
						Evidence: []faultline.Span{storetest.Span(tb, full, strings.TrimSpace(sentence))}})
				})
			}
			full := text.String()
			for _, p := range pending {
				p(full)
			}
			doc := storetest.Doc{Title: fmt.Sprintf("Synthetic report %d", d), Text: full, TLP: tlps[d%len(tlps)],
				Publisher: fmt.Sprintf("Publisher %d", d%7), Published: fmt.Sprintf("20%02d-%02d-%02d", 10+d%15, 1+d%12, 1+d%28),
				Relations: rels, Events: evs}
			for i := range ents {
				doc.Ents = append(doc.Ents, storetest.Ent{ID: fmt.Sprint(i), Name: name(i), Type: kind(i), Key: fmt.Sprintf("synthetic:%d", i)})
			}
			src, ext := storetest.Build(tb, doc)
			for j := range ext.Entities {
				if ext.Entities[j].Type == faultline.Location {
					var i int
					fmt.Sscan(ext.Entities[j].ID, &i)
					ext.Entities[j].Lat, ext.Entities[j].Lon = ptr(24+float64(i%1000)/100), ptr(60+float64(i%1300)/100)
				}
			}
			if _, err := db.IngestDocument(context.Background(), src, ext); err != nil {
				tb.Fatalf("synthetic report %d: %v", d, err)
			}
		}
	}
	return db
}

func ptr[T any](v T) *T { return &v }
